import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { toCensusYear } from '../../src/census/census-year.js';
import { toStatisticsCsv } from '../../src/census/to-statistics-csv.js';
import { toWorkforceStatistics } from '../../src/census/workforce-tables.js';
import {
  generateCensusReturns,
  InMemoryCensusRecordSource,
} from '../support/in-memory-census-source.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Page, WebClient } from '../support/web-client.js';

const authorities = [
  { laCode: '383', name: 'Leeds' },
  { laCode: '373', name: 'Sheffield' },
  { laCode: '878', name: 'Devon' },
];
const returns = generateCensusReturns({
  year: 2026,
  authorities,
  workers: [120, 12, 300],
  seed: 7,
});
const expected = toWorkforceStatistics(returns, toCensusYear(2026));

/** The cells of a page's table under the heading `id`, as a person reads them (no hidden text). */
function tableCells(page: Page, id: string): string[][] {
  const section = page.$(`#${id}-heading`).closest('section');
  section.find('.govuk-visually-hidden').remove();
  return section
    .find('tr')
    .toArray()
    .map((row) =>
      page
        .$(row)
        .find('th, td')
        .toArray()
        .map((cell) => {
          const text = page.$(cell).text().trim();
          return /^[\d,.]+$/.test(text) ? text.replace(/,/g, '') : text;
        }),
    );
}

