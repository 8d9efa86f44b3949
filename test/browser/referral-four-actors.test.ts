import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadForms } from '../../src/forms/load-forms.js';
import type { Database } from '../../src/store/database.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { axeViolations } from './support/axe-violations.js';
import { clickAndLoad } from './support/click-and-load.js';
import { completeFormInBrowser } from './support/complete-form-in-browser.js';
import { samplePdf } from './support/fill-page-by-label.js';
import { launchBrowser } from './support/launch-browser.js';
import { signInInBrowser } from './support/sign-in-in-browser.js';

/** How a person meets the pages: with or without JavaScript, on a wide or a phone screen. */
interface JourneyMode {
  name: string;
  javaScriptEnabled: boolean;
  width: number;
  /** Check every page with axe-core and for sideways scrolling. */
  checkEveryPage: boolean;
}

const modes: JourneyMode[] = [
  { name: 'JavaScript on', javaScriptEnabled: true, width: 1280, checkEveryPage: false },
  { name: 'JavaScript off', javaScriptEnabled: false, width: 1280, checkEveryPage: false },
  {
    name: 'a 375 px screen, axe on every page',
    javaScriptEnabled: true,
    width: 375,
    checkEveryPage: true,
  },
];

/** The example referral's facts about the child: no email may carry any of them. */
const childDetails = [/\bAlex\b/, /\bExample\b/, /EX-104233/, /2012-04-17/, /\bLS1\b/, /CAMHS/];
// Screenshots of each page a person sees, for looking at by eye (JOURNEY_SHOTS=dir).
const shotsDir = process.env.JOURNEY_SHOTS;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('A referral from submission to placement by its four kinds of user, in Chromium', function () {
  this.timeout(300_000);
  let app: TestApp;
  let sink: SmtpSink;
  let sinkDir: string;
  let browser: Browser;
  let db: Database;
  let homes: { id: string; name: string; email: string }[];

  before(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), 'formwork-journey-mail-'));
    sink = await startSmtpSink(join(sinkDir, 'mail.jsonl'));
    [app, browser] = await Promise.all([
      startTestApp({ env: { SMTP_URL: sink.url, SMTP_INSECURE: '1' } }),
      launchBrowser(),
    ]);
    db = app.running.db;
    // Three homes that can take the child (Leeds, Sheffield, Durham), named as in the directory.
    homes = (
      await db.query<{ id: string; name: string; email: string }>(
        `SELECT id, name, email FROM homes WHERE id IN ('adel-beck', 'aldine-house', 'aycliffe')
         ORDER BY name`,
      )
    ).rows;
    assert.equal(homes.length, 3);
    if (shotsDir) await mkdir(shotsDir, { recursive: true });
  });
  after(async () => {
    await browser.close();
    await app.stop();
    await sink.stop();
    await rm(sinkDir, { recursive: true, force: true });
  });

  const mailbox = {
    mails: () => Promise.resolve(sink.messages()),
    get running() {
      return app.running;
    },
  };

  for (const mode of modes) {
    describe(`with ${mode.name}`, () => {
      const contexts: BrowserContext[] = [];
      let shot = 0;
      afterEach(async () => {
        for (const context of contexts.splice(0)) await context.close();
      });

      /** A person's own browser: signed in when they first reach a page that asks. */
      const person = async (who: string) => {
        const context = await browser.newContext({
          javaScriptEnabled: mode.javaScriptEnabled,
          viewport: { width: mode.width, height: 900 },
          // for axe's injected script only; the pages' own scripts keep their policy otherwise
          bypassCSP: mode.checkEveryPage,
          acceptDownloads: true,
        });
        contexts.push(context);
        const page = await context.newPage();
        owners.set(page, who);
        return page;
      };
      const looked: string[] = [];
      const owners = new WeakMap<Page, string>();
      /** Every page a person sees, checked when this mode asks for it (and kept as a picture). */
      const check = async (page: Page) => {
        if (shotsDir) {
          shot += 1;
          const who = owners.get(page) ?? 'someone';
          const name = `${String(mode.width)}-${mode.javaScriptEnabled ? 'js' : 'nojs'}-${String(shot).padStart(2, '0')}-${who}.png`;
          await page.screenshot({
            path: join(shotsDir, name),
            fullPage: process.env.JOURNEY_SHOTS_FULL === '1',
          });
        }
        if (!mode.checkEveryPage) return;
        const where = new URL(page.url()).pathname;
        looked.push(where);
        assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        assert.equal(overflow, 0, `${where} is no wider than the screen`);
      };
      const visit = async (page: Page, path: string, email?: string) => {
        await page.goto(path.startsWith('http') ? path : `${app.url}${path}`);
        if (email && new URL(page.url()).pathname === '/sign-in') {
          await signInInBrowser(page, mailbox, email);
        }
        await check(page);
      };
      const press = async (page: Page, name: string | RegExp) => {
        await clickAndLoad(
          page,
          page.getByRole('button', { name, exact: typeof name === 'string' }),
        );
        await check(page);
      };
      const follow = async (page: Page, name: string | RegExp) => {
        await clickAndLoad(
          page,
          page.getByRole('link', { name, exact: typeof name === 'string' }).first(),
        );
        await check(page);
      };
      const download = async (page: Page, link: ReturnType<Page['locator']>) => {
        const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
        return file.suggestedFilename();
      };

      it('takes the referral from submission to placement, each person seeing what they need', async () => {
        const suffix = mode.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
        const workerEmail = `social.worker.${suffix}@example.gov.uk`;
        const coordinatorEmail = 'coordinator@example.gov.uk';
        const [homeA, homeB, homeC] = homes;
        assert.ok(homeA && homeB && homeC);

        // Homes A and B declare their free beds from the links the coordinator gives them; C
        // declares only once the referral is in, so routing has to be run again for it.
        const coordinator = await person('coordinator');
        await visit(coordinator, '/coordinator', coordinatorEmail);
        const declareVacancies = async (home: (typeof homes)[number]) => {
          await visit(coordinator, '/coordinator');
          await press(coordinator, new RegExp(`^Create link for ${home.name}`));
          const link = (await coordinator.locator('#vacancy-link').textContent()) ?? '';
          const declaring = await person(`${home.id}-vacancies`);
          await visit(declaring, link);
          await declaring.getByLabel(/welfare beds are free today/).fill('3');
          await press(declaring, 'Declare vacancies');
          assert.match(await declaring.locator('body').innerText(), /recorded/);
        };
        await declareVacancies(homeA);
        await declareVacancies(homeB);

        // The social worker fills in the referral, with its documents, and sends it.
        const worker = await person('social-worker');
        await visit(worker, '/forms/secure-welfare-referral');
        await clickAndLoad(worker, worker.getByRole('button', { name: 'Start now', exact: true }));
        await signInInBrowser(worker, mailbox, workerEmail);
        const form = (await loadForms('forms')).get('secure-welfare-referral');
        assert.ok(form);
        const example = form.examples()[0] ?? {};
        const { reference } = await completeFormInBrowser(worker, form, example, {
          onQuestionPage: check,
          onCheckAnswers: check,
          onConfirmation: check,
        });
        await waitFor('the acknowledgement', () =>
          // to the address the referral gives for its referrer
          sink.count((example.referrer as { email: string }).email, reference) > 0
            ? true
            : undefined,
        );

        // The coordinator reads the summary and a document, and approves the three homes.
        await waitFor('the review', async () => {
          await coordinator.goto(`${app.url}/coordinator/referrals/${reference}`);
          return (await coordinator.locator('input[name="homes"]').count()) > 0 ? true : undefined;
        });
        await check(coordinator);
        const boxOf = (home: { name: string }) =>
          coordinator.getByLabel(home.name, { exact: true });
        // in the first run C has declared no bed yet, so routing leaves it out
        if (mode === modes[0]) assert.equal(await boxOf(homeC).isChecked(), false);
        await declareVacancies(homeC);
        await visit(coordinator, `/coordinator/referrals/${reference}`);
        await press(coordinator, 'Run routing again');
        assert.equal(await boxOf(homeC).isChecked(), true, 'routing run again proposes C');
        const summary = await coordinator.locator('#referral-summary').innerText();
        assert.match(summary, /Age/);
        assert.match(summary, /Legal status/);
        const firstDocument = coordinator.locator('#documents a').first();
        assert.match(await download(coordinator, firstDocument), /\.pdf$/);
        for (const box of await coordinator.locator('input[name="homes"]').all())
          await box.uncheck();
        for (const home of homes) await boxOf(home).check();
        await press(coordinator, 'Continue');
        // sending is confirmed on a page that lists the homes
        assert.match(await coordinator.locator('h1').innerText(), /Send the referral pack/);
        await press(coordinator, 'Yes, send the packs');
        assert.match(await coordinator.locator('body').innerText(), /The homes were approved/);

        const linkOf = async (home: { email: string }) =>
          waitFor('the pack email', () => {
            const mail = sink
              .messages()
              .find(
                (message) =>
                  message.to === home.email &&
                  message.subject.includes(`${reference}: please respond`),
              );
            return /https?:\/\/\S+\/homes\/respond\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
          });
        const pathOf = async (home: { email: string }) => new URL(await linkOf(home)).pathname;

        // Home A asks a question.
        const pageA = await person('home-a');
        await visit(pageA, await pathOf(homeA), homeA.email);
        assert.match(await pageA.locator('h1').innerText(), new RegExp(reference));
        await pageA.getByLabel('We need more information first', { exact: true }).check();
        if (!mode.javaScriptEnabled) assert.ok(await pageA.locator('#moreInformation').count());
        await pageA.locator('#moreInformation').fill('Please send the latest CAMHS safety plan');
        await press(pageA, 'Send answer');
        assert.match(await pageA.locator('body').innerText(), /Your answer was recorded/);

        // The social worker reads the question in full and answers it with a document.
        await visit(worker, `/referrals/${reference}`);
        assert.match(
          await worker.locator(`#question-${homeA.id}`).innerText(),
          /Please send the latest CAMHS safety plan/,
        );
        await follow(worker, /^Answer the question/);
        await worker
          .getByLabel('Your answer', { exact: true })
          .fill('The safety plan is attached.');
        await worker.getByLabel('Documents (optional)', { exact: true }).setInputFiles({
          name: 'camhs-safety-plan.pdf',
          mimeType: 'application/pdf',
          buffer: samplePdf,
        });
        await press(worker, `Send answer to ${homeA.name}`);
        assert.match(await worker.locator('body').innerText(), /Your answer was sent to the home/);

        // Home A is told, reads the answer and opens the document.
        await waitFor('the news email', () =>
          sink.count(homeA.email, 'news from the local authority') > 0 ? true : undefined,
        );
        await visit(pageA, await pathOf(homeA));
        assert.match(
          await pageA.locator('#conversation').innerText(),
          /The safety plan is attached/,
        );
        assert.equal(
          await download(pageA, pageA.getByRole('link', { name: 'camhs-safety-plan.pdf' })),
          'camhs-safety-plan.pdf',
        );

        await follow(pageA, 'All referrals sent to your home');
        assert.match(await pageA.locator('#requests').innerText(), new RegExp(reference));

        // Home B declines.
        const pageB = await person('home-b');
        await visit(pageB, await pathOf(homeB), homeB.email);
        await pageB.getByLabel('No, we cannot offer a place', { exact: true }).check();
        await pageB.getByLabel('Group mix', { exact: true }).check();
        await press(pageB, 'Send answer');
        assert.match(await pageB.locator('#access-ended').innerText(), /declined/);

        // Home C offers a place from a date, checks the offer and sends it.
        const pageC = await person('home-c');
        await visit(pageC, await pathOf(homeC), homeC.email);
        await pageC.getByLabel('Yes, we offer a place', { exact: true }).check();
        const next = new Date(Date.now() + 3 * 86_400_000);
        await pageC.getByLabel('Day', { exact: true }).fill(String(next.getUTCDate()));
        await pageC.getByLabel('Month', { exact: true }).fill(String(next.getUTCMonth() + 1));
        await pageC.getByLabel('Year', { exact: true }).fill(String(next.getUTCFullYear()));
        await pageC
          .getByLabel('Conditions of the offer (optional)')
          .fill('A planning meeting first');
        await press(pageC, 'Send answer');
        assert.match(await pageC.locator('h1').innerText(), /Check your offer/);
        await press(pageC, 'Send offer');
        assert.match(await pageC.locator('body').innerText(), /Your answer was recorded/);

        // The social worker sees the offer with its details and takes it up.
        await visit(worker, `/referrals/${reference}`);
        assert.match(
          await worker.locator(`#offer-${homeC.id}`).innerText(),
          /Bed available from .* Conditions: A planning meeting first/,
        );
        // The two-weekly update, while the search is open.
        await follow(worker, 'Give the two-weekly update');
        await worker.getByLabel('Yes', { exact: true }).check();
        await worker.getByLabel(/What has changed/).fill('Nothing has changed');
        await press(worker, 'Send the update');
        assert.match(await worker.locator('body').innerText(), /Your update was recorded/);
        await worker.getByLabel(homeC.name, { exact: true }).check();
        await press(worker, 'Record the decision');
        await waitFor('the placement', async () => {
          await worker.reload();
          return (await worker.locator('#referral-status').innerText()).trim() === 'Placed'
            ? true
            : undefined;
        });
        await check(worker);

        // The social worker can see what they sent, their answer to home A included.
        await follow(worker, 'What you sent');
        assert.match(
          await worker.locator('#sent-answers').innerText(),
          /The safety plan is attached/,
        );

        // Home C is told it was chosen; A and B are told and lose the pack.
        await waitFor('the chosen home’s email', () =>
          sink.count(homeC.email, 'your offer has been taken up') > 0 ? true : undefined,
        );
        for (const [home, page] of [
          [homeA, pageA],
          [homeB, pageB],
        ] as const) {
          await waitFor('the outcome email', () =>
            sink.count(home.email, `${reference} has been placed with another home`) > 0
              ? true
              : undefined,
          );
          const path = await pathOf(home);
          await visit(page, path);
          assert.match(await page.locator('#access-ended').innerText(), /placed with another home/);
          const pack = await page.request.get(`${app.url}${path}/pack.pdf`);
          assert.ok([403, 410].includes(pack.status()), `pack answers ${String(pack.status())}`);
        }
        await visit(pageC, await pathOf(homeC));
        assert.equal(
          (await pageC.request.get(`${app.url}${await pathOf(homeC)}/pack.pdf`)).status(),
          200,
        );

        // Everything is filed in the DMS, once.
        const filed = await waitFor('the filing', async () => {
          const { rows } = await db.query<{ state: string; n: string | number }>(
            `SELECT e.state, count(*) AS n FROM workflow_side_effects e
             JOIN workflow_instances i ON i.id = e.instance_id
             JOIN submissions s ON s.id = i.submission_id
             WHERE s.reference = $1 AND e.kind = 'filing' GROUP BY e.state`,
            [reference],
          );
          const done = rows.find((row) => row.state === 'done');
          return rows.length === 1 && done && Number(done.n) >= 3 ? Number(done.n) : undefined;
        });
        const documents = await db.query<{ n: string | number }>(
          `SELECT count(*) AS n FROM documents d JOIN submissions s ON s.id = d.submission_id
           WHERE s.reference = $1`,
          [reference],
        );
        // the submission, the pack, the responses and every document (the answer's too)
        assert.equal(filed, 3 + Number(documents.rows[0]?.n ?? 0));

        // No email holds anything about the child.
        const mails = sink
          .messages()
          .filter((message) => message.subject !== 'Your Formwork sign-in code');
        assert.ok(mails.length >= 10, `${String(mails.length)} emails`);
        for (const mail of mails) {
          for (const secret of childDetails)
            assert.doesNotMatch(`${mail.subject}\n${mail.text}`, secret, mail.subject);
        }
        if (mode.checkEveryPage)
          assert.ok(looked.length > 20, `${String(looked.length)} pages checked`);
      });
    });
  }
});
