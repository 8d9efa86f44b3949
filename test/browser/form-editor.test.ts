import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

const adminEmail = 'forms.admin@example.gov.uk';

/** How far the page is wider than the screen, in CSS pixels (0: nothing scrolls sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

describe('The form editor in real Chromium, at 320 px', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Every editor page checked, and what axe or the 320 px check found on it. */
  const found: string[] = [];

  const newPage = async (width = 1024) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    contexts.push(context);
    return context.newPage();
  };
  const check = async (page: Page, what: string) => {
    for (const violation of await axeViolations(page)) found.push(`${what}: ${violation}`);
    const overflow = await sidewaysOverflow(page);
    if (overflow > 0) found.push(`${what}: ${String(overflow)} px wider than the screen`);
  };
  const click = (page: Page, name: string | RegExp, role: 'button' | 'link' = 'button') =>
    clickAndLoad(page, page.getByRole(role, { name, exact: typeof name === 'string' }).first());

  /** Starts the pet licence as `email` and answers its first page; returns the page. */
  const beginForm = async (email: string) => {
    const page = await newPage();
    await page.goto(`${app.url}/forms/pet-licence`);
    await click(page, 'Start now');
    await signInInBrowser(page, app, email);
    if (!/\/about-you$/.test(page.url())) await click(page, 'Start now');
    await page.getByLabel('Full name').fill('Sam Example');
    await page.getByLabel('Email address').fill(email);
    await click(page, 'Continue');
    return page;
  };

  const versionsOfSubmissions = async () =>
    (
      await app.running.db.query<{ number: number }>(
        `SELECT v.number FROM submissions s JOIN form_versions v
           ON v.form_id = s.form_id AND v.version = s.form_version ORDER BY s.submitted_at`,
      )
    ).rows.map((row) => row.number);

  before(async () => {
    [app, browser] = await Promise.all([
      startTestApp({
        formsDir: 'test/fixtures/editor-forms',
        env: { WORKFLOWS_DIR: 'test/fixtures/editor-workflows' },
      }),
      launchBrowser(),
    ]);
    await app.addUser(adminEmail, 'form-administrator');
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await app.stop();
  });

  it('adds a conditional question, previews its error, publishes it; older drafts finish on their version; rollback; a breaking change is refused', async () => {
    // a social worker begins the form on version 1
    const inFlight = await beginForm('older.draft@example.gov.uk');
    assert.match(inFlight.url(), /\/your-pet$/);

    // the administrator, on a 320 px screen
    const admin = await newPage(320);
    await admin.goto(`${app.url}/admin/forms`);
    await signInInBrowser(admin, app, adminEmail);
    assert.match(admin.url(), /\/admin\/forms$/);
    await check(admin, 'forms list');
    await click(admin, 'Apply for a pet licence', 'link');
    await check(admin, 'form versions');
    await click(admin, 'Start a draft from the published version');
    await check(admin, 'draft');
    await click(admin, 'Add a question to Your pet', 'link');
    await check(admin, 'add a question');
    await admin.getByLabel('Question', { exact: true }).fill('What kind of pet is it?');
    await admin.getByLabel('One choice from a list').check();
    await admin.getByLabel('Choices (for a choice from a list)').fill('Dog\nCat\nRabbit');
    await admin.getByLabel('The answer is required').check();
    await admin
      .getByLabel('Show this question only when')
      .selectOption({ label: 'Do you have a pet?' });
    await admin.getByLabel('is', { exact: true }).fill('yes');
    // a mistake first: the editor says what is wrong and keeps what was typed
    await admin.getByLabel('Question', { exact: true }).fill('');
    await click(admin, 'Save the question');
    assert.match(await admin.locator('.govuk-error-summary').innerText(), /Enter the question/);
    await check(admin, 'add a question, with an error');
    await admin.getByLabel('Question', { exact: true }).fill('What kind of pet is it?');
    await click(admin, 'Save the question');
    assert.match(
      await admin.locator('main').innerText(),
      /What kind of pet is it\?[\s\S]*Shown when “Do you have a pet\?” is yes/,
    );

    // preview, with the error state
    await click(admin, 'Preview', 'link');
    assert.match(await admin.locator('.govuk-notification-banner').first().innerText(), /preview/);
    await click(admin, 'Continue');
    assert.match(await admin.locator('.govuk-error-summary').innerText(), /There is a problem/);
    await check(admin, 'preview with errors');
    await admin.getByLabel('Full name').fill('Alex Example');
    await admin.getByLabel('Email address').fill('alex@example.org');
    await click(admin, 'Continue');
    await admin.getByLabel('Yes').check();
    // with JavaScript the follow-up opens under "Yes"
    assert.ok(await admin.getByLabel('Rabbit').isVisible());
    await click(admin, 'Continue');
    assert.match(await admin.locator('.govuk-error-summary').innerText(), /kind of pet/i);
    await check(admin, 'preview of the new question, with its error');
    await admin.getByLabel('Rabbit').check();
    await click(admin, 'Continue');
    assert.match(admin.url(), /\/preview\/check-answers$/);
    await check(admin, 'preview check answers');

    // publish
    await admin.goto(`${app.url}/admin/forms/pet-licence/draft/publish`);
    assert.match(await admin.locator('#diff').innerText(), /What kind of pet is it\?\s*Added/);
    await check(admin, 'publish');
    await click(admin, 'Publish the draft');
    assert.match(
      await admin.locator('.govuk-notification-banner').innerText(),
      /Version 2 is published/,
    );
    await check(admin, 'versions after publishing');

    // a social worker starting now sees and answers the new question
    const newer = await beginForm('new.draft@example.gov.uk');
    await newer.getByLabel('Yes').check();
    await newer.getByLabel('Cat').check();
    await click(newer, 'Continue');
    await click(newer, 'Accept and send');
    assert.equal(await newer.locator('.govuk-panel--confirmation').count(), 1);

    // the draft begun before still finishes on version 1, without the question
    await inFlight.reload();
    assert.equal(await inFlight.getByText('What kind of pet is it?').count(), 0);
    await inFlight.getByLabel('No').check();
    await click(inFlight, 'Continue');
    await click(inFlight, 'Accept and send');
    assert.equal(await inFlight.locator('.govuk-panel--confirmation').count(), 1);
    assert.deepEqual(await versionsOfSubmissions(), [2, 1]);

    // roll back: the earlier form is served again
    await admin.goto(`${app.url}/admin/forms/pet-licence`);
    await click(admin, /Roll back to this version/);
    assert.match(
      await admin.locator('.govuk-notification-banner').innerText(),
      /Version 1 is published again/,
    );
    const afterRollback = await beginForm('after.rollback@example.gov.uk');
    await afterRollback.getByLabel('Yes').check();
    assert.equal(await afterRollback.getByText('What kind of pet is it?').count(), 0);

    // a change that breaks the workflow is refused, with the reason
    await click(admin, 'Start a draft from the published version');
    await click(admin, /^Remove\W+Email address$/);
    await click(admin, 'Publish', 'link');
    assert.match(
      await admin.locator('.govuk-error-summary, #reasons').first().innerText(),
      /The workflow "pet-licence" step "acknowledge" reads \/email, which this version removes/,
    );
    assert.equal(await admin.getByRole('button', { name: 'Publish the draft' }).count(), 0);
    await check(admin, 'publish refused');

    // the JSON editor and the workflow pages
    await admin.goto(`${app.url}/admin/forms/pet-licence/draft/json`);
    await check(admin, 'JSON editor');
    await admin.goto(`${app.url}/admin/forms/pet-licence/compare?from=1&to=2`);
    await check(admin, 'compare');
    await admin.goto(`${app.url}/admin/workflows/pet-licence`);
    await check(admin, 'workflow');

    assert.deepEqual(found, []);
  });
});
