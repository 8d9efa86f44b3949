import type { Queue } from 'bullmq';
import type { Clock } from '../ports/clock.js';
import type { Queryable } from '../store/database.js';

/** Options for {@link createWorkflowReadiness}. */
export interface WorkflowReadinessOptions {
  db: Queryable;
  queue: Queue;
  clock: Clock;
  /** A heartbeat older than this means no worker is consuming (default 30 s). */
  heartbeatMaxAgeMs?: number;
  /** A job waiting longer than this means workers are not keeping up or are stuck (default 60 s). */
  waitingMaxAgeMs?: number;
}

/**
 * The `/readyz` check for workflow workers: ready when some worker wrote a heartbeat recently
 * and no job has waited too long for one.
 */
export function createWorkflowReadiness(options: WorkflowReadinessOptions): () => Promise<boolean> {
  return async () => {
    const now = options.clock.now().getTime();
    const { rows } = await options.db.query<{ beat_at: Date | string | null }>(
      `SELECT max(beat_at) AS beat_at FROM workflow_heartbeats`,
    );
    const beat = rows[0]?.beat_at;
    if (beat === null || beat === undefined) return false;
    if (now - new Date(beat).getTime() > (options.heartbeatMaxAgeMs ?? 30_000)) return false;
    const [oldest] = await options.queue.getJobs(['wait'], 0, 0, true);
    return !oldest || Date.now() - oldest.timestamp <= (options.waitingMaxAgeMs ?? 60_000);
  };
}
