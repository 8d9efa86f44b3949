import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { pageIdOfUrl } from './support/fill-page-by-label.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

const risks = [
  'Absconding and missing episodes',
  'Child sexual exploitation',
  'Criminal exploitation, county lines and gangs',
  'Trafficking',
  'Self-harm and suicide attempts',
  'Violence towards others',
  'Carrying or using weapons',
  'Harmful sexual behaviour',
  'Fire-setting',
  'Substance misuse',
  'Online risk',
];

/** How many "Describe the risk …" boxes and incident dates a person can see. */
async function visibleFollowUps(page: Page): Promise<number> {
  const describe = page.locator('textarea[id^="risks-"][id$="-description"]');
  const dates = page.locator('input[id$="-lastIncidentDate-day"]');
  let visible = 0;
  for (const locator of [describe, dates]) {
    for (const element of await locator.all()) if (await element.isVisible()) visible += 1;
  }
  return visible;
}

/**
 * axe-core on the page as it is without JavaScript: the same HTML served again, scripts taken
 * out, in a context where axe itself can run (it needs timers a script-less page lacks).
 */
async function axeWithoutJavaScript(browser: Browser, page: Page): Promise<string[]> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, '');
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
  try {
    const copy = await context.newPage();
    await copy.route(page.url(), (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: html }),
    );
    await copy.goto(page.url());
    return await axeViolations(copy);
  } finally {
    await context.close();
  }
}

/** The radio `choice` of the risk level question for `risk`. */
function level(page: Page, risk: string, choice: string) {
  return page
    .getByRole('group', { name: `Level of risk from ${risk.toLowerCase()}`, exact: true })
    .getByRole('radio', { name: choice, exact: true });
}

/** Whether the error summary is on the page. */
async function hasErrors(page: Page): Promise<boolean> {
  return (await page.locator('.govuk-error-summary').count()) > 0;
}

