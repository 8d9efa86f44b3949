import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startEmbeddedRedis } from '../../src/adapters/redis/embedded-redis.js';
import { startTestRedis } from '../support/redis.js';

describe('startEmbeddedRedis', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'formwork-redis-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on loopback with AOF on and noeviction', async () => {
    const redis = await startEmbeddedRedis({ dataDir: join(dir, 'redis') });
    const client = new Redis(redis.url, { lazyConnect: true });
    try {
      assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
      await client.connect();
      assert.equal(await client.ping(), 'PONG');
      assert.deepEqual(await client.config('GET', 'appendonly'), ['appendonly', 'yes']);
      assert.deepEqual(await client.config('GET', 'appendfsync'), ['appendfsync', 'everysec']);
      assert.deepEqual(await client.config('GET', 'maxmemory-policy'), [
        'maxmemory-policy',
        'noeviction',
      ]);
      assert.deepEqual(await client.config('GET', 'save'), ['save', '']);
      assert.deepEqual(await client.config('GET', 'bind'), ['bind', '127.0.0.1']);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it('keeps data across a clean stop and restart', async () => {
    const dataDir = join(dir, 'redis');
    const first = await startEmbeddedRedis({ dataDir });
    const writer = new Redis(first.url);
    await writer.set('formwork:probe', 'kept');
    writer.disconnect();
    await first.stop();
    assert.ok(
      (await readdir(dataDir, { recursive: true })).some((name) => name.includes('appendonly')),
    );

    const second = await startEmbeddedRedis({ dataDir });
    const reader = new Redis(second.url);
    try {
      assert.equal(await reader.get('formwork:probe'), 'kept');
    } finally {
      reader.disconnect();
      await second.stop();
    }
  });

  it('stops the process so the port no longer answers', async () => {
    const redis = await startTestRedis();
    await redis.stop();
    const client = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    await assert.rejects(client.connect());
    client.disconnect();
  });

  it('runs two servers side by side on different ports', async () => {
    const a = await startTestRedis();
    const b = await startTestRedis();
    try {
      assert.notEqual(a.url, b.url);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
