import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../../src/ports/clock.js';
import { migrate } from '../../src/store/migrate.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { SubmissionStore } from '../../src/submissions/submission-store.js';
import { startFormworkProcess, type FormworkProcess } from '../support/formwork-process.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { crashReferral, openHomes, ReferralDriver } from '../support/referral-driver.js';

interface Accepted {
  to: string;
  subject: string;
  messageId: string;
  text: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tokenIn = (text: string) => /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

describe('a pack email whose worker is killed between intent and result (PostgreSQL, worker processes, SMTP)', function () {
  this.timeout(180_000);
  let postgres: TestPostgres;
  let db: PostgresDatabase;
  let redis: TestRedis;
  let smtp: SMTPServer;
  let driver: ReferralDriver;
  let dmsDir: string;
  const workers: FormworkProcess[] = [];
  const accepted: Accepted[] = [];
  // The first pack email is held (the sink read it, never answers) until its sender is killed.
  let held: Accepted | undefined;
  let onHeld: (mail: Accepted) => void = () => undefined;

  before(async () => {
    postgres = await startTestPostgres();
    db = await PostgresDatabase.open(postgres.url);
    await migrate(db);
    redis = await startTestRedis();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
            const mail: Accepted = {
              to: to.flatMap((a) => a.value.map((v) => v.address ?? '')).join(','),
              subject: parsed.subject ?? '',
              messageId: parsed.messageId ?? '',
              text: parsed.text ?? '',
            };
            if (held === undefined && mail.subject.includes('please respond')) {
              held = mail;
              onHeld(mail);
              return; // no answer: the sender waits for the 250 that never comes
            }
            accepted.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    smtp.on('error', () => undefined);
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const address = smtp.server.address();
    const smtpUrl = `smtp://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
    dmsDir = mkdtempSync(join(tmpdir(), 'formwork-dms-'));
    const dataKey = randomBytes(32);
    const env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      SMTP_URL: smtpUrl,
      SMTP_INSECURE: '1',
      DMS_URL: pathToFileURL(dmsDir).toString(),
      DATA_KEY: dataKey.toString('hex'),
      SESSION_SECRET: randomBytes(32).toString('hex'),
      MAIL_FROM: 'formwork@example.gov.uk',
    };
    workers.push(await startFormworkProcess(env, { worker: true }));
    driver = await ReferralDriver.open({
      db,
      redisUrl: redis.url,
      smtpUrl,
      dmsUrl: 'webdav://127.0.0.1:1/unused',
      dataKey,
    });
    startSecond = () => startFormworkProcess(env, { worker: true });
  });
  let startSecond: () => Promise<FormworkProcess>;

  after(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await driver.close();
    await db.close();
    await postgres.stop();
    await redis.stop();
    await new Promise<void>((resolve) => {
      smtp.close(() => {
        resolve();
      });
    });
    rmSync(dmsDir, { recursive: true, force: true });
  });

  it('is sent again by another worker with the same Message-ID and link, within 10 seconds', async () => {
    const heldMail = new Promise<Accepted>((resolve) => {
      onHeld = resolve;
    });
    const { id, reference } = await new SubmissionStore(db, systemClock).submit({
      formId: 'secure-welfare-referral',
      formVersion: '1',
      referencePrefix: 'SWR',
      organisationId: 'swcu',
      data: crashReferral(1),
      retainUntil: '2087-01-15',
      actor: {
        type: 'api-token',
        id: '00000000-0000-4000-8000-000000000001',
        organisationId: 'swcu',
      },
      source: 'api',
    });
    for (let task = await driver.runtime.reviews.forReference(reference); ;) {
      if (task?.state === 'open') {
        assert.equal(
          await driver.runtime.reviews.approve(task.id, task.selected, { id: 'c-1' }),
          true,
        );
        break;
      }
      await sleep(200);
      task = await driver.runtime.reviews.forReference(reference);
    }
    const first = await heldMail;
    const home = openHomes.find((candidate) => first.to.startsWith(`${candidate}@`));
    assert.ok(home, `the held email went to an approved home (${first.to})`);
    // The intent is on record and the result is not: the send is uncertain.
    const intended = await db.query<{ id: string; state: string }>(
      `SELECT e.id, e.state FROM workflow_side_effects e JOIN workflow_instances i ON i.id = e.instance_id
       WHERE i.submission_id = $1 AND e.recipient = $2`,
      [id, `home:${home}`],
    );
    assert.equal(intended.rows[0]?.state, 'intended');
    workers.push(await startSecond());

    const killedAt = Date.now();
    await workers[0]?.kill();
    let again: Accepted | undefined;
    while (!again) {
      again = accepted.find((mail) => mail.to === first.to && mail.subject === first.subject);
      if (Date.now() - killedAt > 60_000) throw new Error('the uncertain send was never retried');
      await sleep(50);
    }
    const recoveryMs = Date.now() - killedAt;
    console.log(`      recovery after the kill: ${(recoveryMs / 1000).toFixed(1)} s`);

    assert.equal(
      again.messageId,
      first.messageId,
      'the same Message-ID: recognisably the same message',
    );
    assert.equal(again.messageId, `<${intended.rows[0].id}@formwork.invalid>`);
    const token = tokenIn(again.text);
    assert.ok(token);
    assert.equal(token, tokenIn(first.text), 'the duplicate, if it arrived, carries the same link');
    const request = await driver.runtime.responses.byToken(token);
    assert.equal(request?.homeId, home, 'the home gets a working link');
    assert.ok(recoveryMs < 10_000, `recovered in ${String(recoveryMs)} ms`);

    // Every approved home ends up with exactly one accepted pack email, and nothing is flagged.
    for (let i = 0; i < 200; i += 1) {
      const state = (
        await db.query<{ current_step: string }>(
          `SELECT current_step FROM workflow_instances WHERE submission_id = $1`,
          [id],
        )
      ).rows[0]?.current_step;
      if (state === 'await-responses') break;
      await sleep(100);
    }
    for (const candidate of openHomes) {
      const packs = accepted.filter(
        (mail) => mail.to === `${candidate}@homes.example.org` && mail.subject.includes(reference),
      );
      assert.equal(packs.length, 1, `${candidate}: one accepted pack email`);
    }
    const flags = await db.query(
      `SELECT 1 FROM workflow_flags f JOIN workflow_instances i ON i.id = f.instance_id WHERE i.submission_id = $1`,
      [id],
    );
    assert.equal(flags.rowCount, 0);
  });
});
