import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

/** The stored answers of the submission a confirmation page names. */
async function storedData(app: TestApp, page: Page): Promise<Record<string, unknown>> {
  const reference = (await page.locator('.govuk-panel__body strong').textContent())?.trim() ?? '';
  const response = await fetch(`${app.url}/api/v1/submissions/${reference}`, {
    headers: { authorization: `Bearer ${await app.apiToken()}` },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

describe('Lists of answers and key-and-value groups in real Chromium', function () {
  this.timeout(300_000);
  let app: TestApp;
  let browser: Browser;
  let workflowsDir: string;

  before(async () => {
    workflowsDir = await mkdtemp(join(tmpdir(), 'formwork-lists-workflows-'));
    [app, browser] = await Promise.all([
      startTestApp({
        formsDir: 'test/fixtures/forms/corpus',
        env: { WORKFLOWS_DIR: workflowsDir, SIGN_IN_EMAIL_DOMAINS: 'example.gov.uk' },
      }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser.close();
    await app.stop();
    await rm(workflowsDir, { recursive: true, force: true });
  });

  for (const javaScriptEnabled of [false, true]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      let context: BrowserContext;
      let page: Page;
      let people = 0;
      beforeEach(async () => {
        context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
        page = await context.newPage();
      });
      afterEach(async () => {
        await context.close();
      });

      const start = async (formId: string) => {
        await page.goto(`${app.url}/forms/${formId}`);
        await clickAndLoad(page, page.getByRole('button', { name: /start/i }));
        people += 1;
        await signInInBrowser(
          page,
          app,
          `lists.${javaScriptEnabled ? 'js' : 'nojs'}.${String(people)}@example.gov.uk`,
        );
        await clickAndLoad(page, page.getByRole('button', { name: /start/i }));
      };
      const button = (name: RegExp) => page.getByRole('button', { name });

      it('adds and removes pairs of a name and a value, and stores what is left', async () => {
        await start('gallery-key-value');
        await page.getByLabel('Service name').fill('web');
        await clickAndLoad(page, button(/^continue$/i));
        // an object of pairs is a page of its own, as every group of questions is
        const labels = page.locator('#labels');
        await labels.getByLabel('Name').fill('app');
        await labels.getByLabel('Value').fill('web');
        await clickAndLoad(page, button(/add another name and value/i).first());
        assert.equal(await page.locator('#labels fieldset').count(), 2, 'a second pair');
        assert.equal(await page.locator('#labels-0-key').inputValue(), 'app', 'the first kept');
        // once named, the value's input is the answer's own (`/labels/app`)
        assert.equal(await page.locator('#labels-app').inputValue(), 'web');
        await page.locator('#labels-1-key').fill('tier');
        await page.locator('#labels-1-value').fill('frontend');
        await clickAndLoad(page, button(/add another name and value/i).first());
        await page.locator('#labels-2-key').fill('zone');
        await page.locator('#labels-2-value').fill('a');
        // the first pair goes; the others move up
        await clickAndLoad(page, button(/remove labels 1/i));
        assert.equal(await page.locator('#labels fieldset').count(), 2);
        assert.equal(await page.locator('#labels-0-key').inputValue(), 'tier');
        assert.equal(await page.locator('#labels-1-key').inputValue(), 'zone');
        // axe runs in the page, so only with JavaScript on
        if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
        // a name used twice is refused, linking to it
        await page.locator('#labels-1-key').fill('tier');
        await clickAndLoad(page, button(/^continue$/i));
        assert.match(await page.content(), /govuk-error-summary[\s\S]*used the name “tier” twice/);
        await page.locator('#labels-1-key').fill('zone');
        await clickAndLoad(page, button(/^continue$/i));
        for (let step = 0; !page.url().endsWith('/check-answers'); step += 1) {
          assert.ok(step < 5, `stuck at ${page.url()}`);
          await clickAndLoad(page, button(/^continue$/i));
        }
        const answers = (await page.locator('main').textContent()) ?? '';
        assert.match(answers, /Labels: tier\s*frontend/);
        assert.match(answers, /Labels: zone\s*a/);
        await clickAndLoad(page, button(/accept and send|send/i));
        const data = await storedData(app, page);
        assert.deepEqual(data.labels, { tier: 'frontend', zone: 'a' });
      });

      it('continues, rather than removing or adding an entry, when Enter is pressed in a text input', async () => {
        await start('builder-arrays');
        const list = page.locator('#listOfStrings');
        await list.locator('input').first().fill('foo');
        await clickAndLoad(page, list.getByRole('button', { name: /add another/i }));
        await page.locator('#listOfStrings-1').fill('bar');
        // the first submit button in the page's markup is a row's Remove: Enter must not press it
        await Promise.all([
          page.waitForEvent('load'),
          page.locator('#listOfStrings-1').press('Enter'),
        ]);
        assert.equal(
          await page.locator('.govuk-error-summary').count(),
          1,
          'the page was checked, as Continue checks it',
        );
        assert.equal(await list.locator('input').count(), 2, 'no entry removed or added');
        assert.equal(await page.locator('#listOfStrings-0').inputValue(), 'foo');
        assert.equal(await page.locator('#listOfStrings-1').inputValue(), 'bar');
        if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
        await page.locator('#nestedList-0').fill('1');
        const before = page.url();
        await Promise.all([
          page.waitForEvent('load'),
          page.locator('#nestedList-0').press('Enter'),
        ]);
        assert.notEqual(page.url(), before, 'the journey moved on');
        while (!page.url().endsWith('/check-answers')) {
          await clickAndLoad(page, button(/^continue$/i));
        }
        await clickAndLoad(page, button(/accept and send|send/i));
        const data = await storedData(app, page);
        assert.deepEqual(data.listOfStrings, ['foo', 'bar']);
        assert.deepEqual(data.nestedList, [1]);
      });

      it('adds and removes entries of a list of answers, and stores them in order', async () => {
        await start('builder-arrays');
        const list = page.locator('#listOfStrings');
        await list.locator('input').first().fill('foo');
        await clickAndLoad(page, list.getByRole('button', { name: /add another/i }));
        assert.equal(await list.locator('input').count(), 2);
        await page.locator('#listOfStrings-1').fill('bar');
        await clickAndLoad(page, list.getByRole('button', { name: /add another/i }));
        await page.locator('#listOfStrings-2').fill('baz');
        await clickAndLoad(page, list.getByRole('button', { name: /remove a list of strings 2/i }));
        assert.equal(await page.locator('#listOfStrings-1').inputValue(), 'baz');
        // the tuple: one question per position, with the position's title
        await page.getByLabel('A string value').fill('Some text');
        await page.locator('#fixedItemsList-1').check();
        // a number list: a word is refused beside its entry
        await page.locator('#nestedList-0').fill('one');
        await clickAndLoad(page, button(/^continue$/i));
        const links = page.locator('.govuk-error-summary a');
        assert.equal(await links.count(), 1);
        assert.equal(await links.first().getAttribute('href'), '#nestedList-0');
        assert.equal(await page.locator('#listOfStrings-0').inputValue(), 'foo', 'kept');
        await page.locator('#nestedList-0').fill('1');
        await clickAndLoad(page, button(/^continue$/i));
        while (!page.url().endsWith('/check-answers')) {
          await clickAndLoad(page, button(/^continue$/i));
        }
        await clickAndLoad(page, button(/accept and send|send/i));
        const data = await storedData(app, page);
        assert.deepEqual(data.listOfStrings, ['foo', 'baz']);
        assert.deepEqual(data.nestedList, [1]);
        assert.equal((data.fixedItemsList as unknown[])[0], 'Some text');
      });
    });
  }
});
