import { loadForms } from '../../src/forms/load-forms.js';
import { uploadExampleDocuments } from '../support/upload-example-documents.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

/** How far the page is wider than the screen, in CSS pixels (0: nothing scrolls sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  // A string, evaluated in the page: the test code has no DOM types.
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

describe('The coordinator’s pages at 375 px in real Chromium', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let reference: string;

  before(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const token = await app.apiToken();
    const referral = (await loadForms('forms')).get('secure-welfare-referral');
    if (!referral) throw new Error('no referral form');
    const body = await uploadExampleDocuments(
      app.url,
      token,
      referral,
      form.schema.examples[0] ?? {},
    );
    const response = await fetch(`${app.url}/api/v1/forms/secure-welfare-referral/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
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

  for (const [what, path] of [
    ['the console', () => '/coordinator'],
    ['a referral', () => `/coordinator/referrals/${reference}`],
  ] as const) {
    it(`shows ${what} with no axe violation and nothing wider than the screen`, async () => {
      // The review task appears once routing has run.
      for (let tries = 0; tries < 100; tries += 1) {
        await page.goto(`${app.url}${path()}`);
        if (what !== 'a referral' || (await page.locator('input[name="homes"]').count()) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(await page.locator('h1').count(), 1);
      assert.deepEqual(await axeViolations(page), []);
      assert.equal(await sidewaysOverflow(page), 0);
    });
  }

  it('shows a vacancy link with no axe violation, the same after a refresh', async () => {
    await page.goto(`${app.url}/coordinator`);
    await page.getByRole('button', { name: /^Create link for Adel Beck/ }).click();
    await page.waitForURL(/\/vacancy-link$/);
    const link = await page.locator('#vacancy-link').textContent();
    await page.reload();
    assert.equal(await page.locator('#vacancy-link').textContent(), link);
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await sidewaysOverflow(page), 0);
  });
});
