import { uploadExampleDocuments } from '../support/upload-example-documents.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { ParsedMail } from 'mailparser';
import { loadForms } from '../../src/forms/load-forms.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { completeForm } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { readPdf } from '../pack/read-pdf.js';
import { errorSummary, type WebClient } from '../support/web-client.js';
import { waitFor } from '../support/wait-for.js';

const coordinatorEmail = 'coordinator@example.gov.uk';
const referrerEmail = 'jordan.sample@exampleshire.example.gov.uk';

function recipients(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : [mail.to].flat();
  return to.flatMap((address) => address.value.map((entry) => entry.address ?? ''));
}

describe('The workflow pages over HTTP (PostgreSQL)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let postgres: TestPostgres;
  let db: PostgresDatabase;
  let coordinator: WebClient;
  let homes: { id: string; name: string; email: string }[];
  let reference: string;
  let approved: string[];
  let tokens: Map<string, string>;

  const state = async (reference: string) =>
    (
      await db.query<{ id: string; status: string; state: string; current_step: string }>(
        `SELECT i.id, i.status, i.state, i.current_step FROM workflow_instances i
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [reference],
      )
    ).rows[0];
  const requestStates = async () =>
    Object.fromEntries(
      (
        await db.query<{ home_id: string; state: string }>(
          `SELECT r.home_id, r.state FROM workflow_home_requests r JOIN workflow_instances i ON i.id = r.instance_id
           JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
          [reference],
        )
      ).rows.map((row) => [row.home_id, row.state]),
    );
  const packMails = async () =>
    (await app.mails()).filter(
      (mail) =>
        mail.subject?.startsWith(`Secure welfare referral ${reference}: please respond`) === true,
    );
  const emailOf = (homeId: string) => homes.find((home) => home.id === homeId)?.email ?? '';
  // One signed-in client per home, so the sign-in code rate limit never applies.
  const homeClients = new Map<string, WebClient>();
  const asHome = async (homeId: string) => {
    const known = homeClients.get(homeId);
    if (known) return known;
    const client = await app.signedIn(emailOf(homeId), '/my-forms');
    homeClients.set(homeId, client);
    return client;
  };

  before(async () => {
    postgres = await startTestPostgres();
    app = await startTestApp({ databaseUrl: postgres.url });
    db = await PostgresDatabase.open(postgres.url);
    homes = (
      await db.query<{ id: string; name: string; email: string }>(
        `SELECT id, name, email FROM homes ORDER BY name`,
      )
    ).rows;
    coordinator = await app.signedIn(coordinatorEmail, '/coordinator');
  });
  after(async () => {
    await db.close();
    await app.stop();
    await postgres.stop();
  });

  describe('vacancy declarations from a link', () => {
    it('names each "Create link" button with its visible text first', async () => {
      const page = await coordinator.get('/coordinator');
      const buttons = page.$('form[action$="/vacancy-link"] button');
      assert.equal(buttons.length, homes.length);
      buttons.each((_i, button) => {
        assert.equal(page.$(button).attr('aria-label'), undefined);
        assert.match(page.$(button).text().trim(), /^Create link for /);
        assert.equal(page.$(button).find('.govuk-visually-hidden').length, 1);
      });
    });

    it('records every home’s free beds and refuses bad numbers with GOV.UK errors', async () => {
      for (const home of homes) {
        await coordinator.get('/coordinator');
        const issued = await coordinator.post(`/coordinator/homes/${home.id}/vacancy-link`, {});
        assert.equal(issued.status, 200);
        const link = issued.$('#vacancy-link').text();
        const token = /\/vacancies\/([A-Za-z0-9_-]+)$/.exec(link)?.[1];
        assert.ok(token, link);
        const refreshed = await coordinator.get(`/coordinator/homes/${home.id}/vacancy-link`);
        assert.equal(refreshed.$('#vacancy-link').text(), link, 'a refresh shows the same link');
        const visitor = app.client();
        const form = await visitor.get(`/vacancies/${token}`);
        assert.equal(form.status, 200, 'the link given still works after a refresh');
        assert.match(form.$('h1').text(), /How many welfare beds are free today/);
        for (const [bad, message] of [
          ['', 'Enter the number of free welfare beds today'],
          ['two', 'Number of free welfare beds must be a whole number, like 2'],
          ['-1', 'Number of free welfare beds must be a whole number, like 2'],
          ['51', 'Number of free welfare beds must be 50 or fewer'],
        ]) {
          const refused = await visitor.post(`/vacancies/${token}`, { vacancies: bad ?? '' });
          assert.equal(refused.status, 422);
          assert.deepEqual(errorSummary(refused), [message]);
        }
        const none = await db.query(`SELECT 1 FROM home_vacancies WHERE home_id = $1`, [home.id]);
        assert.equal(none.rowCount, 0, 'a refused declaration stores nothing');
        const declared = await visitor.post(`/vacancies/${token}`, { vacancies: '2' });
        assert.equal(declared.status, 200);
        assert.match(declared.html, /Your vacancies for today were recorded/);
      }
      const { rows } = await db.query<{ count: string }>(
        `SELECT count(*) AS count FROM home_vacancies WHERE vacancies = 2`,
      );
      assert.equal(Number(rows[0]?.count), homes.length);
      assert.equal((await app.client().get('/vacancies/forged-token')).status, 404);
    });
  });

  describe('a referral from submission to placement', () => {
    it('is submitted through the API and waits for a coordinator, sending nothing', async () => {
      const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
        schema: { examples: Record<string, unknown>[] };
      };
      // Leeds's case-management system submits: the referral belongs to Leeds (LA 383).
      const token = await app.apiToken(undefined, '383');
      const response = await fetch(`${app.url}/api/v1/forms/secure-welfare-referral/submissions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          await uploadExampleDocuments(
            app.url,
            token,
            (await loadForms('forms')).get('secure-welfare-referral')!,
            form.schema.examples[0] ?? {},
          ),
        ),
      });
      assert.equal(response.status, 201);
      reference = ((await response.json()) as { reference: string }).reference;
      await waitFor('the review task', async () => {
        const { rows } = await db.query(
          `SELECT 1 FROM workflow_review_tasks t JOIN workflow_instances i ON i.id = t.instance_id
           JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1 AND t.state = 'open'`,
          [reference],
        );
        return rows[0];
      });
      assert.equal((await packMails()).length, 0, 'no pack goes out before approval');
      assert.equal((await state(reference))?.status, 'submitted');
    });

    it('keeps the console from people who are not coordinators', async () => {
      const visitor = app.client();
      const redirected = await visitor.get('/coordinator');
      assert.match(redirected.url, /\/sign-in\?return=%2Fcoordinator$/);
      const worker = await app.signedIn('another.worker@example.gov.uk');
      assert.equal((await worker.get('/coordinator')).status, 403);
      assert.equal((await worker.get(`/coordinator/referrals/${reference}`)).status, 403);
      assert.equal((await worker.get('/admin/queues')).status, 403);
    });

    it('lists the referral and shows the routing decision for every home, auditing the view', async () => {
      const console = await coordinator.get('/coordinator');
      const row = console.$(`a[href="/coordinator/referrals/${reference}"]`).closest('tr');
      assert.equal(row.length, 1);
      assert.match(row.text(), /Review the proposed homes/);

      const page = await coordinator.get(`/coordinator/referrals/${reference}`);
      assert.equal(page.status, 200);
      const routing = page
        .$('table')
        .filter((_i, table) =>
          page.$(table).text().includes('Why each home was proposed or excluded'),
        );
      assert.equal(routing.find('tbody tr').length, homes.length);
      const checkboxes = page.$('input[name="homes"]');
      assert.equal(checkboxes.length, homes.length);
      const proposed = page
        .$('input[name="homes"][checked]')
        .map((_i, box) => page.$(box).attr('value'))
        .get();
      assert.ok(proposed.length >= 2, `routing proposed ${proposed.join(', ')}`);
      const excluded = homes.map((home) => home.id).find((id) => !proposed.includes(id));
      assert.ok(excluded, 'some home was excluded');
      const summary = page.$('#referral-summary').text();
      for (const label of ['Age', 'Sex', 'Referring local authority', 'Legal status', 'Needed by'])
        assert.ok(summary.includes(label), `the summary shows ${label}: ${summary}`);
      assert.match(summary, /Absconding and missing episodes/, 'risk levels by their titles');
      assert.match(page.html, /Referrer(&#39;|')s full name/, 'the full answers, for a reviewer');
      assert.doesNotMatch(page.html, /criminalExploitation|sexualExploitation/, 'no internal keys');
      // Remove one proposed home, add one the rules excluded.
      approved = [...proposed.slice(1), excluded];

      const audit = await db.query<{ actor_id: string }>(
        `SELECT a.actor_id FROM audit_events a JOIN submissions s ON s.id::text = a.subject_id
         WHERE s.reference = $1 AND a.action = 'referral.view'`,
        [reference],
      );
      assert.ok(audit.rows.length >= 1, 'the view is audited');
    });

    it('refuses an approval with no homes and changes nothing', async () => {
      const page = await coordinator.get(`/coordinator/referrals/${reference}`);
      const empty = await coordinator.post(`/coordinator/referrals/${reference}/review`, {
        taskId: page.$('input[name="taskId"]').attr('value') ?? '',
      });
      assert.equal(empty.status, 422);
      assert.deepEqual(errorSummary(empty), ['Select at least one home to send the referral to']);
      const { rows } = await db.query<{ state: string }>(
        `SELECT t.state FROM workflow_review_tasks t JOIN workflow_instances i ON i.id = t.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [reference],
      );
      assert.deepEqual(
        rows.map((row) => row.state),
        ['open'],
      );
    });

    it('sends exactly the approved homes one email each, holding no child’s details', async () => {
      const page = await coordinator.get(`/coordinator/referrals/${reference}`);
      const taskId = page.$('input[name="taskId"]').attr('value') ?? '';
      const fields = [
        ['taskId', taskId],
        ...approved.map((id): [string, string] => ['homes', id]),
      ] as [string, string][];
      // sending asks for confirmation, listing the homes; nothing is sent yet
      const confirm = await coordinator.post(`/coordinator/referrals/${reference}/review`, fields);
      assert.equal(confirm.status, 200);
      assert.match(confirm.$('h1').text(), /Send the referral pack to these homes\?/);
      assert.equal(confirm.$('#confirm-homes li').length, approved.length);
      assert.equal((await packMails()).length, 0);
      const done = await coordinator.post(
        `/coordinator/referrals/${reference}/review/confirm`,
        fields,
      );
      assert.equal(done.status, 200);
      assert.match(done.html, /The homes were approved/);
      await waitFor('the pack emails', async () =>
        (await packMails()).length >= approved.length ? true : undefined,
      );
      // Give a duplicate the chance to appear before counting.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const mails = await packMails();
      assert.deepEqual(
        mails.flatMap(recipients).sort(),
        approved.map(emailOf).sort(),
        'one email to each approved home and none to anyone else',
      );
      tokens = new Map();
      for (const mail of mails) {
        const text = mail.text ?? '';
        for (const secret of ['Alex', 'EX-104233', '2012-04-17', 'LS1 ']) {
          assert.ok(!text.includes(secret), `the email holds ${secret}`);
          assert.ok(!String(mail.html).includes(secret), `the email html holds ${secret}`);
        }
        const link = /https?:\/\/\S+\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(text);
        assert.ok(link?.[1], text);
        const homeId = approved.find((id) => emailOf(id) === recipients(mail)[0]);
        assert.ok(homeId);
        tokens.set(homeId, link[1]);
      }
      const again = await coordinator.post(`/coordinator/referrals/${reference}/review/confirm`, [
        ['taskId', taskId],
        ['homes', approved[0] ?? ''],
      ]);
      assert.equal(again.status, 409, 'a second approval changes nothing');
      assert.deepEqual(Object.keys(await requestStates()).sort(), [...approved].sort());
    });

    it('resends a waiting home its pack email on request, with the same link', async () => {
      const [first] = approved;
      assert.ok(first);
      const page = await coordinator.get(`/coordinator/referrals/${reference}`);
      const action = `/coordinator/referrals/${reference}/homes/${first}/resend`;
      assert.equal(
        page.$(`form[action="${action}"]`).length,
        1,
        'a resend button per waiting home',
      );
      const before = (await packMails()).length;
      const done = await coordinator.post(action, {});
      assert.match(done.html, /The pack email was sent to the home again/);
      await waitFor('the resent email', async () =>
        (await packMails()).length > before ? true : undefined,
      );
      const resent = (await packMails()).at(-1);
      assert.deepEqual(resent ? recipients(resent) : [], [emailOf(first)]);
      const link = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(resent?.text ?? '');
      assert.equal(link?.[1], tokens.get(first), 'the same working link');
      const stranger = await app.signedIn('someone.else@example.gov.uk', '/my-forms');
      assert.equal((await stranger.post(action, {})).status, 403, 'coordinators only');
      const audited = await db.query(`SELECT 1 FROM audit_events WHERE action = 'email.resend'`);
      assert.equal(audited.rowCount, 1);
    });

    it('opens the link only after the home signs in as itself', async () => {
      const [first, second] = approved;
      assert.ok(first && second);
      const path = `/homes/respond/${tokens.get(first) ?? ''}`;
      const visitor = app.client();
      const signIn = await visitor.get(path);
      assert.match(signIn.url, /\/sign-in\?return=/);
      assert.ok(!signIn.html.includes('Alex'));

      const otherHome = await app.signedIn(emailOf(second));
      const refused = await otherHome.get(path);
      assert.equal(refused.status, 403);
      assert.ok(!refused.html.includes('Alex'));
      assert.equal((await otherHome.get(`${path}/pack.pdf`)).status, 403);

      const home = await app.signedIn(emailOf(first), path);
      const pack = await home.get(path);
      assert.equal(pack.status, 200);
      assert.match(pack.html, /Alex/, 'the pack shows the answers');
      assert.match(pack.html, new RegExp(reference));
      assert.match(pack.html, /Referrer(&#39;|')s full name/, 'x-reviewTitle labels');
      assert.doesNotMatch(pack.html, /Your full name/, 'no label written for the referrer');

      const pdf = await home.download(`${path}/pack.pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.match(pdf.headers.get('content-disposition') ?? '', /^attachment; filename="/);
      const text = (await readPdf(pdf.bytes)).pages.join(' ');
      assert.match(text, new RegExp(reference), 'the pack names the referral');
      assert.match(text, /Alex/, "the pack holds the child's answers");
      assert.match(text, /OFFICIAL-SENSITIVE/);
      const downloads = await db.query(
        `SELECT 1 FROM audit_events WHERE action = 'referral.pack.download' AND actor_id = $1`,
        [first],
      );
      assert.equal(downloads.rowCount, 1);
    });

    it('lists the documents sent with the referral and audits each download', async () => {
      const [first, second] = approved;
      assert.ok(first && second);
      // The care plan the integrator uploaded through the API before submitting.
      const { rows } = await db.query<{ id: string }>(
        `SELECT d.id FROM documents d JOIN submissions s ON s.id = d.submission_id
         WHERE s.reference = $1 AND d.field_path = '/attachments/carePlan'`,
        [reference],
      );
      const carePlan = rows[0]?.id ?? '';
      assert.match(carePlan, /^doc_/);
      const path = `/homes/respond/${tokens.get(first) ?? ''}`;
      const home = await asHome(first);
      const page = await home.get(path);
      const link =
        page
          .$('#documents a')
          .filter((_index, a) => page.$(a).text().includes('attachments-carePlan.pdf'))
          .attr('href') ?? '';
      assert.equal(link, `${path}/documents/${carePlan}`);
      const file = await home.download(link);
      assert.equal(file.status, 200);
      assert.match(
        file.headers.get('content-disposition') ?? '',
        /attachment; filename="attachments-carePlan.pdf"/,
      );
      assert.ok(file.bytes.length > 50);
      const audits = await db.query(
        `SELECT 1 FROM audit_events WHERE action = 'referral.document.download' AND actor_id = $1`,
        [first],
      );
      assert.equal(audits.rowCount, 1);
      assert.equal((await home.get(`${path}/documents/doc_other000000000000000001`)).status, 404);
      const otherHome = await asHome(second);
      assert.equal((await otherHome.get(link)).status, 403);

      const review = await coordinator.get(`/coordinator/referrals/${reference}`);
      const coordinatorLink = `/coordinator/referrals/${reference}/documents/${carePlan}`;
      assert.ok(review.$(`#documents a[href="${coordinatorLink}"]`).length === 1);
      assert.equal((await coordinator.download(coordinatorLink)).status, 200);
      const coordinatorPack = await coordinator.download(review.$('#pack-link').attr('href') ?? '');
      assert.equal(coordinatorPack.headers.get('content-type'), 'application/pdf');
      const reads = await db.query<{ action: string }>(
        `SELECT a.action FROM audit_events a JOIN submissions s ON s.id::text = a.subject_id
         WHERE s.reference = $1 AND a.actor_type = 'user'
           AND a.action IN ('referral.document.download', 'referral.pack.download')`,
        [reference],
      );
      assert.deepEqual(reads.rows.map((row) => row.action).sort(), [
        'referral.document.download',
        'referral.pack.download',
      ]);
    });

    it('shows the status only once a home’s link has expired, and the pack answers 410', async () => {
      const [, second] = approved;
      assert.ok(second);
      const path = `/homes/respond/${tokens.get(second) ?? ''}`;
      const home = await asHome(second);
      const { rows } = await db.query<{ token_expires_at: Date }>(
        `SELECT token_expires_at FROM workflow_home_requests WHERE home_id = $1`,
        [second],
      );
      await db.query(
        `UPDATE workflow_home_requests SET token_expires_at = now() - interval '1 minute'
         WHERE home_id = $1`,
        [second],
      );
      try {
        const page = await home.get(path);
        assert.equal(page.status, 200);
        assert.match(page.$('#access-ended').text(), /expired/);
        assert.doesNotMatch(page.html, /Alex/, 'no child’s details after expiry');
        assert.equal(page.$('#pack-link').length, 0);
        assert.equal((await home.get(`${path}/pack.pdf`)).status, 410);
        assert.equal(
          (await home.get(`${path}/documents/doc_carePlan0000000000000001`)).status,
          410,
        );
      } finally {
        await db.query(
          `UPDATE workflow_home_requests SET token_expires_at = $2 WHERE home_id = $1`,
          [second, rows[0]?.token_expires_at],
        );
      }
    });

    it('refuses a forged token, a missing reason and a second answer, changing nothing', async () => {
      const [first] = approved;
      assert.ok(first);
      const home = await app.signedIn(emailOf(first), '/my-forms');
      const path = `/homes/respond/${tokens.get(first) ?? ''}`;
      await home.get(path);
      const before = await requestStates();

      assert.equal((await home.get('/homes/respond/forged-token-123')).status, 404);
      assert.equal(
        (await home.post('/homes/respond/forged-token-123', { answer: 'accepted' })).status,
        404,
      );
      const noReason = await home.post(path, { answer: 'declined' });
      assert.equal(noReason.status, 422);
      assert.deepEqual(errorSummary(noReason), ['Select why you cannot offer a place']);
      const noAnswer = await home.post(path, {});
      assert.deepEqual(errorSummary(noAnswer), ['Select whether you can offer a place']);
      assert.deepEqual(await requestStates(), before);

      const question = 'Please send the latest CAMHS safety plan';
      const asked = await home.post(path, {
        answer: 'more-information',
        moreInformation: question,
      });
      assert.equal(asked.status, 200);
      const review = await coordinator.get(`/coordinator/referrals/${reference}`);
      assert.ok(review.$('#requests').text().includes(question), 'the coordinator sees it');
      // a social worker of the referring authority (Leeds) holds the referrer's powers
      await app.addUser('leeds.colleague@example.gov.uk', 'social-worker', '383');
      const referrer = await app.signedIn(
        'leeds.colleague@example.gov.uk',
        `/referrals/${reference}`,
      );
      const status = await referrer.get(`/referrals/${reference}`);
      assert.ok(
        status.$('#homes').text().includes(`Asked for more information: ${question}`),
        'the referrer sees the question in full',
      );

      const offer = {
        answer: 'accepted',
        'bedAvailable-day': '1',
        'bedAvailable-month': '1',
        'bedAvailable-year': '2099',
        conditions: 'A planning meeting first',
      };
      const undated = await home.post(path, { answer: 'accepted' });
      assert.equal(undated.status, 422);
      assert.deepEqual(errorSummary(undated), ['Enter the date a bed is available']);
      const check = await home.post(path, offer);
      assert.equal(check.status, 200);
      assert.match(check.$('h1').text(), /Check your offer/);
      assert.match(check.$('#offer').text(), /1 January 2099/);
      assert.equal((await requestStates())[first], 'more-information', 'not until confirmed');
      const accepted = await home.post(path, { ...offer, confirm: 'yes' });
      assert.equal(accepted.status, 200);
      assert.match(accepted.html, /Your answer was recorded/);
      const kept = await db.query<{ answer: string }>(
        `SELECT h.answer FROM workflow_home_responses h JOIN workflow_home_requests r ON r.id = h.request_id
         WHERE r.home_id = $1 ORDER BY h.responded_at`,
        [first],
      );
      assert.deepEqual(
        kept.rows.map((row) => row.answer),
        ['more-information', 'accepted'],
        'the question is kept when an offer follows',
      );
      assert.equal((await requestStates())[first], 'accepted');

      const twice = await home.post(path, { answer: 'declined', declineReason: 'No vacancy' });
      assert.equal(twice.status, 409);
      assert.match(twice.html, /already answered/);
      assert.equal((await requestStates())[first], 'accepted');
    });

    it('tells the referrer and lets only the referrer choose the offer', async () => {
      for (const homeId of approved.slice(1)) {
        const home = await asHome(homeId);
        const path = `/homes/respond/${tokens.get(homeId) ?? ''}`;
        await home.get(path);
        const declined = await home.post(path, { answer: 'declined', declineReason: 'Group mix' });
        assert.equal(declined.status, 200);
        assert.match(declined.$('#access-ended').text(), /declined/);
        assert.doesNotMatch(declined.html, /Alex/, 'a home that declined sees the status only');
        assert.equal((await home.get(`${path}/pack.pdf`)).status, 410);
      }
      await waitFor('the offer to reach the local authority', async () => {
        const now = await state(reference);
        return now?.status === 'offered' &&
          now.current_step === 'await-decision' &&
          now.state === 'waiting'
          ? true
          : undefined;
      });

      const stranger = await app.signedIn('someone.else@example.gov.uk');
      assert.equal((await stranger.get(`/referrals/${reference}`)).status, 404);
      await stranger.get('/forms/secure-welfare-referral');
      assert.equal(
        (await stranger.post(`/referrals/${reference}/withdraw`, { confirm: 'yes' })).status,
        404,
      );
      assert.equal(
        (await stranger.post(`/referrals/${reference}/decision`, { choice: approved[0] ?? '' }))
          .status,
        404,
      );
      assert.equal((await state(reference))?.status, 'offered');

      // The address typed into the form as the referrer's grants nothing by itself…
      await app.addUser(referrerEmail, 'social-worker', '373');
      const typed = await app.signedIn(referrerEmail, '/my-forms');
      assert.equal((await typed.get(`/referrals/${reference}`)).status, 404);
      // …a social worker of the referring authority (Leeds) has the referrer's powers.
      await app.addUser(referrerEmail, 'social-worker', '383');
      const referrer = await app.signedIn(referrerEmail, `/referrals/${reference}`);
      const page = await referrer.get(`/referrals/${reference}`);
      assert.equal(page.status, 200);
      assert.equal(page.$('#referral-status').text().trim(), 'A home has offered a place');
      assert.deepEqual(
        page
          .$('input[name="choice"]')
          .map((_i, input) => page.$(input).attr('value'))
          .get(),
        [approved[0], 'alternative'],
      );
      assert.ok(page.$('#homes').text().includes('Offered a place'));
      assert.equal(page.$('#update-link').text(), 'Give the two-weekly update');

      const form = await referrer.get(`/referrals/${reference}/update`);
      assert.match(form.$('h1').text(), /Two-weekly update/);
      const unanswered = await referrer.post(`/referrals/${reference}/update`, {});
      assert.equal(unanswered.status, 422);
      assert.deepEqual(errorSummary(unanswered), [
        'Select whether the child still needs a secure welfare placement',
      ]);
      const notNeeded = await referrer.post(`/referrals/${reference}/update`, {
        stillNeeded: 'no',
      });
      assert.match(notNeeded.url, /\/withdraw$/, 'no longer needed: confirm a withdrawal');
      assert.equal((await state(reference))?.status, 'offered');
      await referrer.get(`/referrals/${reference}/update`);
      const updated = await referrer.post(`/referrals/${reference}/update`, {
        stillNeeded: 'yes',
        changes: 'A new risk assessment is due next week',
      });
      assert.match(updated.html, /Your update was recorded/);
      const stored = await db.query<{ changes: string }>(
        `SELECT u.changes FROM referral_updates u JOIN workflow_instances i ON i.id = u.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [reference],
      );
      assert.deepEqual(
        stored.rows.map((row) => row.changes),
        ['A new risk assessment is due next week'],
      );
      const unconfirmed = await referrer.post(`/referrals/${reference}/withdraw`, {});
      assert.equal(unconfirmed.status, 422);
      assert.equal((await state(reference))?.status, 'offered');
      const notOffered = approved[1] ?? '';
      await referrer.get(`/referrals/${reference}`);
      const refused = await referrer.post(`/referrals/${reference}/decision`, {
        choice: notOffered,
      });
      assert.equal(refused.status, 422);
      assert.equal((await state(reference))?.status, 'offered');

      const chosen = await referrer.post(`/referrals/${reference}/decision`, {
        choice: approved[0] ?? '',
      });
      assert.match(chosen.html, /The decision was recorded/);
      // the decision is the fact at once, whether or not the steps after it have run yet
      assert.equal(chosen.$('#referral-status').text().trim(), 'Placed');
      const coordinatorView = await coordinator.get(`/coordinator/referrals/${reference}`);
      assert.equal(coordinatorView.$('#referral-status').text().trim(), 'Placed');
      await waitFor('the placement', async () =>
        (await state(reference))?.status === 'placed' ? true : undefined,
      );
      const placed = await referrer.get(`/referrals/${reference}`);
      assert.equal(placed.$('#referral-status').text().trim(), 'Placed');
      assert.equal(placed.$('input[name="choice"]').length, 0);

      const [chosenHome, otherHome] = approved;
      assert.ok(chosenHome && otherHome);
      const placedHome = await asHome(chosenHome);
      const placedPath = `/homes/respond/${tokens.get(chosenHome) ?? ''}`;
      assert.equal((await placedHome.download(`${placedPath}/pack.pdf`)).status, 200);
      const elsewhere = await asHome(otherHome);
      const elsewherePath = `/homes/respond/${tokens.get(otherHome) ?? ''}`;
      const statusOnly = await elsewhere.get(elsewherePath);
      assert.match(statusOnly.$('#access-ended').text(), /placed with another home/);
      assert.doesNotMatch(statusOnly.html, /Alex/);
      assert.equal((await elsewhere.get(`${elsewherePath}/pack.pdf`)).status, 410);
    });
  });

  describe('flags for a person', () => {
    it('shows an uncertain send and lets the coordinator resolve it, once', async () => {
      const instance = await state(reference);
      assert.ok(instance);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO workflow_flags (instance_id, kind, message, created_at, organisation_id, retain_until)
         SELECT id, 'email-uncertain', 'An email may or may not have been sent.', now(), organisation_id,
           retain_until FROM workflow_instances WHERE id = $1 RETURNING id`,
        [instance.id],
      );
      const flagId = rows[0]?.id ?? '';
      const console = await coordinator.get('/coordinator');
      const row = console.$(`a[href="/coordinator/referrals/${reference}"]`).closest('tr');
      assert.match(row.text(), /A problem needs a person/);
      const page = await coordinator.get(`/coordinator/referrals/${reference}`);
      assert.match(page.html, /An email may or may not have been sent/);
      const resolved = await coordinator.post(
        `/coordinator/referrals/${reference}/flags/${flagId}/resolve`,
        {},
      );
      assert.match(resolved.html, /The flag was marked as resolved/);
      assert.doesNotMatch(resolved.html, /An email may or may not have been sent/);
      const flag = await db.query<{ resolved_by: string | null }>(
        `SELECT resolved_by FROM workflow_flags WHERE id = $1`,
        [flagId],
      );
      assert.ok(flag.rows[0]?.resolved_by, 'the resolver is recorded');
      const audits = await db.query(
        `SELECT 1 FROM audit_events WHERE action = 'referral.flag.resolve'`,
      );
      assert.equal(audits.rowCount, 1);
      await coordinator.post(`/coordinator/referrals/${reference}/flags/${flagId}/resolve`, {});
      assert.equal(
        (await db.query(`SELECT 1 FROM audit_events WHERE action = 'referral.flag.resolve'`))
          .rowCount,
        1,
        'resolving twice changes nothing',
      );
    });
  });

  describe('a referral sent on the web', () => {
    it('is followed from Your forms and withdrawn after confirmation', async () => {
      const forms = await loadForms('forms');
      const form = forms.get('secure-welfare-referral');
      assert.ok(form);
      const worker = await app.signedIn(
        'web.referrer@example.gov.uk',
        '/forms/secure-welfare-referral',
      );
      const { confirmation } = await completeForm(worker, form, form.examples()[0] ?? {});
      const link = confirmation.$('a[href^="/referrals/"]').attr('href') ?? '';
      const webReference = link.replace('/referrals/', '');
      assert.match(webReference, /^SWR-\d{4}-\d{5}$/);
      const mine = await worker.get('/my-forms');
      assert.equal(mine.$(`a[href="/referrals/${webReference}"]`).length, 1);
      await waitFor('the web referral to wait for review', async () =>
        (await state(webReference))?.state === 'waiting' ? true : undefined,
      );

      const page = await worker.get(link);
      assert.equal(page.status, 200);
      const confirm = await worker.get(`${link}/withdraw`);
      assert.match(confirm.$('h1').text(), /Are you sure you want to withdraw/);
      const withdrawn = await worker.post(`${link}/withdraw`, {
        confirm: 'yes',
        reason: 'Placed locally',
      });
      assert.match(withdrawn.html, /The referral was withdrawn/);
      assert.equal((await state(webReference))?.status, 'withdrawn');
      const tasks = await db.query<{ state: string }>(
        `SELECT t.state FROM workflow_review_tasks t JOIN workflow_instances i ON i.id = t.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [webReference],
      );
      assert.deepEqual(
        tasks.rows.map((row) => row.state),
        ['cancelled'],
      );
      const again = await worker.post(`${link}/withdraw`, { confirm: 'yes' });
      assert.equal(again.status, 409);
      assert.equal(again.$('a[href$="/withdraw"]').length, 0);
    });
  });

  describe('bull-board', () => {
    it('is served to coordinators under its own relaxed policy only', async () => {
      const board = await coordinator.get('/admin/queues');
      assert.equal(board.status, 200);
      assert.match(
        board.headers.get('content-security-policy') ?? '',
        /style-src[^;]*'unsafe-inline'/,
      );
      const api = await fetch(`${app.url}/admin/queues/api/queues`, { redirect: 'manual' });
      assert.equal(api.status, 303, 'the API needs a coordinator’s session too');
      assert.match(api.headers.get('location') ?? '', /^\/sign-in\?return=/);
      const queues = await coordinator.get('/admin/queues/api/queues');
      assert.equal(queues.status, 200);
      const body = JSON.parse(queues.html) as { queues: { name: string; readOnlyMode: boolean }[] };
      assert.deepEqual(
        body.queues.map((queue) => [queue.name, queue.readOnlyMode]),
        [['workflow', true]],
      );
      const page = await coordinator.get('/coordinator');
      assert.doesNotMatch(page.headers.get('content-security-policy') ?? '', /unsafe-inline/);
    });
  });
});
