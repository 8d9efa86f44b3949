import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadForms } from '../../src/forms/load-forms.js';
import type { FormModel } from '../../src/forms/form-model.js';
import { keptAnswerHint, notShownHtml } from '../../src/forms/fields/write-only-field.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';

const formsDir = 'test/fixtures/write-only-forms';
const passphrase = 'first-secret-phrase';
const newPassphrase = 'second-secret-phrase';
const samPin = 'PIN-98765';
const kimPin = 'PIN-22222';

/** The text of the summary row keyed `key` on a check-your-answers page. */
function rowValue(page: Page, key: string): string {
  const row = page
    .$('.govuk-summary-list__row')
    .filter((_index, element) => page.$(element).find('dt').text().trim() === key);
  assert.equal(row.length, 1, `one row for ${key}`);
  return row.find('dd.govuk-summary-list__value').text().trim();
}

describe('A writeOnly answer', function () {
  this.timeout(60_000);
  let app: TestApp;
  let form: FormModel;
  let client: WebClient;
  let base: string;
  let checkAnswers: Page;
  let workflowsDir: string;

  before(async () => {
    form = (await loadForms(formsDir)).get('secret-answers')!;
    workflowsDir = await mkdtemp(join(tmpdir(), 'formwork-write-only-workflows-'));
    app = await startTestApp({ formsDir, env: { WORKFLOWS_DIR: workflowsDir } });
    client = app.client();
    await client.get('/forms/secret-answers');
    const account = await client.post('/forms/secret-answers/start', {});
    base = new URL(account.url).pathname.replace(/\/account$/, '');
    await client.post(`${base}/account`, { username: 'alex', passphrase, _action: 'continue' });
    checkAnswers = await client.post(`${base}/helpers`, {
      'helpers.0.name': 'Sam',
      'helpers.0.pin': samPin,
      _action: 'continue',
    });
    assert.ok(checkAnswers.url.endsWith('/check-answers'), errorSummary(checkAnswers).join('; '));
  });
  after(async () => {
    await app.stop();
    await rm(workflowsDir, { recursive: true, force: true });
  });

  describe('on check your answers', () => {
    it('says it was given, without showing it', () => {
      assert.equal(rowValue(checkAnswers, 'Passphrase'), notShownHtml);
      assert.equal(rowValue(checkAnswers, 'Helper 1: Helper PIN'), notShownHtml);
      assert.equal(rowValue(checkAnswers, 'Username'), 'alex');
      assert.ok(!checkAnswers.html.includes(passphrase));
      assert.ok(!checkAnswers.html.includes(samPin));
    });
  });

  describe('when its page is seen again', () => {
    it('leaves its input empty and says a blank answer keeps the one given', async () => {
      const page = await client.get(`${base}/account?return=check-answers`);
      assert.equal(page.$('#passphrase').attr('value') ?? '', '');
      assert.equal(page.$('#username').attr('value'), 'alex', 'other answers are shown');
      assert.match(page.$('#passphrase-hint').text(), new RegExp(keptAnswerHint));
      assert.ok(!page.html.includes(passphrase));
      const helpers = await client.get(`${base}/helpers`);
      assert.equal(helpers.$('#helpers-0-pin').attr('value') ?? '', '');
      assert.ok(!helpers.html.includes(samPin));
    });

    it('keeps the stored answer when the page is sent with it blank', async () => {
      const back = await client.post(`${base}/account?return=check-answers`, {
        username: 'alex',
        passphrase: '',
        _action: 'continue',
      });
      assert.ok(back.url.endsWith('/check-answers'), errorSummary(back).join('; '));
      assert.equal(rowValue(back, 'Passphrase'), notShownHtml);
    });

    it('does not show a new answer back when the page has an error', async () => {
      const refused = await client.post(`${base}/account?return=check-answers`, {
        username: 'Not Valid!',
        passphrase: newPassphrase,
        _action: 'continue',
      });
      assert.equal(refused.status, 422);
      assert.equal(refused.$('#passphrase').attr('value') ?? '', '');
      assert.ok(!refused.html.includes(newPassphrase));
      const fixed = await client.post(`${base}/account?return=check-answers`, {
        username: 'alex',
        passphrase: '',
        _action: 'continue',
      });
      assert.ok(fixed.url.endsWith('/check-answers'), errorSummary(fixed).join('; '));
    });

    it('asks again for the answers of a list that lost an item, so none moves to another', async () => {
      await client.post(`${base}/helpers?return=check-answers`, {
        'helpers.0.name': 'Sam',
        'helpers.0.pin': '',
        _action: 'add:/helpers',
      });
      const two = await client.get(`${base}/helpers?return=check-answers`);
      assert.equal(two.$('#helpers-1-name').length, 1, 'a second helper to fill in');
      assert.match(two.$('#helpers-0-pin-hint').text(), new RegExp(keptAnswerHint), 'Sam’s kept');
      assert.equal(two.$('#helpers-1-pin-hint').length, 0, 'the new helper has none yet');
      const removed = await client.post(`${base}/helpers?return=check-answers`, {
        'helpers.0.name': 'Sam',
        'helpers.0.pin': '',
        'helpers.0._remove': 'true',
        'helpers.1.name': 'Kim',
        'helpers.1.pin': '',
        _action: 'continue',
      });
      assert.equal(removed.status, 422, 'Kim is not given Sam’s PIN');
      assert.equal(removed.$('#helpers-0-name').attr('value'), 'Kim');
      assert.ok(removed.$('.govuk-error-summary a[href="#helpers-0-pin"]').length > 0);
      const done = await client.post(`${base}/helpers?return=check-answers`, {
        'helpers.0.name': 'Kim',
        'helpers.0.pin': kimPin,
        _action: 'continue',
      });
      assert.ok(done.url.endsWith('/check-answers'), errorSummary(done).join('; '));
      checkAnswers = done;
    });
  });

  describe('once sent', () => {
    let data: Record<string, unknown>;
    before(async () => {
      const confirmation = await client.submit(checkAnswers, {}, 'send');
      const reference = /SEC-\d{4}-\d{5}/.exec(confirmation.$('.govuk-panel').text())![0];
      const response = await fetch(`${app.url}/api/v1/submissions/${reference}`, {
        headers: { authorization: `Bearer ${await app.apiToken()}` },
      });
      assert.equal(response.status, 200);
      data = ((await response.json()) as { data: Record<string, unknown> }).data;
    });

    it('stores the last answer given, blank sends having kept it', () => {
      assert.equal(data.passphrase, newPassphrase);
      assert.deepEqual(data.helpers, [{ name: 'Kim', pin: kimPin }]);
    });

    it('is not shown to other readers (the review summary and its key answers)', () => {
      const review = form.reviewSummary(data).flatMap((section) => section.rows);
      const key = form.keySummary(data);
      for (const rows of [review, key]) {
        const html = rows.map((row) => row.valueHtml).join('\n');
        assert.ok(!html.includes(newPassphrase) && !html.includes(kimPin));
      }
      assert.equal(key.find((row) => row.key === 'Passphrase')?.valueHtml, notShownHtml);
    });
  });
});
