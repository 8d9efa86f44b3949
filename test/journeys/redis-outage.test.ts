import assert from 'node:assert/strict';
import { startRestartableRedis, type RestartableRedis } from '../support/restartable-redis.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const readiness = async (app: TestApp) => {
  const response = await fetch(`${app.url}/readyz`);
  return {
    status: response.status,
    body: (await response.json()) as { checks: Record<string, string> },
  };
};

describe('When Redis goes away and comes back', function () {
  this.timeout(90_000);
  let redis: RestartableRedis;
  let app: TestApp;

  before(async () => {
    redis = await startRestartableRedis();
    app = await startTestApp({ env: { REDIS_URL: redis.url } });
  });
  after(async () => {
    await app.stop();
    await redis.remove();
  });

  it('keeps serving, says it is not ready, and is ready again once Redis is back', async () => {
    assert.equal((await readiness(app)).status, 200);
    await redis.kill();
    // The process must ride out the outage: still up, just not ready.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const down = await readiness(app);
    assert.equal(down.status, 503);
    assert.equal(down.body.checks.redis, 'failing');
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
    await redis.start();
    let up = down;
    for (let attempt = 0; attempt < 50 && up.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      up = await readiness(app);
    }
    assert.equal(up.status, 200);
  });
});
