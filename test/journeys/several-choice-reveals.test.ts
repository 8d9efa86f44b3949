import assert from 'node:assert/strict';
import { pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';

/** Whether the question with `id` is inside a reveal that is closed on `page`. */
function isClosed(page: Page, id: string): boolean {
  return (
    page
      .$(`#${id}`)
      .closest('.govuk-radios__conditional--hidden, .govuk-checkboxes__conditional--hidden')
      .length > 0
  );
}

describe('Several-choice reveals over HTTP (a fixture form, browser without JavaScript)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let client: WebClient;

  before(async () => {
    app = await startTestApp({
      formsDir: 'test/fixtures/reveal-forms',
      env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
    });
  });
  after(() => app.stop());
  beforeEach(() => {
    client = app.client();
  });

  const start = async () => {
    await client.get('/forms/incident-report');
    const page = await client.post('/forms/incident-report/start', {});
    assert.equal(pageIdOf(page), 'incident');
    return page;
  };

  it('keeps every follow-up closed until a choice that reveals it is sent', async () => {
    const page = await start();
    assert.ok(isClosed(page, 'incident-injuries'));
    assert.ok(isClosed(page, 'incident-occurredOn-day'));
    assert.ok(isClosed(page, 'incident-outsideContact'));
  });

  it('moves on without asking anything more for a choice that reveals nothing', async () => {
    const page = await start();
    const next = await client.submit(page, {
      'incident.severity': 'nearMiss',
      'incident.involved': 'staff',
    });
    assert.equal(pageIdOf(next), 'reporter');
  });

  for (const severity of ['minor', 'serious', 'critical']) {
    it(`asks the follow-ups after Continue for "${severity}", without calling them errors`, async () => {
      const page = await start();
      const again = await client.submit(page, {
        'incident.severity': severity,
        'incident.involved': 'contractor',
      });
      assert.equal(again.status, 200);
      assert.equal(pageIdOf(again), 'incident');
      assert.deepEqual(errorSummary(again), []);
      assert.match(
        again.$('.govuk-notification-banner').text(),
        /Answer the questions that now appear/,
      );
      assert.equal(isClosed(again, 'incident-injuries'), false);
      assert.equal(isClosed(again, 'incident-occurredOn-day'), false);
      assert.equal(isClosed(again, 'incident-outsideContact'), false);
      assert.equal(
        again.$(`input[name="incident.severity"][value="${severity}"]`).attr('checked'),
        'checked',
      );

      // Now on screen, a blank follow-up is an error like any other.
      const blank = await client.submit(again);
      assert.equal(blank.status, 422);
      assert.deepEqual(errorSummary(blank), [
        'Describe the injuries',
        'Enter date of the incident',
        'Enter who outside your organisation should we contact?',
      ]);
    });
  }

  it('stores the follow-ups once answered, and discards them when the choice changes', async () => {
    const page = await start();
    const again = await client.submit(page, {
      'incident.severity': 'serious',
      'incident.involved': ['staff', 'visitor'],
    });
    const next = await client.submit(again, {
      'incident.injuries': 'A cut hand from a broken window',
      'incident.occurredOn-day': '2',
      'incident.occurredOn-month': '3',
      'incident.occurredOn-year': '2026',
      'incident.outsideContact': 'Sam Visitor',
    });
    assert.equal(pageIdOf(next), 'reporter');
    const summary = await client.submit(next, { 'reporter.name': 'Alex Example' });
    assert.ok(summary.url.endsWith('/check-answers'));
    assert.match(summary.$('main').text(), /A cut hand from a broken window/);
    assert.match(summary.$('main').text(), /Sam Visitor/);

    const incidentPath = new URL(page.url).pathname;
    const back = await client.get(`${incidentPath}?return=check-answers`);
    assert.equal(isClosed(back, 'incident-injuries'), false, 'open with the saved answer');
    // Without JavaScript the old follow-ups are posted again with the new choice.
    const changed = await client.submit(back, {
      'incident.severity': 'nearMiss',
      'incident.involved': 'staff',
    });
    assert.ok(changed.url.endsWith('/check-answers'));
    const text = changed.$('main').text();
    assert.doesNotMatch(text, /A cut hand/);
    assert.doesNotMatch(text, /Sam Visitor/);
  });
});
