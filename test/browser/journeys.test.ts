import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { clickAndLoad } from './support/click-and-load.js';
import {
  completeFormInBrowser,
  errorSummaryOf,
  followTaskList,
} from './support/complete-form-in-browser.js';
import { pageIdOfUrl, questionControls } from './support/fill-page-by-label.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';
import { journeyForms, makeJourneyFormsDir } from '../support/journey-forms.js';

const formIds = journeyForms.map((journeyForm) => journeyForm.id);
const isPublic = (formId: string) =>
  journeyForms.find((journeyForm) => journeyForm.id === formId)?.access === 'public';

/** Uploads get fresh document ids, so compare everything else. */
function withoutDocuments(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => {
      if (Array.isArray(item))
        return (item as unknown[]).filter(
          (entry) => !(typeof entry === 'string' && entry.startsWith('doc_')),
        );
      return typeof item === 'string' && item.startsWith('doc_') ? undefined : item;
    }),
  ) as unknown;
}

/** Whether the element matching `selector` is on screen (not `display: none`). */
async function isVisible(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).isVisible();
}

/** The classes on the page's body (read without running script in the page). */
async function bodyClasses(page: Page): Promise<string[]> {
  return ((await page.locator('body').getAttribute('class')) ?? '').split(/\s+/);
}

