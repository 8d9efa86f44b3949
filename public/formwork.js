/* global document, window, Element */
// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();

const hiddenReveal = '.govuk-radios__conditional--hidden, .govuk-checkboxes__conditional--hidden';

/**
 * A follow-up revealed by any of several choices (a risk level of low, medium or high) is
 * rendered once under the choices; it opens while one of them is selected, as GOV.UK's own
 * reveals do for a single choice. The choices get no aria-controls: GOV.UK's own script would
 * then take the reveal for theirs, and hide it for every unchecked one of them, or lose the
 * choice's own single reveal.
 */
function initSharedReveal(reveal) {
  const form = reveal.closest('form');
  if (!form) return;
  const name = reveal.getAttribute('data-reveal-name');
  const values = JSON.parse(reveal.getAttribute('data-reveal-values') ?? '[]');
  const block = reveal.classList.contains('govuk-checkboxes__conditional')
    ? 'govuk-checkboxes'
    : 'govuk-radios';
  const controls = () => [...form.elements].filter((element) => element.name === name);
  const sync = () => {
    const chosen = controls().flatMap((control) =>
      control.tagName === 'SELECT' || control.checked ? [control.value] : [],
    );
    const open = chosen.some((value) => values.includes(value));
    reveal.classList.toggle(`${block}__conditional--hidden`, !open);
  };
  form.addEventListener('change', (event) => {
    if (event.target instanceof Element && event.target.getAttribute('name') === name) sync();
  });
  // GOV.UK's radios re-sync their own reveals on pageshow; ours follow, so both agree.
  window.addEventListener('pageshow', sync);
  sync();
}

document.querySelectorAll('[data-module="formwork-reveal"]').forEach(initSharedReveal);

// Tells the server which conditional questions were on screen when the form was sent.
document.querySelectorAll('form').forEach((form) => {
  form.addEventListener('submit', () => {
    form.querySelectorAll('input[name="_asked"]').forEach((input) => {
      input.disabled = input.value !== '' && input.closest(hiddenReveal) !== null;
    });
  });
});
