import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './postgres.js';

/** A redis-server that can be killed and started again on the same port and data dir. */
export interface RestartableRedis {
  url: string;
  /** Kills the server (SIGKILL: whatever the AOF has not synced is lost). */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same data dir. */
  start(): Promise<void>;
  /** FLUSHALL: every job, lock and delayed job gone. */
  flushAll(): Promise<void>;
  /** Stops the server and removes its data. */
  remove(): Promise<void>;
}

/** Starts redis-server (AOF on, noeviction) on a free loopback port with its data in a temp dir. */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'formwork-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${String(port)}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const command = async (...args: string[]): Promise<unknown> => {
    const client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(args[0] ?? 'PING', ...args.slice(1));
    } finally {
      client.disconnect();
    }
  };
  const start = async (): Promise<void> => {
    const spawned = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    child = spawned;
    exited = new Promise((resolve) => {
      spawned.once('exit', () => {
        resolve();
      });
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await command('PING')) === 'PONG') return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = async (): Promise<void> => {
    child?.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    start,
    flushAll: async () => {
      await command('FLUSHALL');
    },
    remove: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
