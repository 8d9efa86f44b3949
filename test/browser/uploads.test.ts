import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { samplePdf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { launchBrowser } from './support/launch-browser.js';

describe('The upload page in real Chromium', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    [app, browser] = await Promise.all([
      startTestApp({
        formsDir: 'test/fixtures/forms',
        env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
      }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser.close();
    await app.stop();
  });

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      let context: BrowserContext;
      let page: Page;
      beforeEach(async () => {
        context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
        page = await context.newPage();
        await page.goto(`${app.url}/forms/evidence-upload`);
        await clickAndLoad(page, page.getByRole('button', { name: /start/i }));
      });
      afterEach(async () => {
        await context.close();
      });
      /** axe needs JavaScript: with it off, the page as served is checked in a page with it on. */
      const violations = async (): Promise<string[]> => {
        if (javaScriptEnabled) return axeViolations(page);
        const checker = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
        try {
          const copy = await checker.newPage();
          // The page's own scripts stay out, so it is laid out as it was without JavaScript.
          await copy.route('**/*.js', (route) => route.fulfill({ body: '' }));
          // Served from the app's origin, so its stylesheets load as they did.
          const html = await page.content();
          await copy.route(`${app.url}/axe-copy`, (route) =>
            route.fulfill({ body: html, contentType: 'text/html' }),
          );
          await copy.goto(`${app.url}/axe-copy`);
          return await axeViolations(copy);
        } finally {
          await checker.close();
        }
      };

      it('names the allowed types and limit, and filters the picker with accept', async () => {
        const carePlan = page.getByLabel('Care plan');
        assert.equal(
          await carePlan.getAttribute('accept'),
          '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        );
        assert.equal(
          (await page.locator('#evidence-carePlan-hint').innerText()).trim(),
          'PDF or Word document, up to 10 MB',
        );
        assert.deepEqual(await violations(), []);
      });

      it('refuses a disguised file on the page, keeping every other answer, axe-clean', async () => {
        await page.getByLabel('Your name').fill('Sam Example');
        await page.getByLabel('Anything else').fill('Letter from the school, March');
        await page.getByLabel('Letter').setInputFiles({
          name: 'letter.pdf',
          mimeType: 'application/pdf',
          buffer: samplePdf,
        });
        await page.getByLabel('Care plan').setInputFiles({
          name: 'care-plan.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('<!DOCTYPE html><html><body>not a plan</body></html>'),
        });
        await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
        const summary = page.locator('.govuk-error-summary');
        assert.match(await summary.innerText(), /The selected file must be a PDF or Word document/);
        assert.equal(await page.getByLabel('Your name').inputValue(), 'Sam Example');
        assert.equal(
          await page.getByLabel('Anything else').inputValue(),
          'Letter from the school, March',
        );
        assert.match(await page.locator('main').innerText(), /letter\.pdf/);
        assert.match(
          await page.locator('#evidence-carePlan-error').innerText(),
          /The selected file must be a PDF or Word document/,
        );
        assert.deepEqual(await violations(), []);
        await page.setViewportSize({ width: 375, height: 900 });
        await page.screenshot({
          path: `/tmp/uploads-refused-js-${javaScriptEnabled ? 'on' : 'off'}.png`,
          fullPage: true,
        });
      });
    });
  }
});