describe('The shipped forms and a public form in real Chromium', function () {
  this.timeout(90_000);
  let app: TestApp;
  let forms: FormRegistry;
  let browser: Browser;
  let people = 0;
  /** A different person each time, so the sign-in code rate limit never applies. */
  const nextEmail = () => `browser.worker.${(people += 1)}@example.gov.uk`;

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

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
    describe(mode, () => {
      let context: BrowserContext;
      let page: Page;
      beforeEach(async () => {
        // No bypassCSP: the page's own scripts must run under its real policy.
        context = await browser.newContext({ javaScriptEnabled });
        page = await context.newPage();
      });
      afterEach(async () => {
        await context.close();
      });

      /**
       * Opens the form's start page: signed in through the real sign-in journey, or (a public
       * form) as an anonymous visitor.
       */
      const signedInAtStart = async (formId: string) => {
        await page.goto(`${app.url}/forms/${formId}`);
        if (isPublic(formId)) return;
        await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
        assert.equal(new URL(page.url()).pathname, '/sign-in');
        await signInInBrowser(page, app, nextEmail());
        assert.equal(new URL(page.url()).pathname, `/forms/${formId}`);
      };

      for (const formId of formIds) {
        it(`fills in ${formId} by label and sends it`, async () => {
          const form = forms.get(formId)!;
          const example = form.examples()[0]!;
          await signedInAtStart(formId);
          const { reference, visited } = await completeFormInBrowser(page, form, example, {
            onQuestionPage: async (current) => {
              const enhanced = (await bodyClasses(current)).includes('govuk-frontend-supported');
              assert.equal(enhanced, javaScriptEnabled, 'govuk-frontend runs only with JS on');
            },
          });
          assert.deepEqual(
            visited.slice(0, form.pagesShown(example).length),
            form.pagesShown(example).map((shown) => shown.id),
          );
          assert.match(reference, /^[A-Z]{2,6}-\d{4}-\d{5}$/);
          assert.ok(
            reference.startsWith(
              `${form.definition.referencePrefix}-${new Date().getUTCFullYear()}-`,
            ),
          );
          assert.equal(await page.locator('.govuk-panel--confirmation').count(), 1);

          const token = await app.apiToken();
          const response = await fetch(`${app.url}/api/v1/submissions/${reference}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          assert.equal(response.status, 200);
          const stored = (await response.json()) as { data: unknown; formId: string };
          assert.equal(stored.formId, formId);
          assert.deepEqual(
            withoutDocuments(stored.data),
            withoutDocuments(form.pruneHidden(example)),
          );
        });
      }

      it('reveals a conditional question when its choice is selected', async () => {
        await signedInAtStart('secure-welfare-referral');
        await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
        if (pageIdOfUrl(page.url()) === 'task-list') await followTaskList(page);
        const revealed = '#conditional-referrer-referralType-3';
        const question = page.getByLabel(
          'What is the reference of the referral you are reviewing?',
          { exact: true },
        );
        if (javaScriptEnabled) {
          assert.equal(await isVisible(page, revealed), false, 'hidden until chosen');
          await page.getByRole('radio', { name: '3-monthly review', exact: true }).check();
          assert.equal(await isVisible(page, revealed), true, 'shown once chosen');
          assert.equal(await question.isVisible(), true);
          await page.getByRole('radio', { name: 'Planned', exact: true }).check();
          assert.equal(await isVisible(page, revealed), false, 'hidden again');
        } else {
          // Without JavaScript the question is asked once its choice is sent, under the choice.
          assert.equal((await bodyClasses(page)).includes('js-enabled'), false);
          assert.equal(await question.isVisible(), false, 'not asked before it applies');
          await page.getByRole('radio', { name: '3-monthly review', exact: true }).check();
          await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
          assert.equal(await isVisible(page, revealed), true, 'shown after Continue');
          assert.equal(await question.isVisible(), true);
        }
      });

      if (javaScriptEnabled) {
        it('shows the first contact’s questions straight away (rendered on the server)', async () => {
          const form = forms.get('secure-welfare-referral')!;
          await signedInAtStart('secure-welfare-referral');
          await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
          if (pageIdOfUrl(page.url()) === 'task-list') await followTaskList(page);
          const draft = new URL(page.url()).pathname.split('/')[3]!;
          await page.goto(`${app.url}/forms/${form.definition.id}/${draft}/contacts`);
          const contact = page.locator('xpath=//fieldset[normalize-space(legend)="Contact 1"]');
          assert.equal(await contact.count(), 1);
          assert.ok(
            (await contact.locator(questionControls).count()) > 0,
            'Contact 1 asks its questions (role, name…) before "Add another contact" is pressed',
          );
        });

        it('asks a contact’s revealed questions under the choice that reveals them (rendered on the server)', async () => {
          await signedInAtStart('secure-welfare-referral');
          await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
          if (pageIdOfUrl(page.url()) === 'task-list') await followTaskList(page);
          const draft = new URL(page.url()).pathname.split('/')[3]!;
          await page.goto(`${app.url}/forms/secure-welfare-referral/${draft}/contacts`);
          await clickAndLoad(
            page,
            page.getByRole('button', { name: 'Add another contact', exact: true }),
          );
          const contact = page.locator('xpath=//fieldset[normalize-space(legend)="Contact 1"]');
          await contact
            .getByRole('radio', { name: 'Person with parental responsibility', exact: true })
            .check();
          const relationship = contact.getByLabel('Relationship to the child', { exact: true });
          assert.equal(await relationship.count(), 1, 'the question is on the page');
          assert.equal(await relationship.isVisible(), true, 'and on screen once chosen');
        });
      }

      for (const formId of formIds) {
        it(`refuses an empty first page of ${formId} with an error summary that leads to the field`, async () => {
          await signedInAtStart(formId);
          await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
          if (pageIdOfUrl(page.url()) === 'task-list') await followTaskList(page);
          const pageId = pageIdOfUrl(page.url());
          await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
          assert.equal(pageIdOfUrl(page.url()), pageId, 'stays on the page');
          const summary = page.locator('.govuk-error-summary');
          assert.equal(await summary.isVisible(), true);
          assert.ok((await errorSummaryOf(page)).length > 0);
          assert.match(await page.title(), /^Error: /);
          const link = summary.locator('.govuk-error-summary__list a').first();
          const href = (await link.getAttribute('href'))!;
          assert.match(href, /^#./);
          assert.equal(await page.locator(href).count(), 1, `${href} exists`);
          await link.click();
          if (javaScriptEnabled) {
            // govuk-frontend moves focus to the field itself.
            const focused = await page.evaluate(
              'document.activeElement && document.activeElement.id',
            );
            assert.equal(`#${String(focused)}`, href);
          } else {
            assert.equal(new URL(page.url()).hash, href);
          }
        });
      }
    });
  }
});
