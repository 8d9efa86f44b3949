import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type WebClient } from '../support/web-client.js';
import { waitFor } from '../support/wait-for.js';

const recipientsOf = (mail: ParsedMail) =>
  [mail.to ?? []].flat().flatMap((to) => to.value.map((entry) => entry.address ?? ''));

describe('The coordinator’s actions on a referral’s homes over HTTP', function () {
  this.timeout(180_000);
  let app: TestApp;
  let coordinator: WebClient;
  let reference: string;
  let homes: { id: string; name: string; email: string }[];
  let approved: string[];
  const page = () => coordinator.get(`/coordinator/referrals/${reference}`);
  const audits = async (action: string) =>
    (
      await app.running.db.query<{ actor_id: string; details: Record<string, unknown> }>(
        `SELECT actor_id, details FROM audit_events WHERE action = $1 ORDER BY at`,
        [action],
      )
    ).rows;
  const mailsTo = async (email: string) =>
    (await app.mails()).filter((mail) => recipientsOf(mail).includes(email));
  const packMails = async () =>
    (await app.mails()).filter((mail) =>
      (mail.subject ?? '').startsWith(`Secure welfare referral ${reference}: please respond`),
    );

  before(async () => {
    // not development mode: no example vacancies, as on a real fresh start
    app = await startTestApp({ env: { FORMWORK_DEV: '0' } });
    homes = (
      await app.running.db.query<{ id: string; name: string; email: string }>(
        `SELECT id, name, email FROM homes ORDER BY name`,
      )
    ).rows;
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const response = await postReferral(
      app.url,
      await app.apiToken(),
      form.schema.examples[0] ?? {},
    );
    reference = ((await response.json()) as { reference: string }).reference;
    await waitFor('the review task', async () =>
      (await page()).$('input[name="homes"]').length > 0 ? true : undefined,
    );
  });
  after(async () => {
    await app.stop();
  });

  describe('vacancy links', () => {
    it('emails a home the link shown on the page, holding nothing about a child, audited', async () => {
      const [home] = homes;
      assert.ok(home);
      const shown = await coordinator.post(`/coordinator/homes/${home.id}/vacancy-link`, {});
      const link = shown.$('#vacancy-link').text();
      assert.match(link, /\/vacancies\/[A-Za-z0-9_-]+$/);
      const emailed = await coordinator.post(
        `/coordinator/homes/${home.id}/vacancy-link/email`,
        {},
      );
      assert.equal(emailed.status, 200);
      assert.match(emailed.html, /The vacancy link was emailed to the home/);
      assert.equal(emailed.$('#vacancy-link').text(), link, 'the link is unchanged');
      const [mail] = await mailsTo(home.email);
      assert.ok(mail, 'the home got an email');
      assert.ok(mail.text?.includes(link), mail.text);
      assert.ok(!/Alex|EX-104233|2012-04-17/.test(`${mail.text ?? ''}${String(mail.html)}`));
      assert.equal((await app.client().get(new URL(link).pathname)).status, 200);
      const [audit] = await audits('home.vacancy-link.email');
      assert.equal(audit?.details.newLink, false);
    });

    it('answers an unknown home with 404 and sends nothing', async () => {
      const before = (await app.mails()).length;
      const page = await coordinator.post('/coordinator/homes/no-such-home/vacancy-link/email', {});
      assert.equal(page.status, 404);
      assert.equal((await app.mails()).length, before);
    });
  });

  describe('the timeline', () => {
    it('gives a waiting step what it waits for and when it started on separate lines', async () => {
      const review = await page();
      const row = review
        .$('#timeline .govuk-summary-list__row')
        .filter((_i, entry) =>
          /Coordinator reviews the proposed homes/.test(review.$(entry).text()),
        );
      const lines = row
        .find('.govuk-summary-list__value p')
        .map((_i, line) => review.$(line).text().trim())
        .get();
      assert.equal(lines.length, 2, lines.join(' | '));
      assert.match(lines[0] ?? '', /^Waiting for a coordinator to review and approve the homes/);
      assert.match(lines[1] ?? '', /^Started \d{1,2} \w+ \d{4}/);
      assert.doesNotMatch(
        review.$('#timeline').text(),
        /\b(mark-searching|await-responses|route)\b/,
      );
    });
  });

  describe('reviewing the homes', () => {
    it('proposes no home before vacancies are declared, and says so beside each home', async () => {
      const review = await page();
      assert.equal(review.$('input[name="homes"][checked]').length, 0);
      assert.match(
        review.$('#homes-hint, .govuk-checkboxes__hint').first().text(),
        /No vacancies declared today/,
      );
    });

    it('runs routing again after homes declare vacancies, audited', async () => {
      for (const home of homes) {
        const shown = await coordinator.post(`/coordinator/homes/${home.id}/vacancy-link`, {});
        const path = new URL(shown.$('#vacancy-link').text()).pathname;
        const visitor = app.client();
        await visitor.get(path);
        // every home but the last declares two free beds
        await visitor.post(path, { vacancies: home === homes.at(-1) ? '0' : '2' });
      }
      const rerouted = await coordinator.post(
        `/coordinator/referrals/${reference}/review/reroute`,
        {},
      );
      assert.equal(rerouted.status, 200);
      assert.match(rerouted.html, /Routing was run again/);
      const proposed = rerouted
        .$('input[name="homes"][checked]')
        .map((_i, box) => rerouted.$(box).attr('value'))
        .get();
      assert.ok(proposed.length >= 2, `routing now proposes ${proposed.join(', ')}`);
      assert.equal((await audits('referral.review.reroute')).length, 1);
      approved = proposed.slice(0, 2);
    });

    it('asks for confirmation listing the homes, and a reason for a home with no vacancy', async () => {
      const noVacancy = homes.at(-1);
      assert.ok(noVacancy);
      const review = await page();
      const taskId = review.$('input[name="taskId"]').attr('value') ?? '';
      const fields: [string, string][] = [
        ['taskId', taskId],
        ...[...approved, noVacancy.id].map((id): [string, string] => ['homes', id]),
      ];
      const confirm = await coordinator.post(`/coordinator/referrals/${reference}/review`, fields);
      assert.equal(confirm.status, 200);
      assert.equal(confirm.$('#confirm-homes li').length, 3);
      assert.match(
        confirm.$('.govuk-warning-text').text(),
        new RegExp(`${noVacancy.name} has not declared a free bed today`),
      );
      const refused = await coordinator.post(
        `/coordinator/referrals/${reference}/review/confirm`,
        fields,
      );
      assert.equal(refused.status, 422);
      assert.deepEqual(errorSummary(refused), [
        'Enter why the pack goes to homes that have not declared a vacancy',
      ]);
      assert.equal((await packMails()).length, 0, 'nothing was sent');
      const done = await coordinator.post(`/coordinator/referrals/${reference}/review/confirm`, [
        ...fields,
        ['reason', 'The manager phoned: a bed is free tomorrow'],
      ]);
      assert.equal(done.status, 200);
      assert.match(done.html, /The homes were approved/);
      approved.push(noVacancy.id);
      const [audit] = await audits('referral.review.approve');
      assert.deepEqual(audit?.details.homesWithoutVacancy, [noVacancy.id]);
      const reasons = await app.running.db.query<{ reason: string }>(
        `SELECT reason FROM audit_events WHERE action = 'referral.review.approve'`,
      );
      assert.equal(reasons.rows[0]?.reason, 'The manager phoned: a bed is free tomorrow');
      await waitFor('the pack emails', async () =>
        (await packMails()).length === 3 ? true : undefined,
      );
    });

    it('refuses a confirmation with unknown homes as bad input, changing nothing', async () => {
      const bad = await coordinator.post(`/coordinator/referrals/${reference}/review/confirm`, [
        ['taskId', 'x'],
        ['homes', 'no-such-home'],
      ]);
      assert.equal(bad.status, 400);
    });
  });

  describe('while the homes’ answers are awaited', () => {
    it('chases a home with a reminder that holds no personal data, audited', async () => {
      const [first] = approved;
      const home = homes.find((candidate) => candidate.id === first);
      assert.ok(home);
      const review = await waitFor('the chase buttons', async () => {
        const shown = await page();
        return shown.$(`form[action$="/homes/${home.id}/chase"]`).length ? shown : undefined;
      });
      assert.ok(review);
      const before = (await mailsTo(home.email)).length;
      const chased = await coordinator.post(
        `/coordinator/referrals/${reference}/homes/${home.id}/chase`,
        {},
      );
      assert.equal(chased.status, 200);
      assert.match(chased.html, /A reminder was emailed to the home/);
      const mails = await mailsTo(home.email);
      assert.equal(mails.length, before + 1);
      const reminder = mails.at(-1);
      assert.match(reminder?.subject ?? '', /^Reminder: secure welfare referral/);
      assert.ok(!/Alex|EX-104233|2012-04-17/.test(reminder?.text ?? ''));
      assert.equal((await audits('referral.home.chase')).length, 1);
      const unknown = await coordinator.post(
        `/coordinator/referrals/${reference}/homes/no-such-home/chase`,
        {},
      );
      assert.equal(unknown.status, 404);
    });

    it('approaches more homes after a confirmation, each sent its pack once, audited', async () => {
      const more = homes.find((home) => !approved.includes(home.id));
      assert.ok(more);
      const review = await page();
      assert.equal(review.$(`form[action$="/approach"] input[value="${more.id}"]`).length, 1);
      assert.equal(
        review.$(`form[action$="/approach"] input[value="${approved[0] ?? ''}"]`).length,
        0,
        'a home approached already is not offered again',
      );
      const again = await coordinator.post(`/coordinator/referrals/${reference}/approach`, {
        homes: approved[0] ?? '',
      });
      assert.equal(again.status, 422);
      assert.deepEqual(errorSummary(again), ['Select homes from the list']);
      const confirm = await coordinator.post(`/coordinator/referrals/${reference}/approach`, {
        homes: more.id,
      });
      assert.equal(confirm.status, 200);
      assert.match(confirm.$('h1').text(), /Send the referral pack to more homes\?/);
      const done = await coordinator.post(`/coordinator/referrals/${reference}/approach/confirm`, {
        homes: more.id,
      });
      assert.equal(done.status, 200);
      assert.match(done.html, /being sent to the further homes/);
      const mails = await packMails();
      assert.equal(mails.filter((mail) => recipientsOf(mail).includes(more.email)).length, 1);
      assert.match(mails.at(-1)?.text ?? '', /\/homes\/respond\/[A-Za-z0-9_-]+/);
      const { rows } = await app.running.db.query<{
        expires: Date | string;
        deadline: Date | string;
      }>(
        `SELECT r.token_expires_at AS expires, t.fire_at AS deadline FROM workflow_home_requests r
         JOIN workflow_instances i ON i.id = r.instance_id
         JOIN workflow_timers t ON t.instance_id = i.id AND t.seq = i.current_seq AND t.action = 'expire'
         WHERE r.home_id = $1`,
        [more.id],
      );
      assert.equal(
        new Date(rows[0]?.expires ?? 0).getTime(),
        new Date(rows[0]?.deadline ?? 1).getTime(),
        'the further home answers by the waiting step’s own deadline',
      );
      assert.equal((await audits('referral.homes.approach')).length, 1);
      const twice = await coordinator.post(`/coordinator/referrals/${reference}/approach/confirm`, {
        homes: more.id,
      });
      assert.match(twice.html, /No pack was sent/);
      assert.equal(
        (await packMails()).filter((mail) => recipientsOf(mail).includes(more.email)).length,
        1,
      );
    });

    it('shows a home’s question on the referral page, in full', async () => {
      const [first] = approved;
      const home = homes.find((candidate) => candidate.id === first);
      assert.ok(home);
      await app.running.db.query(
        `UPDATE workflow_home_requests SET state = 'more-information', reason = $2, responded_at = now()
         WHERE home_id = $1`,
        [home.id, 'Please send the latest CAMHS safety plan'],
      );
      // every answer a home gives is also kept in order, and the page reads that history
      await app.running.db.query(
        `INSERT INTO workflow_home_responses (id, request_id, answer, reason, responded_at,
           responded_by, organisation_id, retain_until)
         SELECT gen_random_uuid(), id, 'more-information', reason, now(), $2, organisation_id,
           retain_until
         FROM workflow_home_requests WHERE home_id = $1`,
        [home.id, home.email],
      );
      const review = await page();
      const questions = review.$('#questions').nextAll('.govuk-inset-text').text();
      assert.match(questions, new RegExp(home.name));
      assert.match(questions, /Please send the latest CAMHS safety plan/);
    });
  });
});
