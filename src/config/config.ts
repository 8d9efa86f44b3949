import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { AppError } from '../errors/app-error.js';

/** Log levels accepted by `LOG_LEVEL`. */
export type LogLevel = 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Where the system of record lives. */
export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** Which Redis the queues use. */
export type RedisConfig =
  | { readonly kind: 'embedded'; readonly dataDir: string }
  | { readonly kind: 'external'; readonly url: string };

/** How mail leaves the service. */
export type MailConfig =
  | { readonly kind: 'outbox'; readonly dir: string; readonly from: string }
  | {
      readonly kind: 'smtp';
      readonly url: string;
      readonly insecure: boolean;
      readonly from: string;
    };

/** Where documents are filed. */
export type DmsConfig =
  | { readonly kind: 'filesystem'; readonly dir: string }
  | { readonly kind: 'webdav'; readonly url: string };

/** The validated, deep-frozen configuration. Built once by {@link loadConfig}. */
export interface Config {
  readonly port: number;
  /** The listen address (`HOST`); undefined listens on every interface. */
  readonly host: string | undefined;
  /** Bearer token `/metrics` needs (`METRICS_TOKEN`); undefined turns `/metrics` off. */
  readonly metricsToken: string | undefined;
  /** Express `trust proxy` (`TRUST_PROXY`): who may set X-Forwarded-For. False by default. */
  readonly trustProxy: string | false;
  readonly sessions: {
    /** Idle lifetime in minutes (`SESSION_IDLE_MINUTES`). */
    readonly idleMinutes: number;
    /** Absolute lifetime in hours (`SESSION_ABSOLUTE_HOURS`). */
    readonly absoluteHours: number;
  };
  readonly signIn: {
    /** Domains anyone may ask a code for, besides the forms' own (`SIGN_IN_EMAIL_DOMAINS`). */
    readonly emailDomains: readonly string[];
    /** Codes mailed per hour to browsers the service does not know (`SIGN_IN_MAILS_PER_HOUR`). */
    readonly mailsPerHour: number;
    /** Code sends per client address in 15 minutes (`SIGN_IN_CODES_PER_IP`). */
    readonly sendsPerIp: number;
  };
  /** Absolute paths. */
  readonly dataDir: string;
  readonly formsDir: string;
  readonly workflowsDir: string;
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly mail: MailConfig;
  readonly dms: DmsConfig;
  /** Base URL used in emailed links, without a trailing slash. */
  readonly publicUrl: string;
  readonly logLevel: LogLevel;
  /** Seed data: each address is made a coordinator at start (lower-cased). */
  readonly coordinatorEmails: readonly string[];
  /** OpenID Connect sign-in, when `OIDC_ISSUER`, `OIDC_CLIENT_ID` and `OIDC_CLIENT_SECRET` are set. */
  readonly oidc: OidcConfig | undefined;
  readonly keys: {
    /** Signs session cookies. At least 32 characters. */
    readonly sessionSecret: string;
    /** 32-byte AES-256 key for data at rest, base64. Decode with `Buffer.from(k, 'base64')`. */
    readonly dataKey: string;
  };
  /** How fast the workflow recovers work a crash or a Redis flush left behind. */
  readonly workflow: WorkflowTuning;
  /**
   * Development mode: example vacancies are seeded at start-up and `/dev/outbox` shows the
   * outbox to coordinators. On with `FORMWORK_DEV=1`, or when the database and mail are the
   * embedded defaults (no DATABASE_URL, no SMTP_URL) and NODE_ENV is not `production`.
   */
  readonly devMode: boolean;
}

/** An OpenID Connect provider people may sign in with, beside one-time codes. */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `$PUBLIC_URL/sign-in/oidc/callback`: register it with the provider. */
  readonly redirectUrl: string;
  /** The button's words: "Sign in with …" (`OIDC_NAME`, default "your organisation's account"). */
  readonly name: string;
}

/** BullMQ and reconciler timings (milliseconds). */
export interface WorkflowTuning {
  /** A job's lock: a killed worker's job is taken over this long after its last renewal. */
  readonly lockMs: number;
  /** How often workers look for jobs whose lock expired (stalled jobs). */
  readonly stalledIntervalMs: number;
  /** How often the reconciler compares the database with Redis (after a flush or restart). */
  readonly reconcileIntervalMs: number;
}

