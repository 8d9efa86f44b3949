import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type WebClient } from '../support/web-client.js';

type Answers = Record<string, Record<string, unknown>>;

describe('The coordinator’s console over HTTP', function () {
  this.timeout(120_000);
  let app: TestApp;
  let coordinator: WebClient;
  let someone: WebClient;
  let example: Answers;
  const references: Record<string, string> = {};

  const submit = async (change: (answers: Answers) => void) => {
    const answers = structuredClone(example);
    change(answers);
    const response = await postReferral(app.url, await app.apiToken(), answers);
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { reference: string }).reference;
  };
  const shownReferences = (page: Awaited<ReturnType<WebClient['get']>>) =>
    page
      .$('#referrals tbody tr th a')
      .map((_i, link) => page.$(link).text().trim())
      .get();

  before(async () => {
    app = await startTestApp();
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Answers[] };
    };
    example = form.schema.examples[0] ?? {};
    // signed in before any workflow email, so the last email is the sign-in code
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
    someone = await app.signedIn('someone.else@example.gov.uk', '/my-forms');
    const as = (type: string, neededBy: string, authority: string) => (answers: Answers) => {
      answers.referrer = { ...answers.referrer, referralType: type, localAuthority: authority };
      answers.placement = { ...answers.placement, requiredByDate: neededBy };
    };
    // submitted in an order that is not the order of urgency
    references.plannedLate = await submit(as('planned', '2027-03-01', 'Leeds City Council'));
    references.plannedSoon = await submit(
      as('planned', '2027-01-10', 'Exampleshire County Council'),
    );
    references.emergency = await submit(as('emergency', '2027-02-01', 'Leeds City Council'));
  });
  after(async () => {
    await app.stop();
  });

  it('lists referrals most urgent first: the emergency, then by the date needed', async () => {
    const page = await coordinator.get('/coordinator');
    assert.equal(page.status, 200);
    assert.deepEqual(shownReferences(page), [
      references.emergency,
      references.plannedSoon,
      references.plannedLate,
    ]);
    const first = page.$('#referrals tbody tr').first();
    assert.match(first.text(), /Emergency/);
    assert.match(first.find('td[data-label="Needed by"]').text(), /1 February 2027/);
    assert.match(first.find('td[data-label="Referring authority"]').text(), /Leeds City Council/);
    assert.doesNotMatch(page.$('#referrals').text(), /Overdue/, 'every date is still to come');
  });

  it('counts the referrals of each status in words, each count a filter link', async () => {
    // routing runs in the background; every referral then waits for a review
    for (let tries = 0; tries < 100; tries += 1) {
      const page = await coordinator.get('/coordinator');
      if (
        (
          page
            .$('#referrals')
            .text()
            .match(/Review the proposed homes/g) ?? []
        ).length === 3
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const page = await coordinator.get('/coordinator');
    const counts = page
      .$('#status-counts a')
      .map((_i, link) => page.$(link).text().trim())
      .get();
    assert.deepEqual(counts, ['Submitted: 3']);
    assert.equal(page.$('#status-counts a').attr('href'), '/coordinator?status=submitted');
    assert.match(page.html, /3 referrals, 3 needing action/);
    assert.ok(!/\bsubmitted\b/.test(page.$('#referrals').text()), 'no status key is shown');
  });

  it('filters by status, referring authority and needing action, without JavaScript', async () => {
    const leeds = await coordinator.get(
      `/coordinator?authority=${encodeURIComponent('Leeds City Council')}&status=&action=yes`,
    );
    assert.equal(leeds.status, 200);
    assert.deepEqual(shownReferences(leeds), [references.emergency, references.plannedLate]);
    assert.equal(leeds.$('#authority option[selected]').text(), 'Leeds City Council');
    assert.equal(leeds.$('#action').attr('checked'), 'checked');
    const placed = await coordinator.get('/coordinator?status=placed');
    assert.deepEqual(shownReferences(placed), []);
    assert.match(placed.$('#no-matches').text(), /No referral matches these filters/);
  });

  it('answers a filter value that is not on offer with a 400 and a GOV.UK error', async () => {
    const page = await coordinator.get(
      '/coordinator?status=bogus&authority=Nowhere%20Council&action=maybe',
    );
    assert.equal(page.status, 400);
    assert.deepEqual(errorSummary(page), [
      'Select a status from the list',
      'Select a referring authority from the list',
      'Select whether to show only referrals needing action',
    ]);
    assert.equal(shownReferences(page).length, 3, 'a bad filter filters nothing');
  });

  it('is for coordinators only', async () => {
    assert.equal((await someone.get('/coordinator')).status, 403);
  });
});
