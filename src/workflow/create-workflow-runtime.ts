import type { ConnectionOptions, Queue } from 'bullmq';
import type { FormRegistry } from '../forms/load-forms.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { Mailer } from '../ports/mailer.js';
import type { Database } from '../store/database.js';
import type { WorkflowStatusReader } from '../submissions/workflow-status.js';
import { HomeResponses } from './home-responses.js';
import { HomesStore, type HomeRecord } from './homes-store.js';
import { loadWorkflows } from './load-workflows.js';
import { ReferralDecisions } from './referral-decisions.js';
import { ReferralConversation } from './referral-conversation.js';
import { ReviewTasks } from './review-tasks.js';
import { SideEffects } from './side-effects.js';
import type { DistanceKm, RenderEmail, RenderPack } from './step-type.js';
import { stepTypes } from './step-types.js';
import { WorkflowCatalog } from './workflow-catalog.js';
import { WorkflowEngine } from './workflow-engine.js';
import { createWorkflowReadiness } from './workflow-readiness.js';
import { WorkflowReconciler } from './workflow-reconciler.js';
import { createWorkflowStatusReader } from './workflow-status-reader.js';
import { WorkflowWorker } from './workflow-worker.js';
import { createTimelineReader, type TimelineReader } from './workflow-timeline.js';
import { PackEmailResender } from './pack-email-resender.js';
import { HomeFollowUps } from './home-follow-ups.js';
import { ReferralReviews } from './referral-reviews.js';
import { DraftStore } from '../submissions/draft-store.js';

/** What the composition root gives the workflow runtime. */
export interface WorkflowRuntimeDeps {
  db: Database;
  forms: FormRegistry;
  workflowsDir: string;
  /** The `workflow` queue (prefix `{formwork}`) the outbox relay adds jobs to. */
  queue: Queue;
  connection: ConnectionOptions;
  prefix: string;
  /** Asks the outbox relay to run now (`relay.nudge()`); a no-op in web-only processes. */
  nudge: () => void;
  mailer: Mailer;
  documents: DocumentStore;
  clock: Clock;
  renderEmail: RenderEmail;
  renderPack: RenderPack;
  distanceKm: DistanceKm;
  /** The homes directory seed, written to the database at start (idempotent). */
  homes: readonly HomeRecord[];
  publicUrl: string;
  /** Who is told about escalations while no user holds the coordinator role (tests, a bare database). */
  coordinatorEmails: readonly string[];
  /** Derives the homes' link tokens (the session secret): every process must have the same. */
  linkSecret: string;
  /** Run workers and the reconciler in this process. */
  worker: boolean;
  concurrency?: number;
  reconcileIntervalMs?: number;
  /** BullMQ lock duration and stalled-job check interval (config `workflow`). */
  lockMs?: number;
  stalledIntervalMs?: number;
  log?: (line: string) => void;
}

/** The running workflow engine and what the web and API need from it. */
export interface WorkflowRuntime {
  engine: WorkflowEngine;
  catalog: WorkflowCatalog;
  homes: HomesStore;
  reviews: ReviewTasks;
  responses: HomeResponses;
  decisions: ReferralDecisions;
  /** A home's answers in order, the referrer's answers to its questions, offers turned down. */
  conversation: ReferralConversation;
  reconciler: WorkflowReconciler;
  statusReader: WorkflowStatusReader;
  /** A referral's steps by title; the waiting one says what it waits for and until when. */
  timeline: TimelineReader;
  /** The three-monthly review: a prefilled draft, recorded against the referral when sent. */
  referralReviews: ReferralReviews;
  /** Resends a home's pack email on a coordinator's request (same link, new Message-ID). */
  packEmails: PackEmailResender;
  /** Approaches more homes and chases a home, on a coordinator's request. */
  followUps: HomeFollowUps;
  /** For `/readyz`: workers are consuming. */
  readiness: () => Promise<boolean>;
  start(): Promise<void>;
  /** Graceful: stops the reconciler, then lets running jobs finish (`worker.close()`). */
  stop(): Promise<void>;
}

