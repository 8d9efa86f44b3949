import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { toCollectionYear } from '../../src/census/census-year.js';
import { validateCswwXml } from '../../src/census/validate-csww-xml.js';
import { errorColumn } from '../../src/census/write-census-error-report.js';
import { toCensusCsv } from '../census/census-fixture.js';
import { workerRow } from '../census/census-file-generator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

const year = toCollectionYear(new Date());

/** How far the page is wider than the screen, in CSS pixels (0: nothing scrolls sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

describe('An HR officer’s census return in real Chromium at 320 px', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let dir: string;

  const checkPage = async (what: string) => {
    assert.deepEqual(await axeViolations(page), [], `axe on ${what}`);
    assert.ok((await sidewaysOverflow(page)) <= 0, `${what} is no wider than 320 px`);
  };

  before(async () => {
    [app, browser, dir] = await Promise.all([
      startTestApp(),
      launchBrowser(),
      mkdtemp(join(tmpdir(), 'census-browser-')),
    ]);
    await app.addUser('hr.officer@leeds.example.gov.uk', 'hr-officer', '383');
    const context = await browser.newContext({
      viewport: { width: 320, height: 800 },
      bypassCSP: true,
      acceptDownloads: true,
    });
    page = await context.newPage();
  });
  after(async () => {
    await browser.close();
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads a file with errors, mends it from the report, signs off and downloads the XML', async () => {
    await page.goto(`${app.url}/census/383/${String(year)}`);
    await signInInBrowser(page, app, 'hr.officer@leeds.example.gov.uk');
    assert.equal(await page.locator('h1').textContent(), `Workforce census return ${String(year)}`);
    await checkPage('the empty return');

    const faulty = join(dir, 'workers.csv');
    await writeFile(
      faulty,
      toCensusCsv([
        workerRow(1),
        { ...workerRow(2), PersonBirthDate: '1985-02-30' },
        { ...workerRow(3), Cases30: '45' },
        { ...workerRow(4), ReasonLeave: '1' },
      ]),
    );
    await page.getByLabel('CSV file').setInputFiles(faulty);
    await clickAndLoad(page, page.getByRole('button', { name: 'Upload and check the file' }));
    assert.equal(await page.locator('h1').textContent(), 'The file has errors');
    assert.match(
      (await page.locator('#upload-error-table').textContent()) ?? '',
      /Row 5, ReasonLeave/,
    );
    await checkPage('the report');

    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download the rows with errors/ }).click(),
    ]);
    const reportText = await readFile(await report.path(), 'utf8');
    assert.ok(reportText.split(/\r?\n/)[0]?.endsWith(errorColumn));
    assert.match(reportText, /SW300002/);

    await clickAndLoad(page, page.getByRole('link', { name: 'Upload the fixed file' }));
    const fixed = join(dir, 'workers-fixed.csv');
    await writeFile(
      fixed,
      toCensusCsv([workerRow(1), workerRow(2), { ...workerRow(3), Cases30: '45' }, workerRow(4)]),
    );
    await page.getByLabel('CSV file').setInputFiles(fixed);
    await clickAndLoad(page, page.getByRole('button', { name: 'Upload and check the file' }));
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /saved/);

    await page.getByLabel('Vacant posts (FTE)').fill('2.5');
    await page.getByLabel('Agency workers (FTE)').fill('0');
    await page.getByLabel('Agency workers (headcount)').fill('0');
    await clickAndLoad(page, page.getByRole('button', { name: 'Save the authority-level items' }));
    await page.getByLabel(/Explain: CSWW-Q02/).fill('A team was covering a long-term absence.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Validate the return' }));
    assert.match((await page.locator('#return-summary').textContent()) ?? '', /Validated/);
    await checkPage('the validated return');

    await page.getByLabel('Your full name').fill('Jo Bloggs');
    await page.getByLabel(/I confirm the return is complete/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Sign off the return' }));
    assert.match((await page.locator('#return-summary').textContent()) ?? '', /Jo Bloggs/);
    await checkPage('the signed-off return');

    const [xmlFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the CSWW XML file' }).click(),
    ]);
    assert.equal(xmlFile.suggestedFilename(), `csww-383-${String(year)}-1.xml`);
    const xml = await readFile(await xmlFile.path(), 'utf8');
    assert.deepEqual((await validateCswwXml(xml)).errors, []);
    assert.equal((xml.match(/<CSWWWorker>/g) ?? []).length, 4);
  });
});
