import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

/**
 * The 409 pages a person reaches when someone else (or their own other tab) got there first:
 * reached in the browser as it happens, and checked with axe-core (WCAG 2.2 AA and region).
 */
describe('A page that says someone got there first (409), in Chromium with axe', function () {
  this.timeout(240_000);
  let app: TestApp;
  let browser: Browser;
  let reference: string;

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
  });
  after(async () => {
    await browser.close();
    await app.stop();
  });

  /** Opens the referral's review in `page`, waiting for routing to offer homes. */
  const openReview = async (page: Page) => {
    for (let tries = 0; tries < 100; tries += 1) {
      await page.goto(`${app.url}/coordinator/referrals/${reference}`);
      if ((await page.locator('input[name="homes"]').count()) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the review never offered homes');
  };
  /** Chooses the first home and confirms sending it the pack. */
  const approve = async (page: Page) => {
    await page.locator('input[name="homes"]').first().check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
    const reason = page.getByLabel('Why send the pack to homes without a declared vacancy?');
    if ((await reason.count()) > 0) await reason.fill('Phoned the home this morning');
    await clickAndLoad(page, page.getByRole('button', { name: 'Yes, send the packs' }));
  };

  it('tells the coordinator in a second tab that the review is closed, and nothing changed', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
    });
    const first = await context.newPage();
    await first.goto(`${app.url}/coordinator`);
    await signInInBrowser(first, app, 'coordinator@example.gov.uk');
    const second = await context.newPage();
    await openReview(first);
    await openReview(second);

    await approve(first);
    assert.doesNotMatch((await first.locator('h1').textContent()) ?? '', /closed/);
    await approve(second).catch(() => undefined);
    // the stale tab stops at whichever step first finds the review closed
    assert.equal(await second.locator('h1').textContent(), 'This review is closed');
    assert.match(
      (await second.locator('main').textContent()) ?? '',
      /Nothing was changed\.[\s\S]*Back to the referral/,
    );
    const found: string[] = [];
    for (const width of [375, 320]) {
      await second.setViewportSize({ width, height: 800 });
      for (const violation of await axeViolations(second, { alsoRules: ['region'] }))
        found.push(`at ${String(width)} px: ${violation}`);
    }
    assert.deepEqual(found, []);
    const { rows } = await app.running.db.query<{
      requests: string | number;
      homes: string | number;
    }>(
      `SELECT count(*) AS requests, count(DISTINCT r.home_id) AS homes
         FROM workflow_home_requests r
         JOIN workflow_instances i ON i.id = r.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
      [reference],
    );
    assert.ok(Number(rows[0]?.homes) > 0, 'the first tab approached the homes');
    assert.equal(Number(rows[0]?.requests), Number(rows[0]?.homes), 'each home once');
  });
});
