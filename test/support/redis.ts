import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedRedis } from '../../src/adapters/redis/embedded-redis.js';

/** A fresh redis-server for one test suite. */
export interface TestRedis {
  url: string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/** Starts a private redis-server with its data in a temp dir. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'formwork-redis-'));
  const redis = await startEmbeddedRedis({ dataDir: dir });
  return {
    url: redis.url,
    stop: async () => {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
