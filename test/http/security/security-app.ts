import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { AppError } from '../../../src/errors/app-error.js';
import { createPageRenderer } from '../../../src/http/page-renderer.js';
import { createApiAuthMiddleware } from '../../../src/http/middleware/api-auth.js';
import { createBodyMiddleware, type BodyOptions } from '../../../src/http/middleware/body.js';
import { createCsrfMiddleware } from '../../../src/http/middleware/csrf.js';
import {
  createMultipartMiddleware,
  type MultipartOptions,
} from '../../../src/http/middleware/multipart.js';
import {
  createErrorHandler,
  notFoundHandler,
  type RenderPage,
} from '../../../src/http/middleware/error-handler.js';
import { createRequestLogger } from '../../../src/http/middleware/request-logger.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import type { LogLevel } from '../../../src/config/config.js';
import { createSecurityHeadersMiddleware } from '../../../src/http/middleware/security-headers.js';
import { createSessionMiddleware } from '../../../src/http/middleware/session.js';
import { createSignInRouter } from '../../../src/http/sign-in-router.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { MailMessage, Mailer } from '../../../src/ports/mailer.js';
import { renderComponent } from '../../../src/render/components.js';
import type { Database } from '../../../src/store/database.js';
import { migrate } from '../../../src/store/migrate.js';
import { PgliteDatabase } from '../../../src/store/pglite-database.js';

