import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../errors/app-error.js';

/** Options for {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** Redis keeps its AOF files here (created when missing). */
  dataDir: string;
  /** Install Debian's redis-server when missing and running as root with apt-get (default true). */
  install?: boolean;
}

/** A running private redis-server. */
export interface EmbeddedRedis {
  url: string;
  /** Shuts the server down cleanly (AOF flushed) and waits for it to exit. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const installCommand = 'apt-get install -y redis-server';

/**
 * Starts a private `redis-server` on a free loopback port: AOF on (fsync every second), no RDB
 * snapshots, `noeviction` (queues must never lose jobs), protected mode. Resolves once it
 * answers PING.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const binary = await findOrInstallRedis(options.install ?? true);
  await mkdir(options.dataDir, { recursive: true });
  let lastError: unknown;
  // A free port can be taken between choosing and binding it, so try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await spawnRedis(binary, options.dataDir, port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function spawnRedis(binary: string, dataDir: string, port: number): Promise<EmbeddedRedis> {
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(port, child, exited);
  } catch (cause) {
    child.kill('SIGKILL');
    await exited;
    const lastLine = log.trim().split('\n').pop() ?? '';
    throw new AppError('ERR_QUEUE_UNAVAILABLE', `redis-server did not start: ${lastLine}`, {
      cause,
    });
  }
  return {
    url,
    stop: () => stopRedis(child, exited),
  };
}

async function stopRedis(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGTERM makes redis flush the AOF and exit cleanly.
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPing(
  port: number,
  child: ChildProcess,
  exited: Promise<void>,
): Promise<void> {
  const state = { dead: false };
  void exited.then(() => {
    state.dead = true;
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (state.dead)
      throw new Error(`exited with ${child.exitCode ?? child.signalCode ?? 'unknown'}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no answer to PING within 10 s');
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function findExecutable(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Try the next directory.
    }
  }
  return undefined;
}

const searchDirs = ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/bin', '/opt/homebrew/bin'];

async function findOrInstallRedis(install: boolean): Promise<string> {
  const found = findExecutable('redis-server', searchDirs);
  if (found !== undefined) return found;
  const canInstall =
    install && userInfo().uid === 0 && findExecutable('apt-get', searchDirs) !== undefined;
  if (!canInstall) {
    throw new AppError(
      'ERR_QUEUE_UNAVAILABLE',
      `redis-server is not installed: run \`${installCommand}\` (or set REDIS_URL).`,
    );
  }
  const apt = (args: string[]) =>
    run('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], { maxBuffer: 64 << 20 });
  try {
    await apt(['install', '-y', '-q', 'redis-server']);
  } catch {
    // The package lists may be missing or stale on a fresh machine.
    await apt(['update', '-q']);
    await apt(['install', '-y', '-q', 'redis-server']);
  }
  const installed = findExecutable('redis-server', searchDirs);
  if (installed === undefined) {
    throw new AppError(
      'ERR_QUEUE_UNAVAILABLE',
      `redis-server is still missing after installing: run \`${installCommand}\`.`,
    );
  }
  return installed;
}
