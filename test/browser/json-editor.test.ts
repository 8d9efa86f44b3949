import assert from 'node:assert/strict';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

const formPath = '/admin/forms/pet-licence';

describe('The JSON editor of a form draft in real Chromium', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Each context signs in as an administrator of its own: codes are limited per address. */
  let administrators = 0;
  const signInAsAdministrator = async (page: Page) => {
    administrators += 1;
    const email = `json.admin.${String(administrators)}@example.gov.uk`;
    await app.addUser(email, 'form-administrator');
    await signInInBrowser(page, app, email);
  };

  const draftDefinition = async () =>
    (
      await app.running.db.query<{
        definition: { schema: { properties: { fullName: { title: string } } } };
      }>(`SELECT definition FROM form_versions WHERE form_id = 'pet-licence' AND version = 'draft'`)
    ).rows[0]?.definition;

  /** A signed-in administrator's page on the draft's JSON editor; collects what the page logs. */
  const openEditor = async (options: BrowserContextOptions) => {
    const context = await browser.newContext({
      viewport: { width: 1024, height: 900 },
      ...options,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${app.url}${formPath}/draft/json`);
    await signInAsAdministrator(page);
    assert.match(page.url(), /\/draft\/json$/);
    return { page, problems };
  };
  const save = (page: Page) =>
    clickAndLoad(page, page.getByRole('button', { name: 'Save the draft', exact: true }));

  before(async () => {
    [app, browser] = await Promise.all([
      startTestApp({
        formsDir: 'test/fixtures/editor-forms',
        env: { WORKFLOWS_DIR: 'test/fixtures/editor-workflows' },
      }),
      launchBrowser(),
    ]);
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${app.url}${formPath}`);
    await signInAsAdministrator(page);
    await clickAndLoad(
      page,
      page.getByRole('button', { name: 'Start a draft from the published version' }),
    );
    assert.ok(await draftDefinition());
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await app.stop();
  });

  describe('with JavaScript, under the app’s Content-Security-Policy', () => {
    let page: Page;
    let problems: string[];
    before(async () => {
      ({ page, problems } = await openEditor({}));
    });

    it('replaces the textarea with a CodeMirror editor named by the textarea’s label', async () => {
      const response = await page.request.get(`${app.url}${formPath}/draft/json`);
      assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/);
      await page.locator('.cm-editor').waitFor();
      assert.equal(await page.locator('textarea#definition').isVisible(), false);
      const editor = page.getByRole('textbox', { name: 'Definition (JSON)', exact: true });
      assert.equal(await editor.count(), 1);
      assert.equal(await editor.getAttribute('class'), 'cm-content');
      assert.match(await page.locator('.cm-content').innerText(), /"fullName"/);
      // CodeMirror's own styles and ours applied (a refused stylesheet leaves neither)
      const styleOf = (selector: string, property: string) =>
        page.evaluate<string>(
          `getComputedStyle(document.querySelector('.formwork-json-editor').shadowRoot
             .querySelector(${JSON.stringify(selector)}))[${JSON.stringify(property)}]`,
        );
      assert.equal(await styleOf('.cm-editor', 'display'), 'flex');
      assert.equal(await styleOf('.cm-editor', 'borderTopWidth'), '2px');
      // highlighted as JSON: a string is coloured unlike the plain punctuation
      assert.notEqual(
        await styleOf('.cm-line:nth-child(2) span', 'color'),
        await styleOf('.cm-line', 'color'),
      );
    });

    it('enhances a workflow definition’s draft the same way', async () => {
      await page.goto(`${app.url}/admin/workflows/pet-licence`);
      const start = page.getByRole('button', { name: /Start a draft/ });
      if ((await start.count()) > 0) await clickAndLoad(page, start.first());
      await page.goto(`${app.url}/admin/workflows/pet-licence/draft`);
      await page.locator('.cm-editor').waitFor();
      const editor = page.getByRole('textbox', { name: 'Definition (JSON)', exact: true });
      assert.equal(await editor.getAttribute('class'), 'cm-content');
      assert.match(await page.locator('.cm-content').innerText(), /"steps"/);
      assert.equal(await page.locator('textarea#definition').isVisible(), false);
      await page.goto(`${app.url}${formPath}/draft/json`);
      await page.locator('.cm-editor').waitFor();
    });

    it('lets Tab leave the editor for the Save button, without typing a tab', async () => {
      const before = await page.locator('textarea#definition').inputValue();
      await page.getByRole('textbox', { name: 'Definition (JSON)', exact: true }).click();
      await page.keyboard.press('Tab');
      assert.equal(
        await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()'),
        'Save the draft',
      );
      assert.equal(await page.locator('textarea#definition').inputValue(), before);
    });

    it('marks a parse error as it is typed, and saves the fixed text through the form', async () => {
      const textarea = page.locator('textarea#definition');
      const definition = JSON.parse(await textarea.inputValue()) as {
        schema: { properties: { fullName: { title: string } } };
      };
      definition.schema.properties.fullName.title = 'Name in full';
      const edited = JSON.stringify(definition, null, 2);
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(edited);
      assert.equal(await textarea.inputValue(), edited);
      assert.equal(await page.locator('.cm-lint-marker-error').count(), 0);

      // a stray comma after the closing brace
      await page.keyboard.press('Control+End');
      await page.keyboard.type(',');
      await page.locator('.cm-lint-marker-error').waitFor();
      assert.equal(await textarea.inputValue(), `${edited},`);
      await page.keyboard.press('Control+Shift+M');
      assert.match(await page.locator('.cm-panel-lint .cm-diagnostic').first().innerText(), /JSON/);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.cm-panel-lint').count(), 0);

      await page.keyboard.press('Control+End');
      await page.keyboard.press('Backspace');
      await page.locator('.cm-lint-marker-error').waitFor({ state: 'detached' });
      assert.equal(await textarea.inputValue(), edited);

      await save(page);
      assert.match(page.url(), /\/draft\?notice=saved$/);
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /saved/);
      assert.equal((await draftDefinition())?.schema.properties.fullName.title, 'Name in full');
    });

    it('breaks no rule of the Content-Security-Policy and throws nothing', () => {
      assert.deepEqual(problems, []);
    });
  });

  it('passes axe (WCAG 2.2 AA) at 320 px with a parse error marked', async () => {
    // axe is injected, which the page's policy would refuse
    const { page } = await openEditor({ bypassCSP: true, viewport: { width: 320, height: 900 } });
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('x');
    await page.locator('.cm-lint-marker-error').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(
      await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      0,
    );
  });

  it('without JavaScript, saves the plain textarea as before', async () => {
    const { page } = await openEditor({ javaScriptEnabled: false });
    assert.equal(await page.locator('.cm-editor').count(), 0);
    const textarea = page.getByRole('textbox', { name: 'Definition (JSON)', exact: true });
    assert.equal(await page.locator('.formwork-json-editor').count(), 0);
    assert.equal(await textarea.getAttribute('name'), 'definition');
    assert.ok(await textarea.isVisible());
    const definition = JSON.parse(await textarea.inputValue()) as {
      schema: { properties: { fullName: { title: string } } };
    };
    definition.schema.properties.fullName.title = 'Your name';
    await textarea.fill(JSON.stringify(definition, null, 2));
    await save(page);
    assert.match(page.url(), /\/draft\?notice=saved$/);
    assert.equal((await draftDefinition())?.schema.properties.fullName.title, 'Your name');
  });
});