describe('Several-choice reveals in real Chromium', function () {
  this.timeout(120_000);
  let shipped: TestApp;
  let fixture: TestApp;
  let browser: Browser;
  let people = 0;

  before(async () => {
    [shipped, fixture, browser] = await Promise.all([
      startTestApp(),
      startTestApp({
        formsDir: 'test/fixtures/reveal-forms',
        env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
      }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser.close();
    await Promise.all([shipped.stop(), fixture.stop()]);
  });

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
    describe(mode, () => {
      let context: BrowserContext;
      let page: Page;
      beforeEach(async () => {
        // bypassCSP only lets the injected axe script run; the pages' own scripts run as usual.
        context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
        page = await context.newPage();
      });
      afterEach(async () => {
        await context.close();
      });
      const axe = () =>
        javaScriptEnabled ? axeViolations(page) : axeWithoutJavaScript(browser, page);

      const openRisksPage = async () => {
        await page.goto(`${shipped.url}/forms/secure-welfare-referral`);
        await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
        await signInInBrowser(page, shipped, `reveals.${(people += 1)}@example.gov.uk`);
        await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
        const url = new URL(page.url());
        url.pathname = url.pathname.replace(/[^/]+$/, 'risks');
        await page.goto(url.toString());
        assert.equal(pageIdOfUrl(page.url()), 'risks');
      };

      describe('on the referral’s risks page', () => {
        it('shows no describe box with "No known risk" everywhere, before and after Continue', async () => {
          await openRisksPage();
          assert.equal(await visibleFollowUps(page), 0, 'nothing to describe before a choice');
          assert.deepEqual(await axe(), []);
          for (const risk of risks) await level(page, risk, 'No known risk').check();
          assert.equal(await visibleFollowUps(page), 0, 'nothing to describe for no known risk');
          const height = await page.evaluate<number>('document.documentElement.scrollHeight');
          assert.ok(height < 5000, `the page is ${String(height)} px tall`);
          const risksUrl = page.url();
          await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
          // the risks section is one page: Continue goes back to the task list, nothing more asked
          assert.equal(pageIdOfUrl(page.url()), 'task-list', 'nothing more was asked');
          await page.goto(risksUrl);
          assert.equal(await visibleFollowUps(page), 0, 'still nothing to describe');
        });

        it('asks to describe exactly the risks that have a level', async () => {
          await openRisksPage();
          for (const risk of risks) await level(page, risk, 'No known risk').check();
          await level(page, 'Trafficking', 'Medium').check();
          await level(page, 'Online risk', 'High').check();
          if (javaScriptEnabled) {
            assert.equal(await visibleFollowUps(page), 4, 'revealed at once under the choices');
            await level(page, 'Online risk', 'No known risk').check();
            assert.equal(await visibleFollowUps(page), 2, 'hidden again');
            await level(page, 'Online risk', 'Low').check();
          } else {
            assert.equal(await visibleFollowUps(page), 0, 'nothing is asked before Continue');
            await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
            assert.equal(pageIdOfUrl(page.url()), 'risks', 'the page comes back');
            assert.equal(await hasErrors(page), false, 'without calling them errors');
            await page.locator('.govuk-notification-banner').waitFor();
          }
          assert.equal(await visibleFollowUps(page), 4);
          const trafficking = page.getByLabel('Describe the risk from trafficking', {
            exact: true,
          });
          const online = page.getByLabel('Describe the risk from online risk', { exact: true });
          assert.ok(await trafficking.isVisible());
          assert.ok(await online.isVisible());
          assert.deepEqual(await axe(), []);

          // Left blank once on screen, they are errors.
          await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
          assert.equal(pageIdOfUrl(page.url()), 'risks');
          // the page that comes back shows what the errors point at, for every saved level
          assert.equal(await visibleFollowUps(page), 4, 'the follow-ups stay on screen');
          const errors = await page.locator('.govuk-error-summary__list a').allInnerTexts();
          assert.deepEqual(
            errors.map((text) => text.trim()),
            [
              'Describe the risk from trafficking',
              'Enter the date of the last incident of trafficking',
              'Describe the risk from online risk',
              'Enter the date of the last incident of online risk',
            ],
          );
        });
      });

      describe('on a fixture form (radios and checkboxes)', () => {
        const openIncidentPage = async () => {
          await page.goto(`${fixture.url}/forms/incident-report`);
          await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
          assert.equal(pageIdOfUrl(page.url()), 'incident');
        };
        const injuries = () => page.getByLabel('Describe the injuries', { exact: true });
        const contact = () =>
          page.getByLabel('Who outside your organisation should we contact?', { exact: true });
        const choose = async (name: string) => {
          await page.getByRole('radio', { name, exact: true }).check();
        };

        it('reveals the follow-up under any of the choices that need it', async () => {
          await openIncidentPage();
          assert.equal(await injuries().isVisible(), false);
          assert.equal(await contact().isVisible(), false);
          await choose('A near miss: nobody was hurt');
          await page.getByRole('checkbox', { name: 'Staff', exact: true }).check();
          assert.equal(await injuries().isVisible(), false);
          assert.equal(await contact().isVisible(), false);
          if (javaScriptEnabled) {
            for (const name of ['Minor', 'Serious', 'Critical']) {
              await choose(name);
              assert.equal(await injuries().isVisible(), true, `shown for ${name}`);
            }
            await choose('A near miss: nobody was hurt');
            assert.equal(await injuries().isVisible(), false, 'hidden for a near miss');
            await page.getByRole('checkbox', { name: 'A contractor', exact: true }).check();
            assert.equal(await contact().isVisible(), true);
            await page.getByRole('checkbox', { name: 'A contractor', exact: true }).uncheck();
            assert.equal(await contact().isVisible(), false);
            await page
              .getByRole('checkbox', { name: 'A member of the public', exact: true })
              .check();
            assert.equal(await contact().isVisible(), true);
            await choose('Critical');
          } else {
            await choose('Critical');
            await page
              .getByRole('checkbox', { name: 'A member of the public', exact: true })
              .check();
            assert.equal(await injuries().isVisible(), false, 'not asked before Continue');
            await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
            assert.equal(await hasErrors(page), false);
          }
          assert.equal(await injuries().isVisible(), true);
          assert.equal(await contact().isVisible(), true);
          assert.deepEqual(await axe(), []);
          await injuries().fill('A sprained wrist');
          await page.getByLabel('Day', { exact: true }).fill('2');
          await page.getByLabel('Month', { exact: true }).fill('3');
          await page.getByLabel('Year', { exact: true }).fill('2026');
          await contact().fill('Sam Visitor');
          await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
          assert.equal(pageIdOfUrl(page.url()), 'reporter');
        });
      });
    });
  }
});
