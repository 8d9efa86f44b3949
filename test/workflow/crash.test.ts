import assert from 'node:assert/strict';
import { SubmissionStore } from '../../src/submissions/submission-store.js';
import { systemClock } from '../../src/ports/clock.js';
import { startFormworkProcess, type FormworkProcess } from '../support/formwork-process.js';
import { createRandom } from '../support/random.js';
import { crashReferral } from '../support/referral-driver.js';
import { startReferralCluster, type ReferralCluster } from '../support/referral-cluster.js';

const referrals = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the referral workflow under crashes and outages (PostgreSQL, worker processes)', function () {
  this.timeout(300_000);
  let cluster: ReferralCluster;
  let db: ReferralCluster['db'];
  let redis: ReferralCluster['redis'];
  let sink: ReferralCluster['sink'];
  let dav: ReferralCluster['dav'];
  let driver: ReferralCluster['driver'];
  let env: Record<string, string>;
  let dataKey: Buffer;
  const workers: FormworkProcess[] = [];

  before(async () => {
    cluster = await startReferralCluster();
    ({ db, redis, sink, dav, driver, env, dataKey } = cluster);
    workers.push(
      ...(await Promise.all([
        startFormworkProcess(env, { worker: true }),
        startFormworkProcess(env, { worker: true }),
      ])),
    );
  });

  after(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await cluster.stop();
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
