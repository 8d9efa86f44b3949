import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/** A Formwork child process. */
export interface FormworkProcess {
  child: ChildProcess;
  /** The web URL (empty for a worker-only process). */
  url: string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGKILL: no shutdown, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * Forks `worker-entry.ts` with `env` on top of a minimal environment (each process gets its own
 * DATA_DIR, so admin sockets never clash) and waits until it reports ready.
 */
export async function startFormworkProcess(
  env: Record<string, string>,
  parts: { web?: boolean; worker?: boolean },
): Promise<FormworkProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'formwork-proc-'));
  const child = fork(entry, [parts.web ? '--web' : '', parts.worker ? '--worker' : ''], {
    execArgv: ['--import', 'tsx'],
    env: { DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`formwork process did not start: ${stderr}`));
    }, 30_000);
    child.once('message', (message: { url?: string }) => {
      clearTimeout(timer);
      resolve(message.url ?? '');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`formwork process exited with ${String(code)}: ${stderr}`));
    });
  });
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { child, url, exited, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
