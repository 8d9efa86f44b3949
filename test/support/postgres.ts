import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A fresh, empty PostgreSQL database for one test suite. */
export interface TestPostgres {
  url: string;
  /** Drops the database. */
  stop(): Promise<void>;
}

interface Cluster {
  /** URL of the maintenance database, used to create and drop test databases. */
  adminUrl: string;
}

let cluster: Promise<Cluster> | undefined;

/**
 * Creates a fresh database. Uses `TEST_DATABASE_URL` when set; otherwise starts one throwaway
 * cluster per test process (in a temp dir, on a free loopback port, as the `postgres` user when
 * run as root) and removes it when the process exits.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const { adminUrl } = await (cluster ??= startCluster());
  const name = `formwork_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: () =>
      withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ),
  };
}

async function withClient(
  url: string,
  run: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

async function startCluster(): Promise<Cluster> {
  // Test-only override (like PGHOST for psql), so it is read here rather than in src/config.
  const external = process.env.TEST_DATABASE_URL;
  if (external !== undefined && external !== '') return { adminUrl: external };

  const bin = findPostgresBin();
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'formwork-pg-'));
  const dataDir = join(dir, 'data');
  const run = (command: string, args: string[]): void => {
    const file = join(bin, command);
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', file, ...args], { encoding: 'utf8' })
      : spawnSync(file, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        `${command} failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
      );
    }
  };
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  process.once('exit', () => {
    // Synchronous because 'exit' handlers cannot wait; immediate mode skips the checkpoint.
    const stop = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...stop]);
    else spawnSync(join(bin, 'pg_ctl'), stop);
    rmSync(dir, { recursive: true, force: true });
  });
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

function findPostgresBin(): string {
  // PATH is searched after the Debian layout, which is not on PATH by default.
  const path = (process.env.PATH ?? '').split(':');
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  for (const dir of [...debian, ...path]) {
    try {
      accessSync(join(dir, 'initdb'), constants.X_OK);
      accessSync(join(dir, 'pg_ctl'), constants.X_OK);
      return dir;
    } catch {
      // Not here; try the next one.
    }
  }
  throw new Error(
    'PostgreSQL binaries (initdb, pg_ctl) not found: run `apt-get install postgresql` or set TEST_DATABASE_URL.',
  );
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
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
