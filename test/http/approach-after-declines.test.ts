import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { ParsedMail } from 'mailparser';
import type { Database } from '../../src/store/database.js';
import { formatDayAndTime } from '../../src/workflow/workflow-timeline.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { WebClient } from '../support/web-client.js';
import { waitFor } from '../support/wait-for.js';

const referrerEmail = 'referrer.declines@example.gov.uk';
// where the example referral says the referrer's status emails go
const statusEmail = 'jordan.sample@exampleshire.example.gov.uk';

const recipientsOf = (mail: ParsedMail) =>
  [mail.to ?? []].flat().flatMap((to) => to.value.map((entry) => entry.address ?? ''));

/** The rows of a page's timeline: each step's title and what it says beside it. */
function timelineOf(page: Awaited<ReturnType<WebClient['get']>>): [string, string][] {
  return page
    .$('#timeline .govuk-summary-list__row')
    .map((_i, row): [string, string][] => [
      [
        page.$(row).find('.govuk-summary-list__key').text().trim(),
        page.$(row).find('.govuk-summary-list__value p').first().text().trim(),
      ],
    ])
    .get();
}

describe('Approaching more homes after every home declined (HTTP)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let db: Database;
  let coordinator: WebClient;
  let referrer: WebClient;
  let homes: { id: string; name: string; email: string }[];
  const homeClients = new Map<string, WebClient>();
  const asHome = async (home: { id: string; email: string }) => {
    const known = homeClients.get(home.id);
    if (known) return known;
    const client = await app.signedIn(home.email, '/homes/requests');
    homeClients.set(home.id, client);
    return client;
  };
  const instanceOf = async (reference: string) =>
    (
      await db.query<{ id: string; status: string; state: string; current_step: string }>(
        `SELECT i.id, i.status, i.state, i.current_step FROM workflow_instances i
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [reference],
      )
    ).rows[0];
  const waitForStep = (reference: string, step: string) =>
    waitFor(`${reference} to wait in ${step}`, async () => {
      const instance = await instanceOf(reference);
      return instance?.state === 'waiting' && instance.current_step === step ? instance : undefined;
    });
  const packsTo = async (reference: string, email: string) =>
    (await app.mails()).filter(
      (mail) =>
        recipientsOf(mail).includes(email) &&
        (mail.subject ?? '').startsWith(`Secure welfare referral ${reference}: please respond`),
    );
  const linkOf = (mail: ParsedMail | undefined) =>
    /\/homes\/respond\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0] ?? '';
  const coordinatorPage = (reference: string) =>
    coordinator.get(`/coordinator/referrals/${reference}`);
  const approachOffered = async (reference: string) =>
    (await coordinatorPage(reference)).$('form[action$="/approach"]').length > 0;

  /** Submits a referral and approves `approved` for it; resolves to its reference. */
  const referralSentTo = async (approved: readonly { id: string }[]) => {
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const response = await postReferral(
      app.url,
      await app.apiToken(undefined, '383'),
      form.schema.examples[0] ?? {},
    );
    const reference = ((await response.json()) as { reference: string }).reference;
    const review = await waitFor('the review', async () => {
      const page = await coordinatorPage(reference);
      return page.$('input[name="taskId"]').length > 0 ? page : undefined;
    });
    await coordinator.post(`/coordinator/referrals/${reference}/review/confirm`, [
      ['taskId', review.$('input[name="taskId"]').attr('value') ?? ''],
      ...approved.map((home): [string, string] => ['homes', home.id]),
      ['reason', 'The homes know the child from an earlier placement'],
    ]);
    return reference;
  };

  /** Each home declines through the link in its pack email. */
  const declineAll = async (reference: string, declining: typeof homes) => {
    await waitForStep(reference, 'await-responses');
    for (const home of declining) {
      const [pack] = await waitFor('the pack email', async () => {
        const packs = await packsTo(reference, home.email);
        return packs.length > 0 ? packs : undefined;
      });
      const client = await asHome(home);
      await client.get(linkOf(pack));
      const answered = await client.post(linkOf(pack), {
        answer: 'declined',
        declineReason: 'Group mix',
      });
      assert.match(answered.html, /Your answer was recorded/);
    }
    await waitForStep(reference, 'await-decision');
  };

  const home = (index: number) => {
    const found = homes[index];
    assert.ok(found);
    return found;
  };

  before(async () => {
    // a short reconcile interval: a deadline moved into the past fires soon
    app = await startTestApp({
      env: { FORMWORK_DEV: '0', WORKFLOW_RECONCILE_INTERVAL_MS: '500' },
    });
    db = app.running.db;
    homes = (
      await db.query<{ id: string; name: string; email: string }>(
        `SELECT id, name, email FROM homes ORDER BY name LIMIT 4`,
      )
    ).rows;
    await app.addUser(referrerEmail, 'social-worker', '383');
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
    referrer = await app.signedIn(referrerEmail, '/my-forms');
  });
  after(async () => {
    await app.stop();
  });

  describe('when every home approached declined', () => {
    let reference: string;

    before(async () => {
      reference = await referralSentTo([home(0), home(1)]);
      await declineAll(reference, [home(0), home(1)]);
    });

    it('offers the coordinator the homes not yet approached, saying the search starts again', async () => {
      const page = await coordinatorPage(reference);
      const offered = page
        .$('form[action$="/approach"] input[name="homes"]')
        .map((_i, box) => page.$(box).attr('value'))
        .get();
      assert.ok(offered.includes(home(2).id), offered.join(', '));
      assert.ok(!offered.includes(home(0).id), 'a home that declined is not offered again');
      assert.match(page.$('#approach-new-search').text(), /the search starts again/);
      assert.match(
        page.$('form[action$="/approach"] .govuk-checkboxes__hint').text(),
        /No vacancies declared today/,
      );
    });

    it('lists the referral on the console as needing action', async () => {
      const row = async () => {
        const console = await coordinator.get('/coordinator?action=yes');
        return console
          .$('#referrals tbody tr')
          .filter((_i, tr) => console.$(tr).find('th a').text().trim() === reference)
          .find('td[data-label="Needs action"]')
          .text();
      };
      assert.match(await row(), /No home offered a place: approach more homes/);
    });

    it('sends the further home its pack after the confirmation, and waits for it again', async () => {
      const confirm = await coordinator.post(`/coordinator/referrals/${reference}/approach`, {
        homes: home(2).id,
      });
      assert.match(confirm.$('h1').text(), /Send the referral pack to more homes\?/);
      assert.match(
        confirm.$('.govuk-warning-text').text(),
        new RegExp(`${home(2).name} has not declared a free bed today`),
      );
      const refused = await coordinator.post(
        `/coordinator/referrals/${reference}/approach/confirm`,
        { homes: home(2).id },
      );
      assert.equal(refused.status, 422, 'a home without a vacancy needs a reason');
      assert.equal((await instanceOf(reference))?.current_step, 'await-decision');
      const done = await coordinator.post(`/coordinator/referrals/${reference}/approach/confirm`, {
        homes: home(2).id,
        reason: 'The manager phoned: a bed is free tomorrow',
      });
      assert.equal(done.status, 200);
      assert.match(done.html, /being sent to the further homes/);

      const [pack] = await waitFor('the further home’s pack email', async () => {
        const packs = await packsTo(reference, home(2).email);
        return packs.length > 0 ? packs : undefined;
      });
      assert.match(linkOf(pack), /^\/homes\/respond\//);
      const instance = await waitForStep(reference, 'await-responses');
      assert.equal(instance.status, 'searching');
      for (const earlier of [home(0), home(1)])
        assert.equal((await packsTo(reference, earlier.email)).length, 1, 'no second pack');

      // the homes' timers start again for this round, and the home's link lasts until then
      const timers = await db.query<{ name: string; fire_at: Date | string }>(
        `SELECT name, fire_at FROM workflow_timers WHERE instance_id = $1 AND seq = (
           SELECT current_seq FROM workflow_instances WHERE id = $1) AND state = 'pending'`,
        [instance.id],
      );
      assert.deepEqual(timers.rows.map((timer) => timer.name).sort(), [
        'deadline',
        'escalate',
        'remind',
      ]);
      const deadline = new Date(
        timers.rows.find((timer) => timer.name === 'deadline')?.fire_at ?? 0,
      );
      assert.ok(deadline.getTime() > Date.now() + 2.9 * 86_400_000, 'three days from now');
      const request = await db.query<{ token_expires_at: Date | string }>(
        `SELECT token_expires_at FROM workflow_home_requests WHERE instance_id = $1 AND home_id = $2`,
        [instance.id, home(2).id],
      );
      const expires = new Date(request.rows[0]?.token_expires_at ?? 0).getTime();
      assert.ok(Math.abs(expires - deadline.getTime()) < 60_000, 'the link lasts to the deadline');

      const audits = await db.query<{ details: Record<string, unknown>; reason: string }>(
        `SELECT details, reason FROM audit_events WHERE action = 'referral.homes.approach'`,
      );
      const [audit] = audits.rows;
      assert.ok(audit, 'the approach is audited');
      assert.deepEqual(audit.details.homeIds, [home(2).id]);
      assert.equal(audit.reason, 'The manager phoned: a bed is free tomorrow');
    });

    it('tells the referrer the search continues, and what it waits for until when', async () => {
      const told = await waitFor('the referrer’s email', async () =>
        (await app.mails()).find(
          (mail) =>
            recipientsOf(mail).includes(statusEmail) &&
            (mail.text ?? '').includes('the referral has been sent to more homes'),
        ),
      );
      assert.match(told.subject ?? '', new RegExp(`${reference}: Searching for a home`));
      assert.doesNotMatch(told.text ?? '', /Alex|EX-104233/);

      const status = await referrer.get(`/referrals/${reference}`);
      assert.equal(status.$('#referral-status').text().trim(), 'Searching for a home');
      const instance = await instanceOf(reference);
      const deadline = await db.query<{ fire_at: Date | string }>(
        `SELECT fire_at FROM workflow_timers WHERE instance_id = $1 AND name = 'deadline'
         AND state = 'pending'`,
        [instance?.id],
      );
      const until = formatDayAndTime(new Date(deadline.rows[0]?.fire_at ?? 0));
      const timeline = timelineOf(status);
      const titles = timeline.map(([title]) => title);
      assert.ok(titles.includes('Tell the referrer the search continues with more homes'));
      assert.ok(titles.includes('Send the referral to the further homes'));
      assert.deepEqual(timeline.at(-1), [
        'Wait for the homes to answer',
        `Waiting for 1 home to answer, until ${until}`,
      ]);
      assert.equal(status.$('input[name="choice"]').length, 0, 'nothing to decide on yet');
    });

    it('lets the further home offer and the referrer take the offer up', async () => {
      const [pack] = await packsTo(reference, home(2).email);
      const path = linkOf(pack);
      const client = await asHome(home(2));
      await client.get(path);
      const offered = await client.post(path, {
        answer: 'accepted',
        'bedAvailable-day': '10',
        'bedAvailable-month': '1',
        'bedAvailable-year': '2099',
        conditions: '',
        confirm: 'yes',
      });
      assert.match(offered.html, /Your answer was recorded/);
      await waitForStep(reference, 'await-decision');
      assert.equal(await approachOffered(reference), false, 'an open offer: no more homes');
      const status = await referrer.get(`/referrals/${reference}`);
      assert.equal(status.$('#referral-status').text().trim(), 'A home has offered a place');
      const choices = status
        .$('input[name="choice"]')
        .map((_i, input) => status.$(input).attr('value'))
        .get();
      assert.deepEqual(choices, [home(2).id, 'alternative']);
      await referrer.post(`/referrals/${reference}/decision`, { choice: home(2).id });
      await waitFor('the placement', async () =>
        (await instanceOf(reference))?.status === 'placed' ? true : undefined,
      );
      const placed = await referrer.get(`/referrals/${reference}`);
      assert.equal(placed.$('#referral-status').text().trim(), 'Placed');
    });

    it('no longer offers or accepts approaching more homes once the child is placed', async () => {
      assert.equal(await approachOffered(reference), false);
      const refused = await coordinator.post(
        `/coordinator/referrals/${reference}/approach/confirm`,
        { homes: home(3).id, reason: 'Trying once more' },
      );
      assert.match(refused.html, /No pack was sent/);
      assert.equal((await packsTo(reference, home(3).email)).length, 0);
      assert.equal((await instanceOf(reference))?.status, 'placed');
    });
  });

  describe('when no home answered by the deadline, and then the referral is withdrawn', () => {
    it('offers approaching more homes, then no longer offers or accepts it', async () => {
      const reference = await referralSentTo([home(0)]);
      const waiting = await waitForStep(reference, 'await-responses');
      // the homes' deadline passes: the reconciler fires the due timer
      await db.query(
        `UPDATE workflow_timers SET fire_at = now() - interval '1 second'
         WHERE instance_id = $1 AND name = 'deadline' AND state = 'pending'`,
        [waiting.id],
      );
      await waitForStep(reference, 'await-decision');
      const request = await db.query<{ state: string }>(
        `SELECT state FROM workflow_home_requests WHERE instance_id = $1`,
        [waiting.id],
      );
      assert.equal(request.rows[0]?.state, 'timed-out');
      assert.equal(await approachOffered(reference), true, 'offered before the withdrawal');
      await referrer.get(`/referrals/${reference}/withdraw`);
      const withdrawn = await referrer.post(`/referrals/${reference}/withdraw`, {
        confirm: 'yes',
      });
      assert.match(withdrawn.html, /The referral was withdrawn/);
      assert.equal(await approachOffered(reference), false);
      const refused = await coordinator.post(
        `/coordinator/referrals/${reference}/approach/confirm`,
        { homes: home(1).id, reason: 'Trying once more' },
      );
      assert.match(refused.html, /No pack was sent/);
      assert.equal((await packsTo(reference, home(1).email)).length, 0);
      assert.equal((await instanceOf(reference))?.status, 'withdrawn');
    });
  });
});