/** A Mailer fake (a port of ours) that keeps what it was asked to send. */
export class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  send(message: MailMessage): Promise<{ messageId: string }> {
    this.sent.push(message);
    return Promise.resolve({ messageId: `<${this.sent.length}@example.org>` });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  /** The 6-digit code in the newest message. */
  lastCode(): string {
    const code = /\b(\d{6})\b/.exec(this.sent.at(-1)?.text ?? '')?.[1];
    if (!code) throw new Error('no code mailed');
    return code;
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-03-02T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Opens a fresh, migrated in-memory PGlite. */
export async function openTestDatabase(): Promise<Database> {
  const db = await PgliteDatabase.open('memory://');
  await migrate(db);
  return db;
}

/** Empties the tables the security layer writes, so one database serves a whole test file. */
export async function clearSecurityTables(db: Database): Promise<void> {
  await db.query(
    'TRUNCATE sessions, sign_in_codes, sign_in_limits, api_tokens, audit_events, users RESTART IDENTITY CASCADE',
  );
}

/** Options for {@link startSecurityApp}. */
export interface SecurityAppOptions {
  db: Database;
  clock?: ManualClock;
  body?: BodyOptions;
  /** Mounts the multipart middleware (after the session, before CSRF) with these options. */
  multipart?: MultipartOptions;
  allowedDomains?: string[];
  secureCookies?: boolean;
  logLevel?: LogLevel;
  /** A session's absolute lifetime. Default 24 hours. */
  absoluteHours?: number;
  /** Domains anyone may sign in from outside a form. Default example.gov.uk. */
  knownDomains?: string[];
}

/** A running app with the security layer mounted over a few dummy routes. */
export interface SecurityApp {
  baseUrl: string;
  mailer: RecordingMailer;
  clock: ManualClock;
  /** What the dummy state-changing routes did, in order. */
  changes: string[];
  /** Every log line, parsed. */
  logged: Record<string, unknown>[];
  close(): Promise<void>;
}

const viewsDir = fileURLToPath(new URL('../../../views', import.meta.url));

/** Builds the app the way create-app mounts the security layer, and listens on a free port. */
export async function startSecurityApp(options: SecurityAppOptions): Promise<SecurityApp> {
  const clock = options.clock ?? new ManualClock();
  const mailer = new RecordingMailer();
  const changes: string[] = [];
  const logged: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: options.logLevel ?? 'info',
    destination: {
      write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>),
    },
  });
  const pages = createPageRenderer({
    viewsDir,
    component: renderComponent,
    serviceName: 'Formwork',
  });
  const renderPage: RenderPage = (req, res, view, model) => {
    pages.render(req, res, view, model);
  };
  const { db } = options;

  const app = express();
  app.disable('x-powered-by');
  app.use(createRequestLogger(logger));
  // Tests play clients at several addresses with X-Forwarded-For, as a proxy in front would.
  app.set('trust proxy', 'loopback');
  app.use(createSecurityHeadersMiddleware());
  app.get('/assets/app.css', (_req, res) => {
    res.type('css').send('body{}');
  });
  app.use(createBodyMiddleware(options.body));
  // Before the CSRF check, so a test can post an answer that a failure quotes.
  app.post('/forms/:formId/:draftId/boom', (req) => {
    const name = req.formBody?.get('name')?.[0] ?? '';
    throw new TypeError(`Cannot store ${name}, jo.bloggs@example.org, AB1 2CD, 07700 900123`);
  });
  app.use('/api', createApiAuthMiddleware({ db }));
  app.post('/api/v1/echo', (req, res) => {
    changes.push('api-echo');
    res.status(201).json({ body: req.body as unknown, token: req.apiToken });
  });
  app.use(
    createSessionMiddleware({
      db,
      secureCookies: options.secureCookies ?? false,
      ttlHours: 8,
      absoluteHours: options.absoluteHours ?? 24,
      clock,
    }),
  );
  if (options.multipart) app.use(createMultipartMiddleware(options.multipart));
  app.use(createCsrfMiddleware());
  app.use(
    createSignInRouter({
      db,
      mailer,
      clock,
      secret: 'test-secret-not-for-production',
      knownDomains: options.knownDomains ?? ['example.gov.uk'],
      renderPage,
      allowedDomainsFor: (returnPath) =>
        returnPath.startsWith('/forms/') ? options.allowedDomains : undefined,
    }),
  );
  app.get('/public', (_req, res) => {
    res.type('text').send('public page');
  });
  app.get('/sign-out-page', (req, res) => {
    renderPage(req, res, 'sign-out', { title: 'Sign out' });
  });
  app.post('/change', (req, res) => {
    changes.push(`change:${req.formBody?.get('value')?.[0] ?? ''}`);
    res.type('text').send('changed');
  });
  app.post('/upload', (req, res) => {
    changes.push('upload');
    res.json({
      fields: Object.fromEntries(req.formBody ?? []),
      uploads: (req.uploads ?? []).map((u) => ({
        field: u.field,
        filename: u.filename,
        size: u.sizeBytes,
        tooLarge: u.tooLarge,
        path: u.path,
      })),
    });
  });
  app.get('/whoami', (req, res) => {
    if (!req.session?.user) throw new AppError('ERR_AUTH_REQUIRED', 'not signed in');
    res.type('text').send(req.session.user.email);
  });
  app.get('/remember', (req, res) => {
    if (req.session) req.session.data.colour = 'green';
    res.type('text').send('remembered');
  });
  app.get('/recall', (req, res) => {
    const colour = req.session?.data.colour;
    res.type('text').send(typeof colour === 'string' ? colour : 'nothing');
  });
  app.get('/boom', () => {
    throw new Error('Failed for jo.bloggs@example.org at 1 Fictional Road');
  });
  app.get('/api/v1/boom', () => {
    throw new Error('Failed for jo.bloggs@example.org');
  });
  app.use(notFoundHandler);
  app.use(createErrorHandler({ renderPage, logger }));

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => {
      resolve(s);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    mailer,
    clock,
    changes,
    logged,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

/** A cookie-keeping client that does not follow redirects, so tests can see them. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** The client address this browser appears to come from (sent as X-Forwarded-For). */
  forwardedFor: string | undefined;
  constructor(
    public baseUrl: string,
    forwardedFor?: string,
  ) {
    this.forwardedFor = forwardedFor;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Fetches a page and returns the `_csrf` value of its form. */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path}`);
    return token;
  }

  async send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.forwardedFor) headers.set('x-forwarded-for', this.forwardedFor);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Signs in through the real pages: email, mailed code, code. */
  async signIn(app: SecurityApp, email: string, returnPath = '/'): Promise<Response> {
    const csrf = await this.csrfFrom(`/sign-in?return=${encodeURIComponent(returnPath)}`);
    await this.post('/sign-in', { _csrf: csrf, email });
    return this.post('/sign-in/code', { _csrf: csrf, code: app.mailer.lastCode() });
  }
}
