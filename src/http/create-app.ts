import { fileURLToPath } from 'node:url';
import express, { type Express, type Request } from 'express';
import type { Logger } from 'pino';
import type { FormRegistry } from '../forms/load-forms.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { Mailer } from '../ports/mailer.js';
import type { Database } from '../store/database.js';
import type { DraftStore } from '../submissions/draft-store.js';
import type { SubmissionStore } from '../submissions/submission-store.js';
import type { WorkflowStatusReader } from '../submissions/workflow-status.js';
import type { RenderComponent } from '../render/view-renderer.js';
import { apiAccess, createApiRouter } from './api-router.js';
import { createFormsRouter } from './forms-router.js';
import { UploadStore } from '../submissions/upload-store.js';
import { createHealthRouter, type ReadinessCheck } from './health-router.js';
import { createPageRenderer } from './page-renderer.js';
import { createAccountRouter } from './account-router.js';
import { createBodyMiddleware } from './middleware/body.js';
import { createCsrfMiddleware } from './middleware/csrf.js';
import { createUnstorableInputMiddleware } from './middleware/unstorable-input.js';
import { createMultipartMiddleware } from './middleware/multipart.js';
import { createUploadLimitLookup } from './page-uploads.js';
import { answerMaxFileBytes, referrerAnswerPath } from './referrer/referrer-conversation-router.js';
import { createSecurityHeadersMiddleware } from './middleware/security-headers.js';
import { createSessionMiddleware } from './middleware/session.js';
import { createRequestLogger } from './middleware/request-logger.js';
import { toLoggedError } from '../logging/to-logged-error.js';
import { createApiAuthMiddleware, createApiAuthRouter } from './middleware/api-auth.js';
import { createErrorHandler, notFoundHandler } from './middleware/error-handler.js';
import { createSignInLimits } from '../auth/sign-in-limits.js';
import { createSignInRouter } from './sign-in-router.js';
import { createOidcSignInRouter } from './oidc-sign-in-router.js';
import type { IdentityProvider } from '../ports/identity-provider.js';
import { declareAccess } from './route-access.js';
import { createBrowserBundleRouter } from './browser-bundle-router.js';
import type { Metrics } from './metrics.js';
import { createWorkflowRouter, type WorkflowRouterOptions } from './workflow-router.js';
import { createDevOutboxRouter, type DevOutboxSource } from './dev/dev-outbox-router.js';
import type { CensusRecordSource } from '../census/census-record-source.js';
import { createStatisticsRouter } from './statistics/statistics-router.js';
import { noCensusReturns } from './statistics/no-census-returns.js';
import type { CensusReturns } from '../census/census-returns.js';
import { createCensusRouter } from './census/census-router.js';
import { censusUploadLimitFor } from './census/census-upload-limit.js';
import { createFormAdminRoutes } from './form-admin/create-form-admin-router.js';
import {
  definitionImportBytes,
  isDefinitionImport,
  type FormAdminOptions,
} from './form-admin/form-admin-context.js';

