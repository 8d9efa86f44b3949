import assert from 'node:assert/strict';
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

describe('Sign-in and the homes directory at 320 px in real Chromium (axe, WCAG 2.2 AA)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [app, browser] = await Promise.all([
      startTestApp({
        env: {
          // The OpenID Connect button is shown; nothing listens at the issuer.
          OIDC_ISSUER: 'http://localhost:9',
          OIDC_CLIENT_ID: 'formwork',
          OIDC_CLIENT_SECRET: 'a-secret-nobody-listens-for',
          OIDC_NAME: 'your council account',
        },
      }),
      launchBrowser(),
    ]);
    const context = await browser.newContext({
      viewport: { width: 320, height: 700 },
      bypassCSP: true,
    });
    page = await context.newPage();
  });
  after(async () => {
    await browser.close();
    await app.stop();
  });

  const expectClean = async (what: string) => {
    assert.equal(await page.locator('h1').count(), 1, what);
    assert.deepEqual(await axeViolations(page), [], what);
    assert.equal(await sidewaysOverflow(page), 0, `${what} is wider than the screen`);
  };

  it('shows the sign-in pages, with both ways to sign in and their errors, cleanly', async () => {
    await page.goto(`${app.url}/sign-in`);
    assert.equal(
      await page.getByRole('button', { name: 'Sign in with your council account' }).count(),
      1,
    );
    await expectClean('sign-in');
    await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
    assert.match(
      (await page.locator('.govuk-error-summary').textContent()) ?? '',
      /Enter your email address/,
    );
    await expectClean('sign-in with an error');
    await page.goto(`${app.url}/sign-in`);
    const response = await Promise.all([
      page.waitForResponse((answer) => answer.url().endsWith('/sign-in/oidc')),
      page.getByRole('button', { name: 'Sign in with your council account' }).click(),
    ]).then(([answer]) => answer);
    await page.waitForLoadState();
    assert.equal(response.status(), 503, 'a provider that cannot be reached is a 503, not a 500');
    assert.match((await page.locator('main').textContent()) ?? '', /not available just now/);
    await expectClean('the provider cannot be reached');
    await page.goto(`${app.url}/sign-in/oidc/callback?code=x&state=y`);
    assert.match((await page.locator('h1').textContent()) ?? '', /You are not signed in/);
    await expectClean('a refused OpenID Connect sign-in');
  });

  it('shows the directory, a home and its errors, and a new home cleanly', async () => {
    await page.goto(`${app.url}/coordinator/directory`);
    await signInInBrowser(page, app, 'coordinator@example.gov.uk');
    await page.waitForURL(/\/coordinator\/directory$/);
    await expectClean('the directory');
    await clickAndLoad(page, page.getByRole('link', { name: 'Change Adel Beck' }));
    await expectClean('a home');
    await page.getByLabel('Capacity (welfare beds)').fill('many');
    await page.getByLabel('Email address for referral packs').fill('nope');
    await clickAndLoad(page, page.getByRole('button', { name: 'Save home' }));
    assert.equal(await page.locator('.govuk-error-summary__list li').count(), 2);
    await expectClean('a home with errors');
    await page.goto(`${app.url}/coordinator/directory/new`);
    await expectClean('a new home');
  });
});