/** Loads and checks the workflows (throws ERR_WORKFLOW_DEFINITION_INVALID) and builds the runtime. */
export async function createWorkflowRuntime(deps: WorkflowRuntimeDeps): Promise<WorkflowRuntime> {
  const log = deps.log ?? (() => undefined);
  const workflows = await loadWorkflows(deps.workflowsDir, deps.forms);
  const catalog = new WorkflowCatalog(deps.db, workflows);
  const effects = new SideEffects(deps.db, deps.mailer, deps.documents, deps.clock);
  const engine = new WorkflowEngine({
    services: {
      db: deps.db,
      clock: deps.clock,
      mailer: deps.mailer,
      documents: deps.documents,
      forms: deps.forms,
      renderEmail: deps.renderEmail,
      renderPack: deps.renderPack,
      distanceKm: deps.distanceKm,
      effects,
      publicUrl: deps.publicUrl.replace(/\/$/, ''),
      coordinators: async () => {
        const { rows } = await deps.db.query<{ id: string; email: string }>(
          `SELECT DISTINCT u.id, u.email FROM users u JOIN user_roles r ON r.user_id = u.id
           WHERE r.role = 'coordinator' ORDER BY u.email`,
        );
        return rows.length > 0
          ? rows.map((row) => ({ key: `coordinator-${row.id}`, email: row.email }))
          : deps.coordinatorEmails.map((email, index) => ({
              key: `coordinator-${String(index)}`,
              email,
            }));
      },
      linkSecret: deps.linkSecret,
    },
    catalog,
    stepTypes,
    nudge: deps.nudge,
  });
  const homes = new HomesStore(deps.db);
  const reconciler = new WorkflowReconciler({
    db: deps.db,
    queue: deps.queue,
    engine,
    catalog,
    nudge: deps.nudge,
    ...(deps.reconcileIntervalMs === undefined ? {} : { intervalMs: deps.reconcileIntervalMs }),
    onError: (error) => {
      log(`workflow reconciler: a pass failed (${describeError(error)}), will retry`);
    },
  });
  const worker = new WorkflowWorker({
    db: deps.db,
    engine,
    connection: deps.connection,
    prefix: deps.prefix,
    clock: deps.clock,
    ...(deps.concurrency === undefined ? {} : { concurrency: deps.concurrency }),
    ...(deps.lockMs === undefined ? {} : { lockMs: deps.lockMs }),
    ...(deps.stalledIntervalMs === undefined ? {} : { stalledIntervalMs: deps.stalledIntervalMs }),
    onError: (what, error) => {
      log(`workflow worker: ${what}: ${describeError(error)}`);
    },
  });
  return {
    engine,
    catalog,
    homes,
    reviews: new ReviewTasks(deps.db, engine),
    responses: new HomeResponses(deps.db, engine),
    decisions: new ReferralDecisions(deps.db, engine),
    conversation: new ReferralConversation(deps.db, engine),
    reconciler,
    statusReader: createWorkflowStatusReader(
      deps.db,
      (formId) => catalog.forForm(formId) !== undefined,
    ),
    timeline: createTimelineReader({ db: deps.db, catalog, engine }),
    referralReviews: new ReferralReviews(
      deps.db,
      engine,
      new DraftStore(deps.db, deps.clock),
      catalog,
    ),
    packEmails: new PackEmailResender(deps.db, engine),
    followUps: new HomeFollowUps(deps.db, engine),
    readiness: createWorkflowReadiness({ db: deps.db, queue: deps.queue, clock: deps.clock }),
    async start() {
      await catalog.record();
      await homes.seed(deps.homes);
      if (!deps.worker) return;
      await worker.start();
      reconciler.start();
    },
    async stop() {
      await reconciler.stop();
      await worker.stop();
    },
  };
}

/**
 * One line about an error for the logs: its code and first line. Our errors and Redis's carry
 * no personal data (ids and host:port at most); anything longer is cut.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  const line = error.message.split('\n')[0]?.slice(0, 200) ?? '';
  return typeof code === 'string' && !line.includes(code) ? `${code} ${line}` : line;
}