const logLevels: LogLevel[] = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'];

// `description` is the one-line expectation quoted in the error; values are never echoed (secrets).
const envSchema = {
  type: 'object',
  properties: {
    PORT: {
      type: 'string',
      pattern:
        '^(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$',
      description: 'a whole number from 1 to 65535',
    },
    HOST: {
      type: 'string',
      pattern: '^[A-Za-z0-9.:\\[\\]-]{1,253}$',
      description: 'a host name or IP address to listen on, like 127.0.0.1 or ::',
    },
    METRICS_TOKEN: { type: 'string', minLength: 32, description: 'at least 32 characters' },
    TRUST_PROXY: {
      type: 'string',
      pattern: '^[A-Za-z0-9.:/,\\s-]{1,500}$',
      description: 'an Express trust proxy value: loopback, a hop count, or addresses/CIDRs',
    },
    SESSION_IDLE_MINUTES: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,4}$',
      description: 'a whole number of minutes from 1 to 99999',
    },
    SESSION_ABSOLUTE_HOURS: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,3}$',
      description: 'a whole number of hours from 1 to 9999',
    },
    SIGN_IN_EMAIL_DOMAINS: {
      type: 'string',
      pattern: '^[a-z0-9.-]+\\.[a-z]{2,}(?:,[a-z0-9.-]+\\.[a-z]{2,})*$',
      description: 'a comma-separated list of lower-case email domains, like example.gov.uk',
    },
    SIGN_IN_CODES_PER_IP: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,5}$',
      description: 'a whole number from 1 to 999999',
    },
    SIGN_IN_MAILS_PER_HOUR: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,5}$',
      description: 'a whole number from 1 to 999999',
    },
    DATA_DIR: { type: 'string', minLength: 1, description: 'a directory path' },
    FORMS_DIR: { type: 'string', minLength: 1, description: 'a directory path' },
    WORKFLOWS_DIR: { type: 'string', minLength: 1, description: 'a directory path' },
    DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(?:ql)?://\\S+$',
      description: 'a postgres:// or postgresql:// URL',
    },
    REDIS_URL: {
      type: 'string',
      pattern: '^rediss?://\\S+$',
      description: 'a redis:// or rediss:// URL',
    },
    SMTP_URL: {
      type: 'string',
      pattern: '^smtps?://\\S+$',
      description: 'an smtp:// or smtps:// URL',
    },
    SMTP_INSECURE: { type: 'string', enum: ['0', '1'], description: '1 or 0' },
    MAIL_FROM: {
      type: 'string',
      pattern: '^(?:[^<>\\r\\n]*<[^<>\\s@]+@[^<>\\s@]+>|[^<>\\s@]+@[^<>\\s@]+)$',
      description: 'an address like "Name <someone@example.org>" or someone@example.org',
    },
    DMS_URL: {
      type: 'string',
      pattern: '^(?:file:///\\S*|webdavs?://\\S+)$',
      description: 'a file:///path, webdav:// or webdavs:// URL',
    },
    PUBLIC_URL: {
      type: 'string',
      pattern: '^https?://\\S+$',
      description: 'an http:// or https:// URL',
    },
    SESSION_SECRET: { type: 'string', minLength: 32, description: 'at least 32 characters' },
    DATA_KEY: {
      type: 'string',
      pattern: '^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$',
      description: '32 bytes as 64 hex digits or 44 base64 characters',
    },
    LOG_LEVEL: { type: 'string', enum: logLevels, description: logLevels.join(', ') },
    WORKFLOW_LOCK_MS: {
      type: 'string',
      pattern: '^[1-9][0-9]{3,6}$',
      description: 'a whole number of milliseconds from 1000 to 9999999',
    },
    WORKFLOW_STALLED_INTERVAL_MS: {
      type: 'string',
      pattern: '^[1-9][0-9]{2,6}$',
      description: 'a whole number of milliseconds from 100 to 9999999',
    },
    WORKFLOW_RECONCILE_INTERVAL_MS: {
      type: 'string',
      pattern: '^[1-9][0-9]{2,7}$',
      description: 'a whole number of milliseconds from 100 to 99999999',
    },
    FORMWORK_DEV: { type: 'string', enum: ['0', '1'], description: '1 or 0' },
    NODE_ENV: { type: 'string', minLength: 1, description: 'a word such as production' },
    OIDC_ISSUER: {
      type: 'string',
      pattern:
        '^(?:https://\\S+|http://(?:localhost|127\\.0\\.0\\.1|\\[::1\\])(?::\\d+)?(?:/\\S*)?)$',
      description: 'an https:// URL (http:// only for localhost)',
    },
    OIDC_CLIENT_ID: {
      type: 'string',
      pattern: '^[\\x21-\\x7e]{1,255}$',
      description: 'the client id the provider gave, without spaces',
    },
    OIDC_CLIENT_SECRET: { type: 'string', minLength: 16, description: 'at least 16 characters' },
    OIDC_NAME: {
      type: 'string',
      pattern: '^[^<>\\r\\n]{1,60}$',
      description: 'up to 60 characters of plain text, like "your council account"',
    },
    COORDINATOR_EMAILS: {
      type: 'string',
      pattern: '^[^\\s,@]+@[^\\s,@]+(?:,[^\\s,@]+@[^\\s,@]+)*$',
      description: 'a comma-separated list of email addresses',
    },
  },
} as const;

