import type { CensusRecordSource } from './census/census-record-source.js';
import { createServer, type Server } from 'node:http';
import { Queue } from 'bullmq';
import { loadConfig, type Config } from './config/config.js';
import { formatProblems, loadForms } from './forms/load-forms.js';
import { createApp } from './http/create-app.js';
import { createMetrics } from './http/metrics.js';
import { systemClock, type Clock } from './ports/clock.js';
import { createComponentRenderer, defaultComponentsDir } from './render/components.js';
import { migrate } from './store/migrate.js';
import { openDatabase } from './store/open-database.js';
import type { Database } from './store/database.js';
import { DraftStore } from './submissions/draft-store.js';
import { SubmissionStore } from './submissions/submission-store.js';
import { createWorkflowRuntime, describeError } from './workflow/create-workflow-runtime.js';
import type { RenderEmail } from './workflow/step-type.js';
import { loadHomesDirectory } from './workflow/directory/load-directory.js';
import { createDirectoryDistance, toHomeRecords } from './workflow/directory/to-home-records.js';
import { renderEmail } from './render/email-renderer.js';
import { renderReferralPack } from './pack/render-referral-pack.js';
import { startEmbeddedRedis } from './adapters/redis/embedded-redis.js';
import { toRedisOptions } from './adapters/redis/redis-connection.js';
import { openMailer } from './adapters/mail/open-mailer.js';
import { OutboxMailer } from './adapters/mail/outbox-mailer.js';
import { openDocumentStore } from './adapters/dms/open-document-store.js';
import { FilesystemDocumentStore } from './adapters/dms/filesystem-document-store.js';
import { OutboxRelay } from './workflow/outbox-relay.js';
import { FormCatalog } from './forms/form-catalog.js';
import { stepTypes } from './workflow/step-types.js';
import { startAdminSocket } from './admin/admin-socket.js';
import { createAdminCommands } from './admin/admin-commands.js';
import { createCensusReturns } from './census/create-census-returns.js';
import { countUsersWithRole, firstAdministratorHint } from './auth/people.js';
import { seedPeople } from './workflow/directory/seed-people.js';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from './logging/create-logger.js';
import { OpenIdConnectProvider } from './adapters/identity/open-id-connect-provider.js';
import { PostgresCensusRecordSource } from './store/postgres-census-record-source.js';

/** Which parts of Formwork this process runs. */
export interface RunOptions {
  web: boolean;
  worker: boolean;
  config?: Config;
  /** The time, for tests that move it; the system clock otherwise. */
  clock?: Clock;
  /** The process's logger; one at `LOG_LEVEL` writing JSON lines to standard output otherwise. */
  logger?: Logger;
  /** Where the workforce statistics read census returns (tests; the census store when wired). */
  censusSource?: CensusRecordSource;
}

/** A running Formwork process. */
export interface Running {
  url: string;
  server: Server | undefined;
  /** The process's database (for admin commands and tests). */
  db: Database;
  stop(): Promise<void>;
}

/** How often each process reads which form and workflow versions are published. */
const definitionRefreshMs = 15_000;

/** The queue prefix is hash-tagged so every BullMQ key of ours lands in one Redis Cluster slot. */
export const queuePrefix = '{formwork}';

/** Where the running process listens for `formwork` admin commands. */
export function adminSocketPath(config: Config): string {
  return join(config.dataDir, 'formwork.sock');
}

/**
 * The composition root: config → adapters → web and workers. The only place that wires
 * concrete implementations together.
 */
