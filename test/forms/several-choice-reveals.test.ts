import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import type { RawFormDefinition } from '../../src/forms/form-definition.js';
import { holdBackUnasked } from '../../src/forms/hold-back-unasked.js';
import type { Answers } from '../../src/forms/form-model.js';
import { renderComponent } from '../../src/render/components.js';
import { renderQuestionFields } from '../../src/render/question-page-view.js';
import { buildForm } from './build-form.js';

const definition = JSON.parse(
  readFileSync('test/fixtures/reveal-forms/incident-report.json', 'utf8'),
) as RawFormDefinition;
const form = buildForm(definition);

/** The incident page as the server renders it for `answers`. */
function renderIncidentPage(answers: Answers) {
  const html = renderQuestionFields({
    fields: form.fieldsFor('incident', answers),
    answers,
    raw: {},
    errors: [],
    reveals: form.reveals('incident'),
    isShown: (pointer) => form.isShown(pointer, answers),
    isConditional: (pattern) => form.index.get(pattern)?.conditional === true,
    component: renderComponent,
  });
  return cheerio.load(html);
}

/** The `_asked` values a browser without JavaScript would send from the page. */
function askedWithoutJavaScript($: cheerio.CheerioAPI): string[] {
  return $('input[name="_asked"]:not([disabled])')
    .map((_index, element) => $(element).attr('value') ?? '')
    .get();
}

describe('A follow-up revealed by any of several choices', () => {
  describe('on radios (how serious: minor, serious or critical)', () => {
    it('is shown for each revealing choice and for no other', () => {
      for (const severity of ['minor', 'serious', 'critical']) {
        assert.equal(form.isShown('/incident/injuries', { incident: { severity } }), true);
        assert.equal(form.isShown('/incident/occurredOn', { incident: { severity } }), true);
      }
      assert.equal(
        form.isShown('/incident/injuries', { incident: { severity: 'nearMiss' } }),
        false,
      );
      assert.equal(form.isShown('/incident/injuries', {}), false);
    });

    it('is found as one reveal with all three values', () => {
      const reveal = form.reveals('incident').find((r) => r.controllerPointer.endsWith('severity'));
      assert.deepEqual(reveal, {
        controllerPointer: '/incident/severity',
        values: ['minor', 'serious', 'critical'],
        dependents: ['/incident/injuries', '/incident/occurredOn'],
      });
    });

    it('is required only when revealed, and its answers are discarded when hidden', () => {
      const revealed = form.validate({
        incident: { severity: 'minor', involved: ['staff'] },
        reporter: { name: 'Alex Example' },
      });
      assert.deepEqual(
        revealed.errors.map((error) => error.path),
        ['/incident/injuries', '/incident/occurredOn'],
      );
      const hidden = form.validate({
        incident: {
          severity: 'nearMiss',
          involved: ['staff'],
          injuries: 'typed before changing the answer',
          occurredOn: '2026-03-01',
        },
        reporter: { name: 'Alex Example' },
      });
      assert.equal(hidden.valid, true);
      assert.deepEqual(hidden.data.incident, { severity: 'nearMiss', involved: ['staff'] });
    });

    it('is rendered once, in one reveal under the choices, closed until a revealing choice is saved', () => {
      const $ = renderIncidentPage({});
      assert.equal($('#incident-injuries').length, 1);
      const reveal = $('#incident-injuries').closest('[data-module="formwork-reveal"]');
      assert.equal(reveal.length, 1);
      assert.ok(reveal.hasClass('govuk-radios__conditional--hidden'));
      assert.equal(reveal.attr('data-reveal-name'), 'incident.severity');
      assert.deepEqual(JSON.parse(reveal.attr('data-reveal-values') ?? ''), [
        'minor',
        'serious',
        'critical',
      ]);
      assert.equal(reveal.find('#incident-occurredOn-day').length, 1);
      assert.deepEqual(askedWithoutJavaScript($), ['']);
    });

    it('is rendered open, and counted as asked, once a revealing choice is the answer', () => {
      const $ = renderIncidentPage({ incident: { severity: 'critical' } });
      const reveal = $('#incident-injuries').closest('[data-module="formwork-reveal"]');
      assert.equal(reveal.hasClass('govuk-radios__conditional--hidden'), false);
      assert.deepEqual(askedWithoutJavaScript($), [
        '',
        '/incident/injuries',
        '/incident/occurredOn',
      ]);
    });
  });

  describe('on checkboxes (who was involved: a visitor, a contractor or the public)', () => {
    it('is shown when any revealing item is ticked, among others', () => {
      const shown = (involved: string[]) =>
        form.isShown('/incident/outsideContact', { incident: { involved } });
      assert.equal(shown(['staff']), false);
      assert.equal(shown([]), false);
      assert.equal(shown(['visitor']), true);
      assert.equal(shown(['staff', 'contractor']), true);
      assert.equal(shown(['public']), true);
    });

    it('is rendered in a checkboxes reveal after the items', () => {
      const closed = renderIncidentPage({ incident: { involved: ['staff'] } });
      const reveal = closed('#incident-outsideContact').closest('[data-module="formwork-reveal"]');
      assert.ok(reveal.hasClass('govuk-checkboxes__conditional--hidden'));
      const open = renderIncidentPage({ incident: { involved: ['staff', 'public'] } });
      const opened = open('#incident-outsideContact').closest('[data-module="formwork-reveal"]');
      assert.equal(opened.hasClass('govuk-checkboxes__conditional--hidden'), false);
    });
  });

  describe('when Continue is pressed on a page that did not show it', () => {
    const answers = {
      incident: { severity: 'serious', involved: ['visitor'] },
    };
    const errors = form.validatePage('incident', answers);

    it('holds back its errors and asks for the page again', () => {
      const body = new Map([['_asked', ['']]]);
      const held = holdBackUnasked(form, 'incident', answers, body, errors);
      assert.deepEqual(held.errors, []);
      assert.equal(held.askAgain, true);
    });

    it('reports its errors once it was on screen', () => {
      const body = new Map([
        ['_asked', ['', '/incident/injuries', '/incident/occurredOn', '/incident/outsideContact']],
      ]);
      const held = holdBackUnasked(form, 'incident', answers, body, errors);
      assert.deepEqual(
        held.errors.map((error) => error.path),
        ['/incident/injuries', '/incident/occurredOn', '/incident/outsideContact'],
      );
      assert.equal(held.askAgain, false);
    });

    it('holds back only the questions that were not on screen', () => {
      const body = new Map([['_asked', ['', '/incident/injuries', '/incident/occurredOn']]]);
      const held = holdBackUnasked(form, 'incident', answers, body, errors);
      assert.deepEqual(
        held.errors.map((error) => error.path),
        ['/incident/injuries', '/incident/occurredOn'],
      );
      assert.equal(held.askAgain, true);
    });

    it('treats a body without the list as having asked everything', () => {
      const held = holdBackUnasked(form, 'incident', answers, new Map(), errors);
      assert.equal(held.errors.length, 3);
      assert.equal(held.askAgain, false);
    });

    it('never holds back an error on a question that is always asked', () => {
      const blank = { incident: {} };
      const body = new Map([['_asked', ['']]]);
      const held = holdBackUnasked(
        form,
        'incident',
        blank,
        body,
        form.validatePage('incident', blank),
      );
      assert.deepEqual(
        held.errors.map((error) => error.path),
        ['/incident/severity', '/incident/involved'],
      );
      assert.equal(held.askAgain, false);
    });
  });
});
