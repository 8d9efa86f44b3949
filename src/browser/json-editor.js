/* global document */
// Progressive enhancement only: without this file the definition is a plain textarea, checked
// when it is saved. Bundled with its CodeMirror packages by src/http/browser-bundle-router.ts.
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';

const monospace = "ui-monospace, 'Cascadia Mono', 'DejaVu Sans Mono', monospace";

/**
 * GOV.UK's textarea look: a 2 px black border (red with an error), the yellow focus ring, and
 * gutter colours that keep 4.5:1 contrast. As tall as the 30-row textarea, scrolling inside, so
 * the page never scrolls sideways at 320 px.
 */
const govukTheme = EditorView.theme({
  '&': { height: '30rem', fontSize: '1rem', border: '2px solid #0b0c0c', background: '#ffffff' },
  '&.formwork-json-editor--error': { borderColor: '#ca3535' },
  '&.cm-focused': {
    outline: '3px solid #ffdd00',
    outlineOffset: '0',
    boxShadow: 'inset 0 0 0 2px #0b0c0c',
  },
  '.cm-scroller': { fontFamily: monospace, overflow: 'auto' },
  '.cm-gutters': { color: '#505a5f', background: '#f3f2f1' },
  '.cm-activeLineGutter': { color: '#0b0c0c', background: '#e8e8e8' },
});

/**
 * Puts a CodeMirror editor (JSON highlighting, parse errors marked as you type) in place of a
 * textarea. The textarea stays in the form, hidden, and takes every change, so the form posts
 * the text exactly as it does without JavaScript. Tab is not bound: it leaves the editor.
 *
 * The editor lives in a shadow root: there CodeMirror's styles go into a constructed stylesheet,
 * which the app's Content-Security-Policy (`style-src 'self'`) allows; in the document itself
 * they would go into a `<style>` element, which it refuses. A name cannot be referenced across
 * that boundary by id, so the label's text becomes the editor's `aria-label`.
 */
function enhanceTextarea(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  // tabindex: axe counts a contenteditable as focusable only with one, for the scrolling region
  const contentAttributes = { spellcheck: 'false', tabindex: '0' };
  const name = label?.textContent.trim();
  if (name) contentAttributes['aria-label'] = name;
  const host = document.createElement('div');
  host.className = 'formwork-json-editor';
  const root = host.attachShadow({ mode: 'open' });
  textarea.after(host);

  const view = new EditorView({
    doc: textarea.value,
    root,
    parent: root,
    extensions: [
      basicSetup,
      json(),
      linter(jsonParseLinter()),
      lintGutter(),
      govukTheme,
      EditorView.contentAttributes.of(contentAttributes),
      EditorView.editorAttributes.of(
        textarea.classList.contains('govuk-textarea--error')
          ? { class: 'formwork-json-editor--error' }
          : {},
      ),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  // The error message under the label, referenced as an element (ids do not cross the boundary).
  const describedBy = (textarea.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => document.getElementById(id))
    .filter((element) => element !== null);
  if (describedBy.length > 0 && 'ariaDescribedByElements' in view.contentDOM) {
    view.contentDOM.ariaDescribedByElements = describedBy;
  }
  textarea.hidden = true;
  textarea.classList.add('formwork-json-editor__source');

  // The label and the error summary point at the textarea, which is hidden now.
  const focusEditor = (event) => {
    event.preventDefault();
    host.scrollIntoView();
    view.focus();
  };
  label?.addEventListener('click', focusEditor);
  document
    .querySelectorAll(`.govuk-error-summary a[href="#${textarea.id}"]`)
    .forEach((link) => link.addEventListener('click', focusEditor));
}

document.querySelectorAll('textarea[data-module="formwork-json-editor"]').forEach(enhanceTextarea);