export async function runFormwork(options: RunOptions): Promise<Running> {
  const config = options.config ?? loadConfig();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    const files = await loadForms(config.formsDir);
    // a refused form is not served (its pages answer 404); the others start as usual
    for (const line of formatProblems(files.problems).split('\n').filter(Boolean)) {
      logger.error({ code: 'ERR_FORM_DEFINITION_INVALID' }, `form definition refused: ${line}`);
    }
    const redisUrl =
      config.redis.kind === 'external'
        ? config.redis.url
        : await startEmbeddedRedis({ dataDir: config.redis.dataDir }).then((redis) => {
            stops.push(() => redis.stop());
            return redis.url;
          });
    const db = await openDatabase(config);
    stops.push(() => db.close());
    await migrate(db);
    // each file is a version; the published version of each form is served
    const forms = await FormCatalog.open(db, files, { clock });

    const connection = toRedisOptions(redisUrl);
    const workflowQueue = new Queue('workflow', { connection, prefix: queuePrefix });
    // The connection reconnects by itself; without a listener every retry logs a stack trace.
    let lastQueueErrorLog = 0;
    workflowQueue.on('error', (error) => {
      if (Date.now() - lastQueueErrorLog < 30_000) return;
      lastQueueErrorLog = Date.now();
      logger.warn(
        { code: 'ERR_QUEUE_UNAVAILABLE', queue: 'workflow', error: describeError(error) },
        'queue "workflow": Redis connection error, reconnecting',
      );
    });
    stops.push(() => workflowQueue.close());
    const relay = new OutboxRelay({
      db,
      clock,
      queueFor: () => workflowQueue,
      onError: (error) => {
        logger.warn(
          { code: 'ERR_QUEUE_UNAVAILABLE', queue: 'workflow', error: describeError(error) },
          'outbox relay: adding jobs to queue "workflow" failed, will retry',
        );
      },
    });
    if (options.worker) {
      relay.start();
      stops.push(() => relay.stop());
    }

    // Workers send mail and file documents, so every process has both.
    const mailer = openMailer(config);
    stops.push(() => mailer.close());
    const documents = openDocumentStore(config);
    // A document write interrupted by a crash leaves a temp file: remove it.
    if (documents instanceof FilesystemDocumentStore) await documents.removeStaleTemps();
    const directory = loadHomesDirectory();
    const workflows = await createWorkflowRuntime({
      db,
      forms,
      workflowsDir: config.workflowsDir,
      queue: workflowQueue,
      connection,
      prefix: queuePrefix,
      nudge: () => {
        if (options.worker) relay.nudge();
      },
      mailer,
      documents,
      clock,
      renderEmail: renderEmail as RenderEmail,
      renderPack: renderReferralPack,
      distanceKm: createDirectoryDistance(directory),
      homes: toHomeRecords(directory),
      publicUrl: config.publicUrl,
      coordinatorEmails: config.coordinatorEmails,
      worker: options.worker,
      lockMs: config.workflow.lockMs,
      stalledIntervalMs: config.workflow.stalledIntervalMs,
      reconcileIntervalMs: config.workflow.reconcileIntervalMs,
      linkSecret: config.keys.sessionSecret,
      log: (line) => {
        logger.warn(line);
      },
    });
    await workflows.start();
    stops.push(() => workflows.stop());
    // another process may publish a form or workflow in the editor: serve it here too, soon
    const definitionRefresh = setInterval(() => {
      Promise.all([forms.refresh(), workflows.catalog.refresh()]).catch((error: unknown) => {
        logger.warn(
          { code: 'ERR_STORE_UNAVAILABLE', error: describeError(error) },
          'reading the published form and workflow versions failed, will retry',
        );
      });
    }, definitionRefreshMs);
    definitionRefresh.unref();
    stops.push(() => {
      clearInterval(definitionRefresh);
      return Promise.resolve();
    });
    if (config.devMode) {
      const seeded = await workflows.homes.seedExampleVacancies(clock.now());
      if (seeded > 0)
        logger.info(
          `Development mode: declared example vacancies for ${String(seeded)} homes today`,
        );
    }

    await seedPeople(db, { coordinatorEmails: config.coordinatorEmails, homes: directory });
    if ((await countUsersWithRole(db, 'form-administrator')) === 0)
      logger.info(firstAdministratorHint);
    const census = createCensusReturns({ db, forms, clock });
    const admin = await startAdminSocket(
      adminSocketPath(config),
      createAdminCommands(db, { census, dataDir: config.dataDir }),
    );
    stops.push(() => admin.close());

    let server: Server | undefined;
    let url = '';
    if (options.web) {
      const app = createApp({
        db,
        forms,
        drafts: new DraftStore(db, clock),
        submissions: new SubmissionStore(db, clock),
        documents,
        mailer,
        clock,
        component: createComponentRenderer(defaultComponentsDir),
        workflowStatus: workflows.statusReader,
        metrics: createMetrics(),
        readiness: [
          { name: 'database', check: () => db.query('SELECT 1').then(() => true) },
          {
            name: 'redis',
            check: () => workflowQueue.getJobCounts().then(() => true),
          },
          { name: 'documents', check: () => documents.isReady() },
          { name: 'workers', check: workflows.readiness },
        ],
        secureCookies: config.publicUrl.startsWith('https://'),
        hsts: config.publicUrl.startsWith('https://'),
        metricsToken: config.metricsToken,
        trustProxy: config.trustProxy,
        sessions: config.sessions,
        signIn: config.signIn,
        sessionSecret: config.keys.sessionSecret,
        logger,
        uploadTempDir: join(config.dataDir, 'tmp', 'uploads'),
        censusSource: options.censusSource ?? new PostgresCensusRecordSource(db),
        onSubmitted: () => {
          if (options.worker) relay.nudge();
        },
        ...(config.devMode && mailer instanceof OutboxMailer ? { devOutbox: mailer } : {}),
        ...(config.oidc
          ? {
              oidc: {
                provider: new OpenIdConnectProvider(config.oidc),
                name: config.oidc.name,
                publicUrl: config.publicUrl,
              },
            }
          : {}),
        census,
        formAdmin: { forms, workflows: workflows.catalog, stepTypes },
        workflowPages: {
          workflows,
          queues: [workflowQueue],
          publicUrl: config.publicUrl,
        },
      });
      server = createServer(app);
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(config.port, config.host, resolve);
      });
      stops.push(
        () =>
          new Promise<void>((resolve) => {
            listening.close(() => {
              resolve();
            });
            listening.closeAllConnections();
          }),
      );
      const address = listening.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = `http://${toUrlHost(config.host)}:${port}`;
      logger.info({ url, forms: forms.list().length }, `Formwork is serving on ${url}`);
      if (config.devMode)
        logger.info(`Development mode: the outbox is at ${url}/dev/outbox (coordinators)`);
    }
    return { url, server, db, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The host part of the local URL for a listen address: all interfaces are shown as localhost. */
function toUrlHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
