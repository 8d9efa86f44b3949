/* global process, console */
// Makes sure the system programs the tests run for real are installed: redis-server,
// PostgreSQL (initdb) and Chromium. Installs them with apt-get when running as root;
// otherwise stops with one line naming the command. Quiet when all are present.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pathDirs = (process.env.PATH ?? '').split(':').filter(Boolean);
const postgresDirs = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql').map((version) => `/usr/lib/postgresql/${version}/bin`)
  : [];

function found(name, extraDirs = []) {
  return [...extraDirs, ...pathDirs, '/usr/bin', '/usr/sbin'].some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const needs = [
  { packageName: 'redis-server', present: () => found('redis-server') },
  { packageName: 'postgresql', present: () => found('initdb', postgresDirs) },
  { packageName: 'chromium', present: () => found('chromium') },
];

const missing = needs.filter((need) => !need.present()).map((need) => need.packageName);
if (missing.length === 0) process.exit(0);

const command = `apt-get install -y ${missing.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !found('apt-get')) {
  console.error(
    `Missing system packages for the tests: run \`sudo apt-get update && sudo ${command}\``,
  );
  process.exit(1);
}

console.error(`Installing ${missing.join(', ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-q'],
  ['install', '-y', '-q', '--no-install-recommends', ...missing],
]) {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (result.status !== 0) {
    console.error(`apt-get ${args[0]} failed: run \`apt-get update && ${command}\` and try again`);
    process.exit(1);
  }
}
const still = needs.filter((need) => !need.present()).map((need) => need.packageName);
if (still.length > 0) {
  console.error(`Still missing after install: ${still.join(', ')}`);
  process.exit(1);
}
