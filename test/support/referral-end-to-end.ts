import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { FilesystemDocumentStore } from '../../src/adapters/dms/filesystem-document-store.js';
import { SmtpMailer } from '../../src/adapters/mail/smtp-mailer.js';
import { toRedisOptions } from '../../src/adapters/redis/redis-connection.js';
import { loadForms } from '../../src/forms/load-forms.js';
import { renderReferralPack } from '../../src/pack/render-referral-pack.js';
import { renderEmail } from '../../src/render/email-renderer.js';
import type { Database } from '../../src/store/database.js';
import { SubmissionStore } from '../../src/submissions/submission-store.js';
import {
  createWorkflowRuntime,
  type WorkflowRuntime,
} from '../../src/workflow/create-workflow-runtime.js';
import type { HomeRecord } from '../../src/workflow/homes-store.js';
import { OutboxRelay } from '../../src/workflow/outbox-relay.js';
import type { RenderEmail } from '../../src/workflow/step-type.js';
import { startTestRedis, type TestRedis } from './redis.js';
import type { DatabaseFactory } from './databases.js';
import { addUser } from '../../src/auth/people.js';

const prefix = '{formwork-test}';
const day = 86_400_000;

function home(id: string, region: string, sexes: string[]): HomeRecord {
  return {
    id,
    name: id.replace(/-/g, ' '),
    operator: 'Example Council',
    region,
    email: `referrals@${id}.example.org`,
    beds: 10,
    ageMin: 10,
    ageMax: 17,
    sexes,
    needsMet: ['selfHarm', 'absconding'],
    postcodeDistrict: null,
  };
}

const homes = [
  home('north-home', 'North East', ['female', 'male']),
  home('south-home', 'South East', ['female', 'male']),
  home('boys-home', 'North East', ['male']),
];

function referral(email: string) {
  const none = { level: 'none' };
  return {
    referrer: { officerName: 'Sam Example', email, localAuthority: 'Example Council' },
    child: {
      firstName: 'Alex',
      lastName: 'Example',
      dateOfBirth: '2012-01-15',
      sex: 'female',
      postcodeDistrict: 'NE1',
    },
    risks: {
      selfHarm: { level: 'high', description: 'Fictitious', lastIncidentDate: '2026-01-01' },
      absconding: none,
    },
    placement: { preferredRegion: 'any' },
  };
}

/**
 * The secure welfare referral, end to end on `factory`'s database with real Redis, SMTP (read
 * back with mailparser) and the filesystem DMS: routing, review, exactly-once email, answers,
 * placement, filing, refused and interrupted sends, timers on an injected clock, FLUSHALL.
 */