/** Everything the web app needs, built by the composition root. */
export interface AppOptions {
  db: Database;
  forms: FormRegistry;
  drafts: DraftStore;
  submissions: SubmissionStore;
  documents: DocumentStore;
  mailer: Mailer;
  clock: Clock;
  component: RenderComponent;
  workflowStatus: WorkflowStatusReader;
  readiness: ReadinessCheck[];
  metrics: Metrics;
  secureCookies: boolean;
  sessionSecret: string;
  /** The process's logger: request lines and unexpected errors go to child loggers of it. */
  logger: Logger;
  /** Where uploads are streamed while a request is read (a directory under DATA_DIR). */
  uploadTempDir: string;
  /** Sends Strict-Transport-Security (when PUBLIC_URL is https). */
  hsts?: boolean;
  /** Bearer token `/metrics` needs; absent turns `/metrics` off. */
  metricsToken?: string | undefined;
  /** Express `trust proxy`; false (the default) uses the socket's address as the client's. */
  trustProxy?: string | false;
  /** Session lifetimes: idle (minutes) and absolute (hours). */
  sessions?: { idleMinutes: number; absoluteHours: number };
  /** Sign-in: extra open domains and the hourly mail budget for unknown browsers. */
  signIn?: { emailDomains: readonly string[]; mailsPerHour: number; sendsPerIp: number };
  /** Called after a submission commits, so its workflow start is relayed at once. */
  onSubmitted?: () => void;
  /** The workflow's pages (coordinator, homes, referrers, bull-board); absent: not mounted. */
  workflowPages?: Pick<WorkflowRouterOptions, 'workflows' | 'queues' | 'publicUrl'>;
  /** OpenID Connect sign-in beside the one-time codes, when configured. */
  oidc?: { provider: IdentityProvider; name: string; publicUrl: string };
  /** The form administrators' editor (`/admin/forms`, `/admin/workflows`); absent: not mounted. */
  formAdmin?: Pick<FormAdminOptions, 'forms' | 'workflows' | 'stepTypes'>;
  /** Development mode only: the outbox shown to coordinators at `/dev/outbox`. */
  devOutbox?: DevOutboxSource;
  /** Where the workforce statistics read counted census returns; absent: no returns yet. */
  censusSource?: CensusRecordSource | undefined;
  /** The workforce census returns (HR officers' pages); absent: not mounted. */
  census?: CensusReturns | undefined;
}

const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));
const govukDist = fileURLToPath(
  new URL('../../node_modules/govuk-frontend/dist/govuk', import.meta.url),
);
const publicDir = fileURLToPath(new URL('../../public', import.meta.url));

