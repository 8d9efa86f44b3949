import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { completeFormInBrowser } from './support/complete-form-in-browser.js';
import { pageIdOfUrl } from './support/fill-page-by-label.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';
import { journeyForms, makeJourneyFormsDir } from '../support/journey-forms.js';

describe('Accessibility of every page (axe-core, WCAG 2.2 AA)', function () {
  this.timeout(90_000);
  let app: TestApp;
  let forms: FormRegistry;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let people = 0;
  /** Violations found so far in a test, each line naming the page it was on. */
  let found: string[] = [];
  let checked: string[] = [];

  /** Runs axe on the page as shown and keeps any violation, named after `what`. */
  const check = async (what: string) => {
    checked.push(what);
    for (const violation of await axeViolations(page)) found.push(`${what}: ${violation}`);
  };
  const open = async (path: string, what: string) => {
    await page.goto(`${app.url}${path}`);
    await check(what);
  };

  before(async () => {
    const formsDir = await makeJourneyFormsDir();
    [app, forms, browser] = await Promise.all([
      startTestApp({ formsDir }),
      loadForms(formsDir),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser.close();
    await app.stop();
  });
  beforeEach(async () => {
    // bypassCSP only lets the injected axe script run; the pages' own scripts run as usual.
    context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
    page = await context.newPage();
    found = [];
    checked = [];
  });
  afterEach(async () => {
    await context.close();
  });

  it('reports a real violation, and the accepted govuk-frontend one only on its own inputs', async () => {
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
        '<input class="govuk-radios__input" type="radio" name="a" aria-expanded="false" aria-label="A">' +
        '<input class="other" type="radio" name="b" aria-expanded="false" aria-label="B">' +
        '</main></body></html>',
    );
    const violations = await axeViolations(page);
    assert.ok(
      violations.some((line) => line.startsWith('image-alt:')),
      violations.join('\n'),
    );
    const allowed = violations.find((line) => line.startsWith('aria-allowed-attr:'));
    assert.ok(allowed?.includes('.other'), 'a non-GOV.UK radio with aria-expanded still fails');
    assert.ok(!allowed!.includes('govuk-radios__input'), 'the govuk-frontend radio is accepted');
  });

  it('has no violation on the public pages, sign-in (with its errors) and not-found pages', async () => {
    await open('/', 'home page');
    await open('/accessibility', 'accessibility statement');
    for (const formId of forms.list().map((form) => form.definition.id)) {
      await open(`/forms/${formId}`, `${formId} start page`);
      await open(`/forms/${formId}/privacy`, `${formId} privacy notice`);
    }
    await open('/no-such-page', 'page not found');
    await open('/forms/no-such-form', 'form not found');
    await open('/sign-in', 'sign-in page');
    await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await check('sign-in page with an error');
    await page.getByLabel('Email address', { exact: true }).fill('a.person@example.gov.uk');
    await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
    await check('sign-in code page');
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await clickAndLoad(page, page.getByRole('button', { name: 'Sign in', exact: true }));
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await check('sign-in code page with an error');
    assert.deepEqual(found, [], found.join('\n'));
    assert.equal(checked.length, 8 + 2 * forms.list().length);
  });

  for (const { id: formId, access } of journeyForms) {
    it(`has no violation on any page of ${formId} (${access}), empty, with errors and answered`, async () => {
      const form = forms.get(formId)!;
      await page.goto(`${app.url}/forms/${formId}`);
      if (access === 'signed-in') {
        await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
        await signInInBrowser(page, app, `axe.checker.${(people += 1)}@example.gov.uk`);
        await check(`${formId} start page, signed in`);
      }
      const errorPages: string[] = [];
      await completeFormInBrowser(page, form, form.examples()[0]!, {
        onQuestionPage: async (current) => {
          const url = current.url();
          const pageId = pageIdOfUrl(url);
          await check(`${formId}/${pageId}`);
          await clickAndLoad(
            current,
            current.getByRole('button', { name: 'Continue', exact: true }),
          );
          if (pageIdOfUrl(current.url()) === pageId) {
            errorPages.push(pageId);
            assert.equal(await current.locator('.govuk-error-summary').count(), 1);
            await check(`${formId}/${pageId} with errors`);
          } else {
            await current.goto(url);
          }
        },
        onCheckAnswers: () => check(`${formId} check your answers`),
        onConfirmation: async (current) => {
          assert.equal(await current.locator('.govuk-panel--confirmation').count(), 1);
          await check(`${formId} confirmation`);
        },
      });
      if (access === 'signed-in') await open('/my-forms', 'your forms');
      assert.ok(errorPages.length > 0, 'error states were checked');
      assert.deepEqual(found, [], found.join('\n'));
    });
  }
});