export function describeReferralEndToEnd(factory: DatabaseFactory): void {
  describe(`the secure welfare referral workflow, end to end (${factory.name}, Redis, SMTP, DMS)`, function () {
    this.timeout(60_000);
    let redis: TestRedis;
    let db: Database;
    let queue: Queue;
    let relay: OutboxRelay;
    let runtime: WorkflowRuntime;
    let smtp: SMTPServer;
    let smtpDown = false;
    const received: ParsedMail[] = [];
    let dmsDir: string;
    let documents: FilesystemDocumentStore;
    let now = new Date('2026-03-02T09:00:00Z');
    const clock = { now: () => now };
    let submissions: SubmissionStore;

    const waitFor = async <T>(
      what: string,
      check: () => Promise<T | undefined | false>,
    ): Promise<T> => {
      for (let i = 0; i < 400; i += 1) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const instanceOf = async (submissionId: string) =>
      (
        await db.query<{ id: string; state: string; status: string; current_step: string }>(
          `SELECT id, state, status, current_step FROM workflow_instances WHERE submission_id = $1`,
          [submissionId],
        )
      ).rows[0];
    const atStep = (submissionId: string, step: string, state = 'waiting') =>
      waitFor(`${step} ${state}`, async () => {
        const instance = await instanceOf(submissionId);
        return instance?.current_step === step && instance.state === state ? instance : undefined;
      });
    const mailsTo = (address: string) =>
      received.filter((mail) => mail.to && JSON.stringify(mail.to).includes(address));

    const startRuntime = async () => {
      const connection = toRedisOptions(redis.url);
      runtime = await createWorkflowRuntime({
        db,
        forms: await loadForms('forms'),
        workflowsDir: 'workflows',
        queue,
        connection,
        prefix,
        nudge: () => {
          relay.nudge();
        },
        mailer: new SmtpMailer({
          url: `smtp://127.0.0.1:${smtpPort}`,
          from: 'formwork@example.gov.uk',
          insecure: true,
        }),
        documents,
        clock,
        renderEmail: renderEmail as unknown as RenderEmail,
        renderPack: renderReferralPack,
        distanceKm: () => undefined,
        homes,
        publicUrl: 'http://localhost:3000',
        coordinatorEmails: ['coordinator@example.gov.uk'],
        linkSecret: 'test-link-secret-0123456789abcdef0123',
        worker: true,
        reconcileIntervalMs: 3_600_000,
      });
      await runtime.start();
    };
    let smtpPort = 0;

    before(async () => {
      redis = await startTestRedis();
      db = await factory.open();
      queue = new Queue('workflow', { connection: toRedisOptions(redis.url), prefix });
      relay = new OutboxRelay({ db, queueFor: () => queue, clock, intervalMs: 200 });
      relay.start();
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, _session, callback) {
          if (smtpDown) {
            stream.resume();
            stream.on('end', () => {
              callback(Object.assign(new Error('try later'), { responseCode: 451 }));
            });
            return;
          }
          simpleParser(stream)
            .then((mail) => {
              received.push(mail);
              callback();
            })
            .catch(callback);
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const address = smtp.server.address();
      smtpPort = typeof address === 'object' && address !== null ? address.port : 0;
      dmsDir = await mkdtemp(join(tmpdir(), 'formwork-dms-'));
      documents = new FilesystemDocumentStore({ dir: dmsDir, key: randomBytes(32) });
      submissions = new SubmissionStore(db, clock);
      await startRuntime();
      for (const { id } of homes) await runtime.homes.declare(id, '2026-03-02', 2, now, null);
    });

    after(async () => {
      await runtime.stop();
      await relay.stop();
      await queue.close();
      await new Promise<void>((resolve) => {
        smtp.close(() => {
          resolve();
        });
      });
      await db.close();
      await redis.stop();
      await rm(dmsDir, { recursive: true, force: true });
    });

    /** A referral submitted and relayed, waiting at the coordinator's review, with its task. */
    const submitForReview = async (email: string) => {
      const { id, reference } = await submit(email);
      relay.nudge();
      await atStep(id, 'review');
      const task = await runtime.reviews.forReference(reference);
      assert.ok(task);
      return { id, reference, task };
    };

    const submit = (email: string) =>
      submissions.submit({
        formId: 'secure-welfare-referral',
        formVersion: '1',
        referencePrefix: 'SWR',
        organisationId: 'swcu',
        data: referral(email),
        retainUntil: '2087-01-15',
        actor: {
          type: 'api-token',
          id: '00000000-0000-4000-8000-000000000001',
          organisationId: 'swcu',
        },
        source: 'api',
      });

    it('routes, waits for review, emails each approved home once, collects answers and places the child', async () => {
      const { id, reference, task } = await submitForReview('sam@example.gov.uk');
      assert.deepEqual([...task.selected].sort(), ['north-home', 'south-home']);
      const boys = task.proposed.find((decision) => decision.homeId === 'boys-home');
      assert.deepEqual(boys?.reasons, ['does not take female children']);
      assert.ok(
        received.every((mail) => !JSON.stringify(mail.to).includes('.example.org')),
        'nothing goes to a home before approval',
      );
      const acknowledgement = await waitFor('the acknowledgement', () =>
        Promise.resolve(mailsTo('sam@example.gov.uk')[0]),
      );
      assert.equal(acknowledgement.subject, `Secure welfare referral ${reference} received`);
      assert.doesNotMatch(acknowledgement.text ?? '', /Alex|2012|NE1|Example Council/);
      assert.match(acknowledgement.text ?? '', new RegExp(`/referrals/${reference}`));

      // The coordinator removes one home and approves; approving twice changes nothing.
      assert.equal(
        await runtime.reviews.approve(task.id, ['north-home'], { id: 'coordinator-1' }),
        true,
      );
      assert.equal(
        await runtime.reviews.approve(task.id, ['south-home'], { id: 'coordinator-1' }),
        false,
      );

      await atStep(id, 'await-responses');
      const packMail = mailsTo('referrals@north-home.example.org');
      assert.equal(packMail.length, 1);
      assert.equal(mailsTo('referrals@south-home.example.org').length, 0);
      assert.match(packMail[0]?.subject ?? '', new RegExp(reference));
      assert.doesNotMatch(packMail[0]?.text ?? '', /Alex|Example Council/);
      const token = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(packMail[0]?.text ?? '')?.[1];
      assert.ok(token, 'the email links to the response page');
      const request = await runtime.responses.byToken(token);
      assert.equal(request?.homeId, 'north-home');

      // A home the referral was not sent to cannot answer for it.
      const stranger = await runtime.responses.respond({
        requestId: request.id,
        homeEmail: 'referrals@boys-home.example.org',
        answer: 'accepted',
      });
      assert.deepEqual(stranger, { ok: false, problem: 'not-found' });
      const answer = await runtime.responses.respond({
        requestId: request.id,
        homeEmail: request.homeEmail,
        answer: 'accepted',
      });
      assert.deepEqual(answer, { ok: true });
      const again = await runtime.responses.respond({
        requestId: request.id,
        homeEmail: request.homeEmail,
        answer: 'declined',
        reason: 'No vacancy',
      });
      assert.equal(again.ok, false);

      const waiting = await atStep(id, 'await-decision');
      assert.equal(waiting.status, 'offered');
      assert.equal(
        await runtime.decisions.decide(
          waiting.id,
          { choice: 'placed', homeId: 'south-home' },
          { id: 'sw-1' },
        ),
        false,
      );
      assert.equal(
        await runtime.decisions.decide(
          waiting.id,
          { choice: 'placed', homeId: 'north-home' },
          { id: 'sw-1' },
        ),
        true,
      );

      const done = await waitFor('completion', async () => {
        const instance = await instanceOf(id);
        return instance?.state === 'completed' ? instance : undefined;
      });
      assert.equal(done.status, 'placed');
      const vacancies = await runtime.homes.vacancies('2026-03-02');
      assert.equal(vacancies.get('north-home'), 1);
      const north = mailsTo('referrals@north-home.example.org');
      assert.equal(
        north.filter((mail) => mail.subject?.includes('please respond')).length,
        1,
        'one pack email per home per referral',
      );
      assert.deepEqual(
        north
          .filter((mail) => !mail.subject?.includes('please respond'))
          .map((mail) => mail.subject),
        [`Secure welfare referral ${reference}: your offer has been taken up`],
        'the chosen home is told, once',
      );
      const filed = await documents.get(`secure-welfare-referrals/${reference}/submission.json`);
      assert.equal(filed?.metadata.documentType, 'submission');
      assert.equal(filed.metadata.classification, 'OFFICIAL-SENSITIVE');
      assert.ok(await documents.get(`secure-welfare-referrals/${reference}/referral-pack.pdf`));
      const status = await runtime.statusReader.read(id);
      assert.equal(status.state, 'completed');
      assert.ok(
        status.steps.some((step) => step.id === 'record-placement' && step.state === 'completed'),
      );
    });

    it('retries a refused email until SMTP is back, sending it exactly once', async () => {
      received.length = 0;
      const { id, reference } = await submit('kim@example.gov.uk');
      relay.nudge();
      await atStep(id, 'review');
      smtpDown = true;
      const task = await runtime.reviews.forReference(reference);
      assert.ok(task);
      await runtime.reviews.approve(task.id, ['south-home'], { id: 'coordinator-1' });
      await waitFor('a refused attempt', async () => {
        const { rows } = await db.query<{ attempt: number }>(
          `SELECT attempt FROM workflow_step_runs r JOIN workflow_instances i ON i.id = r.instance_id
         WHERE i.submission_id = $1 AND r.step_id = 'email-homes'`,
          [id],
        );
        return (rows[0]?.attempt ?? 0) > 1;
      });
      smtpDown = false;
      await atStep(id, 'await-responses');
      assert.equal(mailsTo('referrals@south-home.example.org').length, 1);
    });

    it('sends again, with the same Message-ID and a working link, a pack email whose send was interrupted', async () => {
      const { id, reference } = await submit('lee@example.gov.uk');
      relay.nudge();
      const instance = await atStep(id, 'review');
      const task = await runtime.reviews.forReference(reference);
      assert.ok(task);
      // A previous attempt recorded its intent and died before the result.
      const effect = (
        await db.query<{ id: string }>(
          `INSERT INTO workflow_side_effects (id, instance_id, effect_key, kind, recipient, state, attempts, organisation_id, retain_until)
           VALUES (gen_random_uuid(), $1, $2, 'email', 'home:north-home', 'intended', 1, 'swcu', '2087-01-15')
           RETURNING id`,
          [instance.id, `${instance.id}/${String(task.seq + 3)}/home-north-home`],
        )
      ).rows[0];
      assert.ok(effect);
      received.length = 0;
      await runtime.reviews.approve(task.id, ['north-home', 'south-home'], { id: 'coordinator-1' });
      await atStep(id, 'await-responses');
      const north = mailsTo('referrals@north-home.example.org');
      assert.equal(north.length, 1);
      assert.equal(north[0]?.messageId, `<${effect.id}@formwork.invalid>`);
      const token = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(north[0].text ?? '')?.[1] ?? '';
      assert.ok(token);
      assert.equal((await runtime.responses.byToken(token))?.homeId, 'north-home');
      assert.equal(mailsTo('referrals@south-home.example.org').length, 1);
      const flags = await db.query(`SELECT kind FROM workflow_flags WHERE instance_id = $1`, [
        instance.id,
      ]);
      assert.equal(flags.rowCount, 0, 'nothing to flag: the email holds no personal data');
    });

    it('flags, and does not send again, an interrupted email that may hold personal data', async () => {
      const { id } = await submit('max@example.gov.uk');
      relay.nudge();
      const instance = await atStep(id, 'review');
      const owner = {
        instanceId: instance.id,
        submissionId: id,
        organisationId: 'swcu',
        retainUntil: '2087-01-15',
      };
      await db.query(
        `INSERT INTO workflow_side_effects (id, instance_id, effect_key, kind, recipient, state, attempts, organisation_id, retain_until)
         VALUES (gen_random_uuid(), $1, $2, 'email', 'referrer', 'intended', 1, 'swcu', '2087-01-15')`,
        [instance.id, `${instance.id}/personal`],
      );
      received.length = 0;
      const outcome = await runtime.engine.services.effects.emailOnce({
        owner,
        key: `${instance.id}/personal`,
        recipient: 'referrer',
        prepare: () =>
          Promise.resolve({ to: 'max@example.gov.uk', subject: 'Pack attached', text: 'Attached' }),
        retryUncertain: false,
        audit: {},
      });
      assert.equal(outcome, 'uncertain');
      assert.equal(mailsTo('max@example.gov.uk').length, 0);
      const flags = await db.query<{ kind: string }>(
        `SELECT kind FROM workflow_flags WHERE instance_id = $1`,
        [instance.id],
      );
      assert.deepEqual(
        flags.rows.map((row) => row.kind),
        ['email-uncertain'],
      );
    });

    it('moves on at once when the local authority takes up an offer while other homes have not answered', async () => {
      const { id, task } = await submitForReview('noor@example.gov.uk');
      await runtime.reviews.approve(task.id, ['north-home', 'south-home'], { id: 'coordinator-1' });
      const waiting = await atStep(id, 'await-responses');
      const timeline = await runtime.timeline(id);
      const wait = timeline.find((entry) => entry.state === 'waiting');
      assert.match(
        wait?.waiting ?? '',
        /^Waiting for 2 homes to answer, until \d{1,2} March \d\d:\d\d$/,
      );
      assert.ok(
        timeline.every((entry) => !/^[a-z-]+$/.test(entry.title)),
        'titles, not step ids',
      );
      const mail = mailsTo('referrals@north-home.example.org').at(-1);
      const token = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
      const request = await runtime.responses.byToken(token ?? '');
      assert.ok(request);
      // The email gives the workflow's real deadline (3 days), and the link works until then.
      assert.equal(request.expiresAt?.getTime(), now.getTime() + 3 * day);
      assert.match(mail?.text ?? '', /Please respond by 9:00am on 5 March 2026\./);
      assert.match(mail?.text ?? '', /reminder/);
      await runtime.responses.respond({
        requestId: request.id,
        homeEmail: request.homeEmail,
        answer: 'accepted',
      });
      await waitFor('the offered status', async () => (await instanceOf(id))?.status === 'offered');
      assert.equal(
        (await instanceOf(id))?.current_step,
        'await-responses',
        'south home may still answer',
      );
      assert.equal(
        await runtime.decisions.decide(
          waiting.id,
          { choice: 'placed', homeId: 'north-home' },
          { id: 'sw-1' },
        ),
        true,
      );
      const started = Date.now();
      const done = await waitFor('completion', async () => {
        const instance = await instanceOf(id);
        return instance?.state === 'completed' ? instance : undefined;
      });
      assert.equal(done.status, 'placed');
      assert.ok(Date.now() - started < 10_000, 'no wait for the deadline');
    });

    it('resends a pack email on request with the same link and a new Message-ID, only while the home may answer', async () => {
      const { id, reference, task } = await submitForReview('ola@example.gov.uk');
      await runtime.reviews.approve(task.id, ['north-home'], { id: 'coordinator-1' });
      await atStep(id, 'await-responses');
      const about = () =>
        mailsTo('referrals@north-home.example.org').filter((mail) =>
          (mail.subject ?? '').includes(reference),
        );
      const [first] = about();
      assert.ok(first);
      const resent = await runtime.packEmails.resend({
        reference,
        homeId: 'north-home',
        coordinator: { id: 'coordinator-1' },
      });
      assert.equal(resent.ok, true);
      const copies = about();
      assert.equal(copies.length, 2);
      assert.notEqual(copies[1]?.messageId, first.messageId);
      const tokenOf = (text: string | undefined) =>
        /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(text ?? '')?.[1];
      assert.equal(tokenOf(copies[1]?.text), tokenOf(first.text), 'the same working link');
      assert.deepEqual(
        await runtime.packEmails.resend({
          reference,
          homeId: 'south-home',
          coordinator: { id: 'c' },
        }),
        { ok: false, problem: 'not-found' },
      );
      const request = await runtime.responses.byToken(tokenOf(first.text) ?? '');
      assert.ok(request);
      await runtime.responses.respond({
        requestId: request.id,
        homeEmail: request.homeEmail,
        answer: 'declined',
        reason: 'No vacancy',
      });
      assert.deepEqual(
        await runtime.packEmails.resend({
          reference,
          homeId: 'north-home',
          coordinator: { id: 'c' },
        }),
        { ok: false, problem: 'closed' },
      );
    });

    it('reminds, escalates and ends the wait at the deadline as the clock moves, and ignores a late answer', async () => {
      const { id, reference, task } = await submitForReview('jo@example.gov.uk');
      await runtime.reviews.approve(task.id, ['north-home'], { id: 'coordinator-1' });
      await atStep(id, 'await-responses');
      const token = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(
        mailsTo('referrals@north-home.example.org').at(-1)?.text ?? '',
      )?.[1];
      received.length = 0;
      const about = (mails: ParsedMail[]) =>
        mails.filter((mail) => (mail.text ?? '').includes(reference));
      const start = now;
      try {
        now = new Date(start.getTime() + day - 60_000);
        await runtime.engine.fireDueTimers();
        assert.equal(about(received).length, 0, 'nothing fires early');
        now = new Date(start.getTime() + day + 60_000);
        await runtime.engine.fireDueTimers();
        assert.equal(
          about(mailsTo('referrals@north-home.example.org')).length,
          1,
          'the home is reminded',
        );
        // Coordinators are users with the role in the database, read when the alert is sent.
        await db.query(
          `INSERT INTO organisations (id, kind, name) VALUES ('swcu', 'coordination-unit', 'Unit')
           ON CONFLICT DO NOTHING`,
        );
        await addUser(db, {
          email: 'on.duty@example.gov.uk',
          role: 'coordinator',
          grantedBy: 'seed',
        });
        now = new Date(start.getTime() + 2 * day + 60_000);
        await runtime.engine.fireDueTimers();
        assert.equal(
          about(mailsTo('on.duty@example.gov.uk')).length,
          1,
          'the coordinator in the database is told',
        );
        assert.equal(
          about(mailsTo('coordinator@example.gov.uk')).length,
          0,
          'the fallback address is not',
        );
        now = new Date(start.getTime() + 3 * day + 60_000);
        await runtime.engine.fireDueTimers();
        await runtime.engine.fireDueTimers();
        assert.equal(
          about(mailsTo('referrals@north-home.example.org')).length,
          1,
          'each timer fires once',
        );
        const request = await runtime.responses.byToken(token ?? '');
        assert.equal(request?.state, 'timed-out');
        const late = await runtime.responses.respond({
          requestId: request.id,
          homeEmail: request.homeEmail,
          answer: 'accepted',
        });
        assert.equal(late.ok, false);
        await atStep(id, 'await-decision');
        assert.equal((await instanceOf(id))?.status, 'searching');
      } finally {
        now = start;
      }
    });

    it('recovers from a Redis FLUSHALL: the reconciler puts back the unfinished work', async () => {
      const { id, task } = await submitForReview('ash@example.gov.uk');
      await runtime.stop();
      await relay.stop();
      await runtime.reviews.approve(task.id, ['south-home'], { id: 'coordinator-1' });
      await relay.relayPending();
      const client = new Redis(toRedisOptions(redis.url));
      await client.flushall();
      await client.quit();
      received.length = 0;
      relay.start();
      await startRuntime();
      const report = await runtime.reconciler.reconcile();
      assert.ok(report.requeued >= 1);
      await atStep(id, 'await-responses');
      assert.equal(mailsTo('referrals@south-home.example.org').length, 1);
    });
  });
}
