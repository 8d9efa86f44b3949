import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toCollectionYear } from '../../src/census/census-year.js';
import { validateCswwXml } from '../../src/census/validate-csww-xml.js';
import { errorColumn } from '../../src/census/write-census-error-report.js';
import { toCensusCsv } from '../census/census-fixture.js';
import { workerRow } from '../census/census-file-generator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';

const year = toCollectionYear(new Date());
const leeds = `/census/383/${String(year)}`;
const faulty = toCensusCsv([
  workerRow(1),
  { ...workerRow(2), FTE30: '1.2' },
  { ...workerRow(3), Cases30: '45' },
  { ...workerRow(4), Ethnicity: 'XXXX' },
]);
const fixed = toCensusCsv([
  workerRow(1),
  workerRow(2),
  { ...workerRow(3), Cases30: '45' },
  workerRow(4),
]);

function csvForm(csv: string | Buffer, name = 'workers.csv'): FormData {
  const body = new FormData();
  body.append('censusFile', new Blob([csv], { type: 'text/csv' }), name);
  return body;
}

describe('the census return pages', function () {
  this.timeout(120_000);
  let app: TestApp;
  let hr: WebClient;

  const audited = async (action: string) =>
    Number(
      (
        await app.running.db.query<{ n: string | number }>(
          'SELECT count(*) AS n FROM audit_events WHERE action = $1',
          [action],
        )
      ).rows[0]?.n,
    );

  before(async () => {
    app = await startTestApp();
    await app.addUser('hr.officer@leeds.example.gov.uk', 'hr-officer', '383');
    await app.addUser('hr.officer@sheffield.example.gov.uk', 'hr-officer', '373');
    await app.addUser('dpo@leeds.example.gov.uk', 'data-protection-officer', '383');
    await app.addUser('social.worker@leeds.example.gov.uk', 'social-worker', '383');
    await app.addUser('analyst@dfe.example.gov.uk', 'analyst');
    hr = await app.signedIn('hr.officer@leeds.example.gov.uk');
  });
  after(async () => {
    await app.stop();
  });

  describe('when an HR officer opens the census', () => {
    it('lists the officer’s authority and opens its return, audited', async () => {
      const index = await hr.get('/census');
      assert.equal(index.status, 200);
      assert.equal(index.$(`a[href="${leeds}"]`).length, 1);
      const page = await hr.get(leeds);
      assert.equal(page.status, 200);
      assert.match(page.$('#return-summary').text(), /Open/);
      assert.ok((await audited('census.return.view')) >= 1);
    });
  });

  describe('refuses bad uploads with a clear message, storing nothing', () => {
    it('without the CSRF token', async () => {
      const body = csvForm(faulty);
      body.append('_csrf', 'forged');
      const page = await hr.postMultipart(`${leeds}/upload`, body);
      assert.equal(page.status, 403);
    });

    it('without a file', async () => {
      await hr.get(leeds);
      const page = await hr.postMultipart(`${leeds}/upload`, new FormData());
      assert.equal(page.status, 422);
      assert.deepEqual(errorSummary(page), ['Select a CSV file of the return’s workers']);
    });

    it('given an Excel workbook', async () => {
      const page = await hr.postMultipart(
        `${leeds}/upload`,
        csvForm(Buffer.from('PK\u0003\u0004rest of a zip'), 'workers.xlsx'),
      );
      assert.equal(page.status, 422);
      assert.match(errorSummary(page)[0] ?? '', /save it as CSV/);
    });

    it('over the size ceiling', async () => {
      const page = await hr.postMultipart(
        `${leeds}/upload`,
        csvForm(Buffer.alloc(20 * 1024 * 1024 + 10, 'a')),
      );
      assert.equal(page.status, 422);
      assert.deepEqual(errorSummary(page), ['The selected file must be smaller than 20 MB']);
    });

    it('whose header names no census item', async () => {
      const page = await hr.postMultipart(`${leeds}/upload`, csvForm('Name,Salary\r\nA,1\r\n'));
      assert.equal(page.status, 422);
      assert.ok(errorSummary(page).some((text) => /Column "Name" is not a census item/.test(text)));
    });

    it('with authority-level items that are not numbers', async () => {
      await hr.get(leeds);
      const page = await hr.post(`${leeds}/vacancies`, {
        numberOfVacancies: 'lots',
        agencyFte: '1.234',
        agencyHeadcount: '2.5',
      });
      assert.equal(page.status, 422);
      assert.equal(errorSummary(page).length, 3);
    });
  });

  let reportPath = '';

  describe('when a file has errors', () => {
    it('reports a file with errors by row and column, errors apart from queries', async () => {
      await hr.get(leeds);
      const page = await hr.postMultipart(`${leeds}/upload`, csvForm(faulty));
      assert.equal(page.status, 200);
      reportPath = new URL(page.url).pathname;
      assert.match(reportPath, /\/uploads\/[0-9a-f-]{36}$/);
      const errors = page
        .$('#upload-error-table tbody tr')
        .map((_i, row) => page.$(row).text())
        .get();
      assert.equal(errors.length, 2);
      assert.match(errors[0] ?? '', /3\s*FTE30\s*1\.2/);
      assert.match(errors[1] ?? '', /5\s*Ethnicity\s*XXXX/);
      assert.match(
        page.$('#upload-query-table').text(),
        /Row 4, Cases30: 45 is more than 40 cases/,
      );
      const view = await hr.get(leeds);
      assert.match(view.$('#return-summary').text(), /Workers\s*0/);
    });
  });

  describe('the error report', () => {
    it('downloads the failing rows with an error column', async () => {
      const { status, bytes, headers } = await hr.download(`${reportPath}/errors.csv`);
      assert.equal(status, 200);
      assert.match(headers.get('content-type') ?? '', /text\/csv/);
      assert.match(headers.get('content-disposition') ?? '', /attachment/);
      const lines = bytes.toString('utf8').trim().split(/\r?\n/);
      assert.ok(lines[0]?.endsWith(errorColumn));
      assert.equal(lines.length, 4);
      assert.equal(await audited('census.upload.error-report.download'), 1);
    });
  });

  describe('who else can see it', () => {
    it('lets the authority’s data protection officer read but not change it', async () => {
      const dpo = await app.signedIn('dpo@leeds.example.gov.uk');
      assert.equal((await dpo.get(leeds)).status, 200);
      assert.equal((await dpo.get(reportPath)).status, 200);
      const refused = await dpo.postMultipart(`${leeds}/upload`, csvForm(fixed));
      assert.equal(refused.status, 403);
    });

    for (const email of [
      'hr.officer@sheffield.example.gov.uk',
      'social.worker@leeds.example.gov.uk',
      'analyst@dfe.example.gov.uk',
    ]) {
      it(`answers ${email} as if there were nothing there`, async () => {
        const other = await app.signedIn(email);
        for (const path of [leeds, reportPath]) assert.equal((await other.get(path)).status, 404);
        assert.equal((await other.download(`${reportPath}/errors.csv`)).status, 404);
        const refused = await other.post(`${leeds}/vacancies`, {
          numberOfVacancies: '1',
          agencyFte: '1',
          agencyHeadcount: '1',
        });
        // a stale token or no access: refused either way, and nothing changed
        assert.ok([403, 404].includes(refused.status), String(refused.status));
        if (!email.startsWith('hr.')) assert.equal((await other.get('/census')).status, 403);
      });
    }

    it('sends someone not signed in to sign in', async () => {
      const response = await fetch(`${app.url}${leeds}`, { redirect: 'manual' });
      assert.equal(response.status, 303);
      assert.match(response.headers.get('location') ?? '', /^\/sign-in/);
    });
  });

  describe('keeping the valid rows of a file with errors', () => {
    it('stores those rows only, and the report can no longer be kept', async () => {
      await hr.get(reportPath);
      const page = await hr.post(`${reportPath}/keep`, {});
      assert.match(page.url, /done=kept/);
      assert.match(page.$('#return-summary').text(), /Workers\s*2/);
      assert.equal(await audited('census.upload.kept'), 1);
      const report = await hr.get(reportPath);
      assert.equal(report.$('form[action$="/keep"]').length, 0);
      assert.match(report.$('main').text(), /rows without errors were kept/);
      assert.equal((await hr.post(`${reportPath}/keep`, {})).status, 404);
    });
  });

  describe('records entered through the form', () => {
    it('reads records entered one by one through the census form into the year’s return', async () => {
      const token = await app.apiToken(['social-care-workforce-census'], '383');
      const response = await fetch(
        `${app.url}/api/v1/forms/social-care-workforce-census/submissions`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            AgencyWorker: 1,
            SWENo: 'SW399999',
            FTE: 0.5,
            FTE30: 0.5,
            ContractWeeks: 20,
          }),
        },
      );
      assert.equal(response.status, 201, await response.text());
      const page = await hr.get(leeds);
      assert.match(page.$('#return-summary').text(), /Entered one by one through the form\s*1/);
    });
  });

  describe('when the file is fixed', () => {
    it('stores the fixed file, then validates, signs off and exports valid XML', async () => {
      await hr.get(leeds);
      let page: Page = await hr.postMultipart(`${leeds}/upload`, csvForm(fixed));
      assert.match(page.url, /done=uploaded/);
      assert.match(page.$('#return-summary').text(), /Workers\s*5/);
      page = await hr.post(`${leeds}/vacancies`, {
        numberOfVacancies: '3.5',
        agencyFte: '1',
        agencyHeadcount: '1',
      });
      assert.match(page.url, /done=vacancies/);
      page = await hr.post(`${leeds}/validate`, {});
      assert.equal(page.status, 422);
      assert.deepEqual(errorSummary(page), ['Explain the queries of rule CSWW-Q02']);
      page = await hr.post(`${leeds}/validate`, { 'explanation-CSWW-Q02': 'Covering a vacancy.' });
      assert.match(page.url, /done=validated/);
      page = await hr.post(`${leeds}/sign-off`, { signOffName: '' });
      assert.equal(errorSummary(page).length, 2);
      page = await hr.post(`${leeds}/sign-off`, {
        signOffName: 'Jo Bloggs',
        signOffConfirm: 'yes',
      });
      assert.match(page.$('#return-summary').text(), /Signed off by\s*Jo Bloggs/);
      const locked = await hr.postMultipart(`${leeds}/upload`, csvForm(fixed));
      assert.equal(locked.status, 409);
      await hr.get(leeds);
      const exported = await fetch(`${app.url}${leeds}/export`, {
        method: 'POST',
        headers: {
          cookie: hr.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          _csrf: (await hr.get(leeds)).$('input[name="_csrf"]').first().attr('value') ?? '',
        }).toString(),
      });
      assert.equal(exported.status, 200);
      assert.match(exported.headers.get('content-disposition') ?? '', /csww-383-\d{4}-1\.xml/);
      const xml = await exported.text();
      assert.deepEqual((await validateCswwXml(xml)).errors, []);
      assert.equal((xml.match(/<CSWWWorker>/g) ?? []).length, 5);
      assert.equal(await audited('census.return.export'), 1);
      assert.equal(await audited('census.return.sign-off'), 1);
    });
  });

  describe('the census export command', () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['bin/formwork.js', 'census', 'export', ...args], {
        env: { ...process.env, DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' },
      });

    it('writes the signed-off return to DATA_DIR/exports, valid against the XSD, audited', async () => {
      const { stdout } = await cli('--la', '383', '--year', String(year));
      const path = join(app.dataDir, 'exports', `csww-383-${String(year)}-2.xml`);
      assert.match(stdout, new RegExp(path.replaceAll('/', '\\/')));
      assert.deepEqual((await validateCswwXml(await readFile(path, 'utf8'))).errors, []);
      assert.equal(await audited('census.return.export'), 2);
    });

    it('refuses an authority whose return is not signed off, in one line', async () => {
      await assert.rejects(
        cli('--la', '373', '--year', String(year)),
        (error: { stderr: string }) => {
          assert.match(error.stderr, /^formwork: .*signed off/);
          assert.doesNotMatch(error.stderr, /\n\s+at /);
          return true;
        },
      );
    });
  });
});
