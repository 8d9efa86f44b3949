import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/store/migrate.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { SubmissionStore } from '../../src/submissions/submission-store.js';
import { systemClock } from '../../src/ports/clock.js';
import {
  startWebdavTestServer,
  type WebdavTestServer,
} from '../adapters/webdav/webdav-test-server.js';
import { startFormworkProcess, type FormworkProcess } from '../support/formwork-process.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { createRandom } from '../support/random.js';
import { crashReferral, ReferralDriver } from '../support/referral-driver.js';
import { startRestartableRedis, type RestartableRedis } from '../support/restartable-redis.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const referrals = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the referral workflow under crashes and outages (PostgreSQL, worker processes)', function () {
  this.timeout(300_000);
  let postgres: TestPostgres;
  let db: PostgresDatabase;
  let redis: RestartableRedis;
  let sink: SmtpSink;
  let dav: WebdavTestServer;
  let driver: ReferralDriver;
  let env: Record<string, string>;
  const workers: FormworkProcess[] = [];
  const dataKey = randomBytes(32);
  const sinkDir = mkdtempSync(join(tmpdir(), 'formwork-sink-'));

  before(async () => {
    postgres = await startTestPostgres();
    db = await PostgresDatabase.open(postgres.url);
    await migrate(db);
    redis = await startRestartableRedis();
    sink = await startSmtpSink(join(sinkDir, 'accepted.jsonl'));
    dav = await startWebdavTestServer();
    env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      SMTP_URL: sink.url,
      SMTP_INSECURE: '1',
      DMS_URL: dav.url,
      DATA_KEY: dataKey.toString('hex'),
      SESSION_SECRET: randomBytes(32).toString('hex'),
      MAIL_FROM: 'formwork@example.gov.uk',
    };
    driver = await ReferralDriver.open({
      db,
      redisUrl: redis.url,
      smtpUrl: sink.url,
      dmsUrl: dav.url,
      dataKey,
    });
    workers.push(
      ...(await Promise.all([
        startFormworkProcess(env, { worker: true }),
        startFormworkProcess(env, { worker: true }),
      ])),
    );
  });

  after(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await driver.close();
    await db.close();
    await postgres.stop();
    await redis.remove();
    await sink.stop();
    await dav.stop();
    rmSync(sinkDir, { recursive: true, force: true });
  });

  it('completes every referral, sends each pack once and files each document once', async () => {
    const random = createRandom();
    console.log(`      chaos seed ${String(random.seed)} (replay with createRandom(seed))`);
    const submissions = new SubmissionStore(db, systemClock);
    const killOne = async () => {
      const index = Math.floor(random.next() * workers.length);
      await workers[index]?.kill();
      workers[index] = await startFormworkProcess(env, { worker: true });
    };
    const pause = () => sleep(300 + Math.floor(random.next() * 1200));
    const events: [string, () => Promise<void>][] = [
      ['kill a worker', killOne],
      [
        'restart Redis',
        async () => {
          await redis.kill();
          await sleep(1500);
          await redis.start();
        },
      ],
      ['kill a worker', killOne],
      [
        'take SMTP down',
        async () => {
          await sink.stop();
          await sleep(3000);
          await sink.start();
        },
      ],
      ['kill a worker', killOne],
      ['flush Redis', () => redis.flushAll()],
      ['kill a worker', killOne],
      [
        'take the DMS down',
        async () => {
          await dav.stop();
          await sleep(3000);
          await dav.restart();
        },
      ],
      ['kill a worker', killOne],
      ['kill a worker', killOne],
    ];
    const chaos = (async () => {
      for (const [, event] of events) {
        await pause();
        await event();
      }
    })();
    for (let index = 0; index < referrals; index += 1) {
      const { id, reference } = await submissions.submit({
        formId: 'secure-welfare-referral',
        formVersion: '1',
        referencePrefix: 'SWR',
        organisationId: 'swcu',
        data: crashReferral(index),
        retainUntil: '2087-01-15',
        actor: {
          type: 'api-token',
          id: '00000000-0000-4000-8000-000000000001',
          organisationId: 'swcu',
        },
        source: 'api',
      });
      driver.track(id, reference, index);
      if (index % 10 === 9) await sleep(200);
    }
    await driver.driveToEnd(200_000);
    await chaos;
    const { uncertain } = await driver.assertGuarantees(sink, dav.url, dataKey);
    console.log(`      ${String(uncertain)} pack email(s) left uncertain by a SIGKILL and flagged`);
    assert.equal(driver.tracked.size, referrals);
  });
});
