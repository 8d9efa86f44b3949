import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/store/migrate.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import {
  startWebdavTestServer,
  type WebdavTestServer,
} from '../adapters/webdav/webdav-test-server.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';
import { ReferralDriver } from './referral-driver.js';
import { startRestartableRedis, type RestartableRedis } from './restartable-redis.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

/**
 * Everything shared that Formwork processes run against, for the multi-process tests: a real
 * PostgreSQL, a Redis that can be restarted, an SMTP sink that keeps what it accepted, a WebDAV
 * DMS, the environment a process needs to use them, and a driver that plays the people.
 */
export interface ReferralCluster {
  postgres: TestPostgres;
  db: PostgresDatabase;
  redis: RestartableRedis;
  sink: SmtpSink;
  dav: WebdavTestServer;
  driver: ReferralDriver;
  env: Record<string, string>;
  /** The documents' encryption key, as the processes have it. */
  dataKey: Buffer;
  stop(): Promise<void>;
}

/** Starts the shared parts (processes are the caller's). */
export async function startReferralCluster(): Promise<ReferralCluster> {
  const dataKey = randomBytes(32);
  const sinkDir = mkdtempSync(join(tmpdir(), 'formwork-sink-'));
  const postgres = await startTestPostgres();
  const db = await PostgresDatabase.open(postgres.url);
  await migrate(db);
  const redis = await startRestartableRedis();
  const sink = await startSmtpSink(join(sinkDir, 'accepted.jsonl'));
  const dav = await startWebdavTestServer();
  const env = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    SMTP_URL: sink.url,
    SMTP_INSECURE: '1',
    DMS_URL: dav.url,
    DATA_KEY: dataKey.toString('hex'),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    MAIL_FROM: 'formwork@example.gov.uk',
  };
  const driver = await ReferralDriver.open({
    db,
    redisUrl: redis.url,
    smtpUrl: sink.url,
    dmsUrl: dav.url,
    dataKey,
  });
  return {
    postgres,
    db,
    redis,
    sink,
    dav,
    driver,
    env,
    dataKey,
    async stop() {
      await driver.close();
      await db.close();
      await postgres.stop();
      await redis.remove();
      await sink.stop();
      await dav.stop();
      rmSync(sinkDir, { recursive: true, force: true });
    },
  };
}
