import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  generateCensusReturns,
  InMemoryCensusRecordSource,
} from '../support/in-memory-census-source.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

/** How far the page is wider than the screen, in CSS pixels (0: nothing scrolls sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/** What sticks out of the screen, for the failure message. */
async function widerThanScreen(page: Page): Promise<string> {
  return page.evaluate<string>(
    "[...document.querySelectorAll('body *')].filter((e) => !e.closest('.formwork-table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((e) => e.tagName + '.' + e.className).join(', ')",
  );
}

describe('The workforce statistics pages at 320 px in real Chromium', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const returns = generateCensusReturns({
      year: 2026,
      authorities: [
        { laCode: '383', name: 'Leeds' },
        { laCode: '373', name: 'Sheffield' },
        { laCode: '878', name: 'Devon' },
      ],
      workers: [150, 10, 400],
      seed: 3,
    });
    [app, browser] = await Promise.all([
      startTestApp({ censusSource: new InMemoryCensusRecordSource(returns) }),
      launchBrowser(),
    ]);
    await app.addUser('analyst@example.gov.uk', 'analyst');
    const context = await browser.newContext({
      viewport: { width: 320, height: 700 },
      bypassCSP: true,
    });
    page = await context.newPage();
    await page.goto(`${app.url}/statistics`);
    await signInInBrowser(page, app, 'analyst@example.gov.uk');
  });
  after(async () => {
    await browser.close();
    await app.stop();
  });

  for (const [what, path] of [
    ['the national figures', '/statistics/2026'],
    ['an authority’s figures', '/statistics/2026/authorities/373'],
  ] as const) {
    it(`shows ${what} with no axe violation, tables scrolling inside their own region`, async () => {
      await page.goto(`${app.url}${path}`);
      assert.equal(await page.locator('h1').count(), 1);
      assert.ok((await page.locator('table.govuk-table').count()) >= 5);
      assert.ok((await page.getByRole('img', { name: /^Chart: / }).count()) >= 5);
      assert.deepEqual(await axeViolations(page), []);
      assert.equal(await sidewaysOverflow(page), 0, await widerThanScreen(page));
      // a table too wide for the screen scrolls in a region a keyboard can reach
      const region = page.locator('.formwork-table-scroll').first();
      assert.equal(await region.getAttribute('role'), 'region');
      assert.equal(await region.getAttribute('tabindex'), '0');
    });
  }

  it('downloads a table as CSV from its link', async () => {
    await page.goto(`${app.url}/statistics/2026`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('link', {
          name: /^Download this table as CSV\s*\(Social workers in post by gender/,
        })
        .click(),
    ]);
    assert.equal(download.suggestedFilename(), 'workforce-2026-national-gender.csv');
  });
});
