import type { CensusRecordSource } from '../../src/census/census-record-source.js';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { runFormwork, type Running } from '../../src/main.js';
import { freePort } from './postgres.js';
import { callAdminSocket } from '../../src/admin/admin-socket.js';
import { WebClient } from './web-client.js';
import { giveFormRoles } from './give-form-roles.js';

/** A Formwork instance booted for a test, on its own data directory and port. */
export interface TestApp {
  url: string;
  dataDir: string;
  running: Running;
  /** A browser session, not signed in. */
  client(): WebClient;
  /**
   * A browser session signed in as `email`, through the real one-time-code journey. A person
   * with no role yet is first given the roles that fill in the shipped forms
   * ({@link giveFormRoles}).
   */
  signedIn(email: string, returnPath?: string): Promise<WebClient>;
  /** A new API token for every form, made through the running process as the CLI does. */
  apiToken(formIds?: string[], organisation?: string): Promise<string>;
  /** Adds a user with a role through the running process, as `formwork user add` does. */
  addUser(email: string, role: string, organisation?: string): Promise<void>;
  /** Takes a role away through the running process, as `formwork user remove` does. */
  removeRole(email: string, role: string, organisation?: string): Promise<void>;
  /** Every email sent so far, oldest first, parsed. */
  mails(): Promise<ParsedMail[]>;
  stop(): Promise<void>;
}

/** Options for {@link startTestApp}. */
export interface TestAppOptions {
  formsDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Receives the message of each of the process's log lines (default: nothing is logged). */
  log?: (line: string) => void;
  /** Receives each of the process's log lines, parsed (default: nothing is logged). */
  logRecords?: (record: Record<string, unknown>) => void;
  /** Where the workforce statistics read census returns. */
  censusSource?: CensusRecordSource;
}

/** Boots the real app (web and workers) with embedded defaults in a temporary directory. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'formwork-test-'));
  const configFor = (port: number) =>
    loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      FORMS_DIR: options.formsDir ?? 'forms',
      LOG_LEVEL: 'silent',
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      // Every test client comes from 127.0.0.1: one office behind one address, in effect.
      SIGN_IN_CODES_PER_IP: '100000',
      ...options.env,
    });
  // a test that reads the log gets each line's message; otherwise nothing is logged
  const logLines = options.log;
  const logRecords = options.logRecords;
  const logger =
    logLines || logRecords
      ? createLogger({
          level: 'info',
          destination: {
            write: (line: string) => {
              const record = JSON.parse(line) as Record<string, unknown> & { msg: string };
              logLines?.(record.msg);
              logRecords?.(record);
            },
          },
        })
      : undefined;
  // The port is chosen before the app listens on it, so another process can take it between;
  // the app's links (PUBLIC_URL) need the port up front, so a taken port means another try.
  const boot = async (triesLeft: number): Promise<{ running: Running; port: number }> => {
    const port = await freePort();
    try {
      const running = await runFormwork({
        web: true,
        worker: true,
        config: configFor(port),
        ...(logger ? { logger } : {}),
        ...(options.censusSource ? { censusSource: options.censusSource } : {}),
      });
      return { running, port };
    } catch (error) {
      if (triesLeft > 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        return boot(triesLeft - 1);
      }
      throw error;
    }
  };
  const { running, port } = await boot(3);
  const url = `http://localhost:${port}`;

  const mails = async () => {
    const dir = join(dataDir, 'outbox');
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((file) => file.endsWith('.eml'))
      .sort();
    return Promise.all(files.map(async (file) => simpleParser(await readFile(join(dir, file)))));
  };

  return {
    url,
    dataDir,
    running,
    client: () => new WebClient(url),
    mails,
    async signedIn(email, returnPath = '/my-forms') {
      await giveFormRoles(running.db, email);
      const client = new WebClient(url);
      await client.get(`/sign-in?return=${encodeURIComponent(returnPath)}`);
      const seen = new Set((await mails()).map((mail) => mail.messageId));
      await client.post(`/sign-in?return=${encodeURIComponent(returnPath)}`, { email });
      // the workers may be writing other mail meanwhile: the code is in the new one to `email`
      const codeOf = async () =>
        (await mails())
          .filter((mail) => !seen.has(mail.messageId))
          .filter((mail) => addressesOf(mail).includes(email.toLowerCase()))
          .map((mail) => /\b(\d{6})\b/.exec(mail.text ?? '')?.[1])
          .find((found) => found !== undefined);
      let code = await codeOf();
      for (let tries = 0; code === undefined && tries < 20; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        code = await codeOf();
      }
      if (!code) throw new Error('no sign-in code was emailed');
      const page = await client.post('/sign-in/code', { code });
      if (page.status !== 200) throw new Error(`sign-in failed with ${page.status}`);
      return client;
    },
    async apiToken(formIds, organisation) {
      const reply = await callAdminSocket(join(dataDir, 'formwork.sock'), {
        command: 'token.create',
        args: {
          name: 'test',
          ...(formIds ? { formIds } : {}),
          ...(organisation ? { organisation } : {}),
        },
      });
      const token = (reply?.result as { token?: string } | undefined)?.token;
      if (!token) throw new Error(`no token: ${reply?.error ?? 'no reply'}`);
      return token;
    },
    async addUser(email, role, organisation) {
      const reply = await callAdminSocket(join(dataDir, 'formwork.sock'), {
        command: 'user.add',
        args: { email, role, ...(organisation ? { organisation } : {}) },
      });
      if (!reply || reply.error) throw new Error(`user add failed: ${reply?.error ?? 'no reply'}`);
    },
    async removeRole(email, role, organisation) {
      const reply = await callAdminSocket(join(dataDir, 'formwork.sock'), {
        command: 'user.remove',
        args: { email, role, ...(organisation ? { organisation } : {}) },
      });
      if (!reply || reply.error)
        throw new Error(`user remove failed: ${reply?.error ?? 'no reply'}`);
    },
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The lower-cased addresses a message was sent to. */
function addressesOf(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : [mail.to].flat();
  return to.flatMap((field) => field.value.map((entry) => (entry.address ?? '').toLowerCase()));
}
