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

describe('The coordinator’s console with more referrals than fit on a page', function () {
  this.timeout(120_000);
  let app: TestApp;
  let coordinator: WebClient;
  const total = 120;

  const referencesOn = (page: Awaited<ReturnType<WebClient['get']>>) =>
    page
      .$('#referrals tbody tr th a')
      .map((_i, link) => page.$(link).text().trim())
      .get();
  const pageLinks = (page: Awaited<ReturnType<WebClient['get']>>) =>
    page
      .$('nav.govuk-pagination a')
      .map((_i, link) => page.$(link).attr('href') ?? '')
      .get();

  before(async () => {
    app = await startTestApp();
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
    // Stored as a referral just received is, before its workflow starts: needed on day n.
    // Even-numbered referrals are Leeds's.
    await app.running.db.query(
      `INSERT INTO submissions (id, reference, form_id, form_version, organisation_id, status,
         data, source, actor_type, submitted_at, retain_until)
       SELECT gen_random_uuid(), 'SWR-PAGE-' || lpad(n::text, 3, '0'), 'secure-welfare-referral',
         '1', 'default', 'received',
         jsonb_build_object(
           'placement', jsonb_build_object('requiredByDate', to_char(date '2027-01-01' + n, 'YYYY-MM-DD')),
           'referrer', jsonb_build_object('localAuthority',
             CASE WHEN n % 2 = 0 THEN 'Leeds City Council' ELSE 'Exampleshire County Council' END)),
         'api', 'anonymous', now(), date '2030-01-01'
       FROM generate_series(1, $1::int) AS n`,
      [total],
    );
  });
  after(async () => {
    await app.stop();
  });

  it('lists 50 a page, most urgent first across the pages, and reaches every referral', async () => {
    const first = await coordinator.get('/coordinator');
    assert.equal(first.status, 200);
    assert.match(first.$('#referrals caption').text(), /1 to 50 of 120/);
    const seen = referencesOn(first);
    assert.equal(seen.length, 50);
    assert.deepEqual(seen.slice(0, 2), ['SWR-PAGE-001', 'SWR-PAGE-002'], 'the soonest first');
    assert.deepEqual(pageLinks(first), [
      '/coordinator#referrals',
      '/coordinator?page=2#referrals',
      '/coordinator?page=3#referrals',
      '/coordinator?page=2#referrals',
    ]);
    assert.equal(first.$('nav.govuk-pagination [aria-current="page"]').text().trim(), '1');
    for (const number of [2, 3]) {
      const page = await coordinator.get(`/coordinator?page=${String(number)}`);
      assert.equal(page.status, 200);
      seen.push(...referencesOn(page));
    }
    const expected = Array.from(
      { length: total },
      (_v, i) => `SWR-PAGE-${String(i + 1).padStart(3, '0')}`,
    );
    assert.deepEqual(seen, expected, 'each referral once, in order of urgency');
  });

  it('keeps the filters in the page links', async () => {
    const leeds = await coordinator.get(
      `/coordinator?authority=${encodeURIComponent('Leeds City Council')}&page=2`,
    );
    assert.equal(leeds.status, 200);
    assert.match(leeds.$('#referrals caption').text(), /51 to 60 of 60 matching/);
    assert.deepEqual(referencesOn(leeds).slice(0, 1), ['SWR-PAGE-102']);
    assert.ok(
      pageLinks(leeds).includes('/coordinator?authority=Leeds+City+Council#referrals'),
      pageLinks(leeds).join(' '),
    );
  });

  it('shows the last page for a page past the end and the first for one that is not a number', async () => {
    const past = await coordinator.get('/coordinator?page=99');
    assert.equal(past.status, 200);
    assert.equal(referencesOn(past).length, 20);
    const bogus = await coordinator.get('/coordinator?page=%3Cscript%3E');
    assert.equal(bogus.status, 200);
    assert.equal(referencesOn(bogus)[0], 'SWR-PAGE-001');
    assert.ok(
      pageLinks(bogus).every((href) => !/script/i.test(href)),
      'the bad value is not carried into the links',
    );
  });
});
