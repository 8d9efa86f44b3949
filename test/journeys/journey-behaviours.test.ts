import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import { answersToFields, pick } from '../support/answers-to-fields.js';
import { answerPage, pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorLinks, errorSummary, type WebClient } from '../support/web-client.js';

interface ErrorCase {
  name: string;
  page: string;
  fields: Record<string, string>;
  href: string;
  text: string;
}

const errorCases = (
  JSON.parse(readFileSync('test/cases/census-page-errors.json', 'utf8')) as { cases: ErrorCase[] }
).cases;
const census = 'social-care-workforce-census';

/** `(?i)` at the start of a case's pattern makes it case-insensitive. */
function toRegExp(pattern: string): RegExp {
  return pattern.startsWith('(?i)') ? new RegExp(pattern.slice(4), 'i') : new RegExp(pattern);
}

describe('The form journey', function () {
  this.timeout(90_000);
  let app: TestApp;
  let forms: FormRegistry;
  let people = 0;
  const person = () => app.signedIn(`hr.${(people += 1)}@example.gov.uk`, `/forms/${census}`);

  before(async () => {
    forms = await loadForms('forms');
    app = await startTestApp();
  });
  after(() => app.stop());

  /** A draft whose answers so far are the permanent worker's, up to (not including) `pageId`. */
  const draftUpTo = async (client: WebClient, pageId: string) => {
    const form = forms.get(census)!;
    const example = form.examples()[1]!;
    let page = await client.post(`/forms/${census}/start`, {});
    while (pageIdOf(page) !== pageId) page = await answerPage(client, form, page, example);
    return { page, example, form };
  };

  describe('when an answer is wrong', () => {
    for (const errorCase of errorCases) {
      it(`shows "${errorCase.name}" in the error summary, linked to the field, and keeps the answer`, async () => {
        const client = await person();
        const { page, example, form } = await draftUpTo(client, errorCase.page);
        const valid = new Map(answersToFields(pick(example, form.page(errorCase.page).properties)));
        for (const [name, value] of Object.entries(errorCase.fields)) {
          valid.set(name, value.startsWith('@') ? 'x'.repeat(Number(value.slice(1))) : value);
        }
        const refused = await client.post(new URL(page.url).pathname, [
          ...valid,
          ['_action', 'continue'],
        ]);
        assert.equal(refused.status, 422);
        assert.equal(pageIdOf(refused), errorCase.page);
        const index = errorLinks(refused).indexOf(errorCase.href);
        assert.ok(index >= 0, `${errorCase.href} in ${errorLinks(refused).join(', ')}`);
        assert.match(errorSummary(refused)[index]!, toRegExp(errorCase.text));
        assert.equal(refused.$(errorCase.href).length, 1, 'the link target exists');
        assert.ok(refused.$('.govuk-error-message').length >= 1, 'an inline error is shown');
        const [name, value] = Object.entries(errorCase.fields)[0]!;
        if (
          !value.startsWith('@') &&
          value !== '' &&
          errorCase.name !== 'a choice that is not on the list'
        ) {
          assert.equal(refused.$(`[name="${name}"]`).attr('value'), value, 'the answer is kept');
        }
      });
    }
  });

  it('asks the questions for permanent workers only when the worker is not from an agency', async () => {
    const client = await person();
    const form = forms.get(census)!;
    const agency = form.examples().find((example) => example.AgencyWorker === 1)!;
    const first = await client.post(`/forms/${census}/start`, {});
    const afterAgency = await answerPage(client, form, first, agency);
    assert.notEqual(pageIdOf(afterAgency), 'personal-details');
    const back = await client.get(new URL(first.url).pathname);
    const afterPermanent = await client.submit(back, { AgencyWorker: '0' });
    assert.equal(pageIdOf(afterPermanent), 'personal-details');
  });

  it('reveals the order questions under the order status chosen, and discards them when it changes', async () => {
    const form = forms.get('secure-welfare-referral')!;
    const client = await app.signedIn(
      `sw.${(people += 1)}@example.gov.uk`,
      '/forms/secure-welfare-referral',
    );
    const granted = form.examples()[0]!;
    const emergency = form.examples()[2]!;
    let page = await client.post('/forms/secure-welfare-referral/start', {});
    while (pageIdOf(page) !== 'legal-basis') page = await answerPage(client, form, page, granted);
    const legalBasisPath = new URL(page.url).pathname;
    assert.ok(
      page.$('.govuk-radios__conditional #legalBasis-orderStartDate-day').length === 1,
      'the order dates are revealed under "An order has been granted"',
    );
    page = await answerPage(client, form, page, granted);
    while (!page.url.endsWith('/check-answers'))
      page = await answerPage(client, form, page, granted);
    assert.match(page.$('main').text(), /Family Court sitting at Exampletown/);

    // Without JavaScript every revealed question stays on the page, so the old answers are
    // posted again alongside the new choice; they must still be discarded.
    const again = await client.get(`${legalBasisPath}?return=check-answers`);
    const changed = await client.submit(again, {
      'legalBasis.orderStatus': 'seventyTwoHour',
      'legalBasis.legalStatusEngland': 'remand',
      'legalBasis.seventyTwoHourStartDate-day': '21',
      'legalBasis.seventyTwoHourStartDate-month': '11',
      'legalBasis.seventyTwoHourStartDate-year': '2026',
      'legalBasis.seventyTwoHourStartTime': String(
        emergency.legalBasis &&
          (emergency.legalBasis as Record<string, unknown>).seventyTwoHourStartTime,
      ),
    });
    let summary = changed;
    while (!summary.url.endsWith('/check-answers'))
      summary = await answerPage(client, form, summary, emergency);
    const text = summary.$('main').text();
    assert.doesNotMatch(text, /Family Court sitting at Exampletown/);
    assert.match(text, /09:15/);
  });

  it('saves a draft with "Save and come back later" and lists it in "Your forms"', async () => {
    const client = await person();
    const form = forms.get(census)!;
    const example = form.examples()[1]!;
    const first = await client.post(`/forms/${census}/start`, {});
    const fields = answersToFields(pick(example, form.page('worker').properties));
    const saved = await client.post(new URL(first.url).pathname, [...fields, ['_action', 'save']]);
    assert.match(saved.$('h1, .govuk-panel__title').text(), /saved/i);
    const mine = await client.get('/my-forms');
    const link = mine.$('a[href*="/check-answers"]').attr('href');
    assert.ok(link, 'the saved form is listed with a link to carry on');
    const resumed = await client.get(link);
    assert.equal(pageIdOf(resumed), 'personal-details', 'carries on at the first unanswered page');
    const worker = await client.get(new URL(first.url).pathname);
    assert.equal(worker.$('input[name="SWENo"]').attr('value'), example.SWENo);
    const draftId = new URL(first.url).pathname.split('/')[3];
    const { rows } = await app.running.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'draft.update' AND subject_id = $1`,
      [draftId],
    );
    assert.equal(rows.length, 1, 'the change is audited once');
    assert.doesNotMatch(
      JSON.stringify(rows),
      new RegExp(example.SWENo as string),
      'without the answers',
    );
  });
});
