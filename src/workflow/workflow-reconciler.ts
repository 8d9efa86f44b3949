import type { Queue } from 'bullmq';
import type { Database } from '../store/database.js';
import type { WorkflowCatalog } from './workflow-catalog.js';
import {
  enqueue,
  toStepJobId,
  toTimerJobId,
  workflowTopics,
  type WorkflowEngine,
} from './workflow-engine.js';

/** What the reconciler needs. */
export interface WorkflowReconcilerOptions {
  db: Database;
  queue: Queue;
  engine: WorkflowEngine;
  catalog: WorkflowCatalog;
  /** Asks the outbox relay to run now. */
  nudge: () => void;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/** What one pass found and did. */
export interface ReconcileReport {
  requeued: number;
  lost: number;
  timersFired: number;
  /** Waiting instances that moved on when woken (a wake-up lost with Redis). */
  woken: number;
}

/**
 * Compares the database (the record) with Redis (the work list) and puts back whatever work
 * is missing: a start with no instance, a queued step run, a pending timer. Runs at start-up
 * and periodically, so a crash, a Redis restart or a FLUSHALL loses nothing.
 */
export class WorkflowReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: WorkflowReconcilerOptions) {}

  /** One pass. */
  async reconcile(): Promise<ReconcileReport> {
    const { db, queue, engine, catalog } = this.options;
    const report: ReconcileReport = { requeued: 0, lost: 0, timersFired: 0, woken: 0 };
    const forms = catalog.list().map((workflow) => workflow.definition.form);
    const starts = await db.query<{ job_id: string }>(
      `SELECT o.job_id FROM outbox o JOIN submissions s ON o.job_id = 'start-' || s.id::text
       WHERE o.topic = $1 AND s.form_id = ANY($2::text[])
         AND NOT EXISTS (SELECT 1 FROM workflow_instances i WHERE i.submission_id = s.id)`,
      [workflowTopics.start, forms],
    );
    const runs = await db.query<{ instance_id: string; seq: number; attempt: number }>(
      `SELECT instance_id, seq, attempt FROM workflow_step_runs WHERE state = 'queued'`,
    );
    const timers = await db.query<{ id: string; fire_at: Date | string }>(
      `SELECT id, fire_at FROM workflow_timers WHERE state IN ('pending', 'firing')`,
    );
    const missing: string[] = [];
    for (const row of starts.rows) {
      if ((await queue.getJobState(row.job_id)) === 'unknown') missing.push(row.job_id);
    }
    for (const row of runs.rows) {
      const jobId = toStepJobId(row.instance_id, row.seq, row.attempt);
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') {
        missing.push(jobId);
        // A run queued before its outbox row existed cannot happen, but a lost row must not strand it.
        await enqueue(db, workflowTopics.step, jobId, {
          instanceId: row.instance_id,
          seq: row.seq,
          attempt: row.attempt,
        });
      } else if (state === 'completed' || state === 'failed') {
        // The job ended but the record did not move (a worker died too often mid-step).
        report.lost += 1;
        await engine.recordLostAttempt(row.instance_id, row.seq, row.attempt);
      }
    }
    for (const row of timers.rows) {
      const fireAt = new Date(row.fire_at);
      const jobId = toTimerJobId(row.id, fireAt);
      if ((await queue.getJobState(jobId)) === 'unknown') {
        missing.push(jobId);
        await enqueue(db, workflowTopics.timer, jobId, { timerId: row.id }, fireAt);
      }
    }
    if (missing.length > 0) {
      const updated = await db.query(
        `UPDATE outbox SET relayed_at = NULL WHERE job_id = ANY($1::text[]) AND relayed_at IS NOT NULL`,
        [missing],
      );
      report.requeued = Math.max(updated.rowCount, missing.length);
      this.options.nudge();
    }
    report.timersFired = await engine.fireDueTimers();
    report.woken = await engine.wakeAllWaiting();
    return report;
  }

  /** Reconciles now and then every `intervalMs` (default 5 s: `WORKFLOW_RECONCILE_INTERVAL_MS`). */
  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.reconcile()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer ??= setInterval(tick, this.options.intervalMs ?? 5_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