describe('The workforce statistics pages', function () {
  this.timeout(120_000);
  let app: TestApp;
  const clients = new Map<string, WebClient>();
  const as = async (email: string) => {
    const known = clients.get(email);
    if (known) return known;
    const client = await app.signedIn(email);
    clients.set(email, client);
    return client;
  };

  before(async () => {
    app = await startTestApp({ censusSource: new InMemoryCensusRecordSource(returns) });
    await app.addUser('analyst@example.gov.uk', 'analyst');
    await app.addUser('hr.leeds@example.gov.uk', 'hr-officer', '383');
    await app.addUser('dpo.leeds@example.gov.uk', 'data-protection-officer', '383');
    await app.addUser('sw.leeds@example.gov.uk', 'social-worker', '383');
    await app.addUser('dpo.unit@example.gov.uk', 'data-protection-officer');
  });
  after(async () => {
    await app.stop();
  });

  describe('for an analyst', () => {
    it('lists the census years and shows the national figures with every table, chart and CSV link', async () => {
      const client = await as('analyst@example.gov.uk');
      const index = await client.get('/statistics');
      assert.equal(index.status, 200);
      assert.ok(index.$('a[href="/statistics/2026"]').length === 1);
      assert.equal(index.$('header a[href="/statistics"]').text().trim(), 'Workforce statistics');
      const page = await client.get('/statistics/2026');
      assert.equal(page.status, 200);
      assert.match(page.$('h1').text(), /Children’s social work workforce/);
      const ids = ['headlines', 'gender', 'ethnicity', 'age', 'role', 'by-authority'];
      for (const id of ids) {
        const section = page.$(`#${id}-heading`).closest('section');
        assert.equal(section.find('table.govuk-table').length, 1, id);
        const chart = section.find('svg[role="img"]');
        assert.equal(chart.length, 1, id);
        assert.ok(chart.find('title').text().length > 0 && chart.find('desc').text().length > 0);
        assert.equal(section.find(`a[href="/statistics/2026/tables/${id}.csv"]`).length, 1, id);
      }
      assert.equal(page.$('a[href="/statistics/2026/authorities/373"]').length, 1);
    });

    it('downloads each national table as the CSV of the table on the page', async () => {
      const client = await as('analyst@example.gov.uk');
      const page = await client.get('/statistics/2026');
      for (const table of [...expected.national, expected.byAuthority]) {
        const file = await client.download(`/statistics/2026/tables/${table.id}.csv`);
        assert.equal(file.status, 200);
        assert.match(file.headers.get('content-type') ?? '', /^text\/csv/);
        assert.match(file.headers.get('content-disposition') ?? '', /attachment/);
        const csv = file.bytes.toString('utf8');
        assert.equal(csv, toStatisticsCsv(table));
        assert.deepEqual(parse(csv, {}), tableCells(page, table.id), table.id);
      }
    });

    it('shows small counts of a small authority as c, in the page and the CSV', async () => {
      const client = await as('analyst@example.gov.uk');
      const page = await client.get('/statistics/2026/authorities/373');
      assert.equal(page.status, 200);
      const gender = tableCells(page, 'gender');
      assert.ok(gender.slice(1).some((row) => row[1] === 'c'));
      assert.match(page.$('#gender-heading').closest('section').text(), /c \(suppressed\)/);
      const csv = (
        await client.download('/statistics/2026/authorities/373/tables/gender.csv')
      ).bytes.toString('utf8');
      assert.deepEqual(parse(csv), gender);
    });

    it('answers 404 for a year, authority or table that does not exist, and for malformed ones', async () => {
      const client = await as('analyst@example.gov.uk');
      for (const path of [
        '/statistics/2019',
        '/statistics/20x6',
        '/statistics/2026/authorities/999',
        '/statistics/2026/authorities/38',
        '/statistics/2026/authorities/%3Cscript%3E',
        '/statistics/2026/tables/nothing.csv',
        '/statistics/2026/tables/headlines.xlsx',
        '/statistics/2026/authorities/383/tables/by-authority.csv',
      ]) {
        const page = await client.get(path);
        assert.equal(page.status, 404, path);
        assert.doesNotMatch(page.html, /at .*\.ts:\d+/);
      }
    });
  });

  describe("for an authority's HR officer and data protection officer", () => {
    for (const email of ['hr.leeds@example.gov.uk', 'dpo.leeds@example.gov.uk']) {
      it(`${email.split('@')[0] ?? ''} sees their own authority's figures and CSV files only`, async () => {
        const client = await as(email);
        const index = await client.get('/statistics');
        assert.equal(index.status, 200);
        assert.deepEqual(
          index
            .$('main a.govuk-link')
            .toArray()
            .map((a) => index.$(a).attr('href')),
          ['/statistics/2026/authorities/383'],
        );
        assert.equal((await client.get('/statistics/2026/authorities/383')).status, 200);
        const own = await client.download('/statistics/2026/authorities/383/tables/headlines.csv');
        assert.equal(own.status, 200);
        assert.match(own.bytes.toString('utf8'), /^Measure,Leeds\r\n/);
        for (const path of [
          '/statistics/2026',
          '/statistics/2026/tables/headlines.csv',
          '/statistics/2026/authorities/373',
          '/statistics/2026/authorities/373/tables/gender.csv',
          '/statistics/2026/authorities/999',
        ]) {
          assert.equal((await client.download(path)).status, 403, path);
        }
      });
    }
  });

  describe('for everyone else', () => {
    it('refuses a social worker, a data protection officer of the unit and a coordinator', async () => {
      for (const email of [
        'sw.leeds@example.gov.uk',
        'dpo.unit@example.gov.uk',
        'coordinator@example.gov.uk',
      ]) {
        const client = await as(email);
        for (const path of [
          '/statistics',
          '/statistics/2026',
          '/statistics/2026/authorities/383',
          '/statistics/2026/authorities/383/tables/gender.csv',
        ]) {
          assert.equal((await client.download(path)).status, 403, `${email} ${path}`);
        }
      }
    });

    it('sends someone not signed in to sign in, showing no figures', async () => {
      const client = app.client();
      const file = await client.download('/statistics/2026/authorities/383/tables/gender.csv');
      assert.equal(file.status, 303);
      assert.match(file.headers.get('location') ?? '', /^\/sign-in\?return=/);
      const page = await client.get('/statistics/2026');
      assert.match(page.url, /\/sign-in/);
      assert.equal(page.$('table').length, 0);
    });
  });
});

describe('The workforce statistics pages before any census store is wired', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await app.addUser('analyst@example.gov.uk', 'analyst');
  });
  after(async () => {
    await app.stop();
  });

  it('say there are no returns yet, and have no year to show', async () => {
    const client = await app.signedIn('analyst@example.gov.uk');
    const index = await client.get('/statistics');
    assert.equal(index.status, 200);
    assert.match(index.$('main').text(), /There are no census returns to show yet/);
    assert.equal((await client.get('/statistics/2026')).status, 404);
  });
});