type EnvName = keyof typeof envSchema.properties;
type RawEnv = Partial<Record<EnvName, string>>;

const ajv = new Ajv({ allErrors: false, strict: true });
const validateEnv = ajv.compile<RawEnv>(envSchema);

/**
 * Reads, validates and freezes the configuration. The only place that reads the environment.
 * Empty variables count as unset. Generates SESSION_SECRET and DATA_KEY on first use and keeps
 * them in `$DATA_DIR/keys/` (mode 0600) so they survive restarts.
 * @throws AppError `ERR_CONFIG_INVALID` naming the variable and what is expected.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: RawEnv = {};
  for (const name of Object.keys(envSchema.properties) as EnvName[]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!validateEnv(raw)) throw toConfigError(validateEnv.errors?.[0]);

  const port = Number(raw.PORT ?? '3000');
  const dataDir = resolve(raw.DATA_DIR ?? './data');
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  checkUrl('PUBLIC_URL', publicUrl);
  const from = raw.MAIL_FROM ?? 'Formwork <no-reply@formwork.example.org>';

  const database: DatabaseConfig =
    raw.DATABASE_URL === undefined
      ? { kind: 'pglite', dataDir: join(dataDir, 'db') }
      : { kind: 'postgres', url: checkUrl('DATABASE_URL', raw.DATABASE_URL) };
  const redis: RedisConfig =
    raw.REDIS_URL === undefined
      ? { kind: 'embedded', dataDir: join(dataDir, 'redis') }
      : { kind: 'external', url: checkUrl('REDIS_URL', raw.REDIS_URL) };
  const mail: MailConfig =
    raw.SMTP_URL === undefined
      ? { kind: 'outbox', dir: join(dataDir, 'outbox'), from }
      : {
          kind: 'smtp',
          url: checkUrl('SMTP_URL', raw.SMTP_URL),
          insecure: raw.SMTP_INSECURE === '1',
          from,
        };
  let dms: DmsConfig;
  if (raw.DMS_URL === undefined) dms = { kind: 'filesystem', dir: join(dataDir, 'dms') };
  else if (raw.DMS_URL.startsWith('file:')) {
    dms = { kind: 'filesystem', dir: fileURLToPath(checkUrl('DMS_URL', raw.DMS_URL)) };
  } else dms = { kind: 'webdav', url: checkUrl('DMS_URL', raw.DMS_URL) };

  const keysDir = join(dataDir, 'keys');
  const sessionSecret =
    raw.SESSION_SECRET ??
    loadOrCreateKey(keysDir, 'session-secret', () => randomBytes(32).toString('base64url'));
  const dataKey =
    raw.DATA_KEY === undefined
      ? loadOrCreateKey(keysDir, 'data-key', () => randomBytes(32).toString('base64'))
      : Buffer.from(raw.DATA_KEY, raw.DATA_KEY.length === 64 ? 'hex' : 'base64').toString('base64');

  const idleMinutes = Number(raw.SESSION_IDLE_MINUTES ?? '60');
  const absoluteHours = Number(raw.SESSION_ABSOLUTE_HOURS ?? '12');
  if (idleMinutes > absoluteHours * 60) {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      'Configuration: SESSION_IDLE_MINUTES must not be longer than SESSION_ABSOLUTE_HOURS.',
      { details: { variable: 'SESSION_IDLE_MINUTES' } },
    );
  }

  return deepFreeze({
    oidc: toOidcConfig(raw, publicUrl),
    port,
    host: raw.HOST,
    metricsToken: raw.METRICS_TOKEN,
    trustProxy: raw.TRUST_PROXY ?? false,
    sessions: { idleMinutes, absoluteHours },
    signIn: {
      emailDomains: raw.SIGN_IN_EMAIL_DOMAINS?.split(',') ?? [],
      mailsPerHour: Number(raw.SIGN_IN_MAILS_PER_HOUR ?? '200'),
      sendsPerIp: Number(raw.SIGN_IN_CODES_PER_IP ?? '20'),
    },
    dataDir,
    formsDir: resolve(raw.FORMS_DIR ?? './forms'),
    workflowsDir: resolve(raw.WORKFLOWS_DIR ?? './workflows'),
    database,
    redis,
    mail,
    dms,
    publicUrl,
    logLevel: (raw.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    coordinatorEmails: (raw.COORDINATOR_EMAILS ?? 'coordinator@example.gov.uk')
      .toLowerCase()
      .split(','),
    keys: { sessionSecret, dataKey },
    workflow: {
      lockMs: Number(raw.WORKFLOW_LOCK_MS ?? '5000'),
      stalledIntervalMs: Number(raw.WORKFLOW_STALLED_INTERVAL_MS ?? '2000'),
      reconcileIntervalMs: Number(raw.WORKFLOW_RECONCILE_INTERVAL_MS ?? '5000'),
    },
    devMode:
      raw.FORMWORK_DEV === undefined
        ? raw.NODE_ENV !== 'production' && database.kind === 'pglite' && mail.kind === 'outbox'
        : raw.FORMWORK_DEV === '1',
  });
}

function toOidcConfig(raw: RawEnv, publicUrl: string): OidcConfig | undefined {
  const names = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const missing = names.filter((name) => raw[name] === undefined);
  if (missing.length === names.length) return undefined;
  const [first] = missing;
  if (first !== undefined) {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      `Configuration: ${first} must be set too: OpenID Connect needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.`,
      { details: { variable: first } },
    );
  }
  return {
    issuer: checkUrl('OIDC_ISSUER', raw.OIDC_ISSUER ?? ''),
    clientId: raw.OIDC_CLIENT_ID ?? '',
    clientSecret: raw.OIDC_CLIENT_SECRET ?? '',
    redirectUrl: `${publicUrl}/sign-in/oidc/callback`,
    name: raw.OIDC_NAME ?? "your organisation's account",
  };
}

function toConfigError(error: ErrorObject | undefined): AppError {
  const name = error?.instancePath.slice(1) ?? '';
  const property = (envSchema.properties as Record<string, { description: string } | undefined>)[
    name
  ];
  const expected = property?.description ?? error?.message ?? 'a valid value';
  return new AppError('ERR_CONFIG_INVALID', `Configuration: ${name} must be ${expected}.`, {
    details: { variable: name },
  });
}

function checkUrl(name: EnvName, value: string): string {
  try {
    new URL(value);
  } catch {
    const expected = envSchema.properties[name].description;
    throw new AppError('ERR_CONFIG_INVALID', `Configuration: ${name} must be ${expected}.`, {
      details: { variable: name },
    });
  }
  return value;
}

function loadOrCreateKey(dir: string, name: string, create: () => string): string {
  const file = join(dir, name);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing !== '') return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw keyFileError(file, error);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const value = create();
    // `wx` so two processes starting together cannot overwrite each other's key.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return readFileSync(file, 'utf8').trim();
    throw keyFileError(file, error);
  }
}

function keyFileError(file: string, cause: unknown): AppError {
  return new AppError(
    'ERR_CONFIG_INVALID',
    `Configuration: cannot read or create key file ${file}.`,
    {
      cause,
    },
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
