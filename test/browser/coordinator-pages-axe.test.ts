import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

/** How far the page is wider than the screen, in CSS pixels (0: nothing scrolls sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * Every coordinator page, reached as a coordinator reaches it (JavaScript on), checked with
 * axe-core's WCAG 2.2 AA rules and its `region` rule at a 375 px and a 320 px wide screen.
 */
describe('Every coordinator page with axe (WCAG 2.2 AA and region) at 375 px and 320 px', function () {
  this.timeout(240_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let reference: string;
  const found: string[] = [];
  const checked: string[] = [];

  /** Checks the page as shown at both widths; the findings are asserted at the end. */
  const check = async (what: string) => {
    for (const width of [375, 320]) {
      await page.setViewportSize({ width, height: 800 });
      checked.push(`${what} at ${String(width)} px`);
      for (const violation of await axeViolations(page, { alsoRules: ['region'] }))
        found.push(`${what} at ${String(width)} px: ${violation}`);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0)
        found.push(`${what} at ${String(width)} px: ${String(overflow)} px too wide`);
    }
  };
  const open = async (path: string, what: string) => {
    await page.goto(`${app.url}${path}`);
    await check(what);
  };

  before(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const response = await postReferral(
      app.url,
      await app.apiToken(),
      form.schema.examples[0] ?? {},
    );
    reference = ((await response.json()) as { reference: string }).reference;
    const context = await browser.newContext({
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
    });
    page = await context.newPage();
    await page.goto(`${app.url}/coordinator`);
    await signInInBrowser(page, app, 'coordinator@example.gov.uk');
  });
  after(async () => {
    await browser.close();
    await app.stop();
  });

  it('finds no violation and nothing wider than the screen on any of them', async () => {
    await open('/coordinator', 'the console');
    await open('/coordinator?status=placed', 'the console, filtered to nothing');
    await open('/coordinator?status=bogus', 'the console with a filter error');
    await open('/accessibility', 'the accessibility statement');

    // a home with no link yet, then one just created (the "Create link" buttons' page)
    await open('/coordinator/homes/adel-beck/vacancy-link', 'a vacancy link page with no link');
    await clickAndLoad(page, page.getByRole('button', { name: /^Create link for Adel Beck/ }));
    await check('a vacancy link just created');
    await clickAndLoad(page, page.getByRole('button', { name: /^Email the link to Adel Beck/ }));
    await check('a vacancy link emailed');
    // Adel Beck has no free bed today, so the confirmation asks why
    const path = new URL((await page.locator('#vacancy-link').textContent()) ?? '').pathname;
    await page.goto(`${app.url}${path}`);
    await page.getByLabel(/welfare beds are free today/).fill('0');
    await clickAndLoad(page, page.getByRole('button', { name: 'Declare vacancies' }));

    for (let tries = 0; tries < 100; tries += 1) {
      await page.goto(`${app.url}/coordinator/referrals/${reference}`);
      if ((await page.locator('input[name="homes"]').count()) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await check('a referral waiting for review');
    await clickAndLoad(page, page.getByRole('button', { name: 'Run routing again' }));
    await check('a referral after routing ran again');
    await page.getByRole('checkbox', { name: /^Adel Beck/ }).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
    await check('the confirmation, with a home without a vacancy');
    await clickAndLoad(page, page.getByRole('button', { name: 'Yes, send the packs' }));
    await check('the confirmation with its error');
    await page.getByLabel('Why send the pack to homes without a declared vacancy?').fill('Phoned');
    await clickAndLoad(page, page.getByRole('button', { name: 'Yes, send the packs' }));
    await check('a referral just approved');

    for (let tries = 0; tries < 100; tries += 1) {
      await page.goto(`${app.url}/coordinator/referrals/${reference}`);
      if ((await page.locator('form[action$="/approach"]').count()) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await check('a referral waiting for the homes’ answers');
    const approach = page.locator('form[action$="/approach"]');
    await approach.getByRole('checkbox').first().check();
    await clickAndLoad(page, approach.getByRole('button', { name: 'Continue' }));
    await check('the confirmation to approach more homes');
    await clickAndLoad(page, page.getByRole('button', { name: 'Yes, send the packs' }));
    await check('a referral after approaching more homes');
    await clickAndLoad(page, page.getByRole('button', { name: /^Send a reminder to / }).first());
    await check('a referral after chasing a home');

    assert.ok(checked.length >= 30, checked.join('\n'));
    assert.deepEqual(found, []);
  });
});