/** Builds the Express app: pages, the JSON API, health and metrics. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.set('etag', false);

  const onSubmitted = options.onSubmitted ?? (() => undefined);
  const pages = createPageRenderer({
    viewsDir,
    component: options.component,
    serviceName: 'Formwork',
  });

  app.use(createRequestLogger(options.logger));
  app.use(options.metrics.middleware);
  app.use(createSecurityHeadersMiddleware({ hsts: options.hsts ?? false }));
  const assets = { immutable: false, maxAge: '1h', index: false, fallthrough: true } as const;
  app.use(createBrowserBundleRouter());
  app.use('/assets', express.static(`${govukDist}/assets`, assets));
  app.use('/assets', express.static(govukDist, { ...assets, extensions: [] }));
  app.use('/assets', express.static(publicDir, assets));
  declareAccess(app, [{ method: 'GET', path: '/assets', allow: ['anyone'], mount: true }]);
  app.use(
    createHealthRouter({
      checks: options.readiness,
      metrics: options.metrics,
      metricsToken: options.metricsToken,
    }),
  );

  // API clients are authenticated before their bodies are read: on the matched route first,
  // so the request log names the endpoint that refused a token, then on any other /api path.
  app.use(createApiAuthRouter({ db: options.db }, apiAccess));
  app.use('/api', createApiAuthMiddleware({ db: options.db }));
  app.use(createBodyMiddleware());
  app.use(createUnstorableInputMiddleware());
  app.use(
    createApiRouter({
      forms: options.forms,
      submissions: options.submissions,
      workflowStatus: options.workflowStatus,
      uploads: new UploadStore(options.db, options.documents),
      db: options.db,
      uploadTempDir: options.uploadTempDir,
      onSubmitted,
    }),
  );

  app.use(
    createSessionMiddleware({
      db: options.db,
      secureCookies: options.secureCookies,
      clock: options.clock,
      onSaveError: (error) => {
        options.logger.error(
          { code: 'ERR_STORE_UNAVAILABLE', error: toLoggedError(error) },
          'session save failed',
        );
      },
      ...(options.sessions
        ? {
            idleMinutes: options.sessions.idleMinutes,
            absoluteHours: options.sessions.absoluteHours,
          }
        : {}),
    }),
  );
  // Files are read only once the session is known, checking the CSRF token before any file.
  app.use(
    createMultipartMiddleware({
      tempDir: options.uploadTempDir,
      maxFileBytesFor: withReferrerAnswers(
        (
          (formPages) => (req) =>
            censusUploadLimitFor(req) ??
            (isDefinitionImport(req) ? definitionImportBytes : formPages(req))
        )(createUploadLimitLookup(options.forms)),
      ),
    }),
  );
  app.use(createCsrfMiddleware());
  if (options.oidc) {
    app.use(
      createOidcSignInRouter({
        db: options.db,
        provider: options.oidc.provider,
        publicUrl: options.oidc.publicUrl,
        clock: options.clock,
        logger: options.logger,
        renderPage: (req, res, view, model) => {
          pages.render(req, res, view, model);
        },
      }),
    );
  }
  app.use(
    createSignInRouter({
      oidcName: options.oidc?.name,
      db: options.db,
      mailer: options.mailer,
      clock: options.clock,
      secret: options.sessionSecret,
      secureCookies: options.secureCookies,
      knownDomains: [
        ...(options.signIn?.emailDomains ?? []),
        ...options.forms.list().flatMap((form) => form.definition.allowedEmailDomains ?? []),
      ],
      limits: createSignInLimits({
        db: options.db,
        secret: options.sessionSecret,
        ...(options.signIn
          ? { mailsPerHour: options.signIn.mailsPerHour, sendsPerIp: options.signIn.sendsPerIp }
          : {}),
      }),
      renderPage: (req, res, view, model) => {
        pages.render(req, res, view, model);
      },
      allowedDomainsFor: (returnPath) => {
        const formId = /^\/forms\/([a-z0-9-]+)/.exec(returnPath)?.[1];
        return formId ? options.forms.get(formId)?.definition.allowedEmailDomains : undefined;
      },
    }),
  );
  app.use(
    createAccountRouter({
      forms: options.forms,
      drafts: options.drafts,
      submissions: options.submissions,
      pages,
      documents: options.documents,
    }),
  );
  app.use(
    createFormsRouter({
      forms: options.forms,
      drafts: options.drafts,
      submissions: options.submissions,
      documents: options.documents,
      db: options.db,
      pages,
      onSubmitted,
      reviews: options.workflowPages?.workflows.referralReviews,
    }),
  );
  app.use(
    createStatisticsRouter({
      source: options.censusSource ?? noCensusReturns,
      db: options.db,
      pages,
    }),
  );
  if (options.census) {
    app.use(
      createCensusRouter({
        db: options.db,
        returns: options.census,
        pages,
        clock: options.clock,
      }),
    );
  }
  if (options.formAdmin) {
    app.use(createFormAdminRoutes({ ...options.formAdmin, db: options.db, pages }));
  }
  if (options.devOutbox && options.workflowPages) {
    app.use(createDevOutboxRouter({ outbox: options.devOutbox, pages }));
  }
  if (options.workflowPages) {
    app.use(
      createWorkflowRouter({
        ...options.workflowPages,
        db: options.db,
        forms: options.forms,
        documents: options.documents,
        clock: options.clock,
        pages,
      }),
    );
  }
  app.use(notFoundHandler);
  app.use(
    createErrorHandler({
      renderPage: (req, res, view, model) => {
        pages.render(req, res, view, model);
      },
      logger: options.logger,
    }),
  );
  return app;
}

/** A referrer's answer to a home's question takes files too. */
function withReferrerAnswers(
  lookup: (req: Request) => number | undefined,
): (req: Request) => number | undefined {
  return (req) =>
    lookup(req) ??
    (req.method === 'POST' && referrerAnswerPath.test(req.path) ? answerMaxFileBytes : undefined);
}
