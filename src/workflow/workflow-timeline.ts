import type { Database } from '../store/database.js';
import type { WorkflowCatalog } from './workflow-catalog.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** One step of a referral's timeline, in words a person reads. */
export interface TimelineEntry {
  /** When the step finished, or when it started if it has not. */
  at: Date;
  /** The step's `title` from the workflow definition (never its id). */
  title: string;
  /** `queued`, `waiting`, `completed`, `failed` or `cancelled`. */
  state: string;
  /**
   * For a waiting step: what it waits for and until when ("Waiting for 3 homes to answer,
   * until 4 December 14:00").
   */
  waiting?: string;
}

/** Reads a submission's timeline. */
export type TimelineReader = (submissionId: string) => Promise<TimelineEntry[]>;

const dayAndTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
});

/** "4 December 14:00", in UK time. */
export function formatDayAndTime(date: Date): string {
  const parts = Object.fromEntries(
    dayAndTime.formatToParts(date).map((part) => [part.type, part.value]),
  );
  return `${parts.day ?? ''} ${parts.month ?? ''} ${parts.hour ?? ''}:${parts.minute ?? ''}`;
}

const timerPhrases: Record<string, string> = {
  expire: 'until',
  escalate: 'the coordinator is alerted',
  remind: 'a reminder goes',
};

/**
 * The timeline of a referral's workflow: every step run with its title, and for the step that
 * waits, what it waits for (the step type's words) and until when (its next deadline).
 */
export function createTimelineReader(deps: {
  db: Database;
  catalog: WorkflowCatalog;
  engine: WorkflowEngine;
}): TimelineReader {
  const { db, catalog, engine } = deps;
  return async (submissionId) => {
    const instance = (
      await db.query<{ id: string; workflow_id: string; workflow_version: string }>(
        `SELECT id, workflow_id, workflow_version FROM workflow_instances WHERE submission_id = $1`,
        [submissionId],
      )
    ).rows[0];
    if (!instance) return [];
    const workflow = await catalog.version(instance.workflow_id, instance.workflow_version);
    const { rows } = await db.query<{
      seq: number;
      step_id: string;
      state: string;
      created_at: Date | string;
      finished_at: Date | string | null;
    }>(
      `SELECT seq, step_id, state, created_at, finished_at FROM workflow_step_runs
       WHERE instance_id = $1 ORDER BY seq`,
      [instance.id],
    );
    const entries: TimelineEntry[] = [];
    for (const row of rows) {
      const entry: TimelineEntry = {
        at: new Date(row.finished_at ?? row.created_at),
        title: workflow.steps[row.step_id]?.title ?? 'A step of the workflow',
        state: row.state,
      };
      if (row.state === 'waiting') {
        const waiting = await describeWaiting(db, engine, instance.id, row.seq);
        if (waiting !== undefined) entry.waiting = waiting;
      }
      entries.push(entry);
    }
    // A review is recorded against the referral, not run as a step: placed by its time.
    const reviews = await db.query<{ recorded_at: Date | string }>(
      `SELECT recorded_at FROM referral_reviews WHERE instance_id = $1 ORDER BY recorded_at`,
      [instance.id],
    );
    const reviewTitle = `${workflow.review?.title ?? 'Review'} sent by the local authority`;
    for (const review of reviews.rows) {
      const at = new Date(review.recorded_at);
      const after = entries.findIndex((entry) => entry.at > at);
      const entry = { at, title: reviewTitle, state: 'completed' };
      if (after === -1) entries.push(entry);
      else entries.splice(after, 0, entry);
    }
    return entries;
  };
}

async function describeWaiting(
  db: Database,
  engine: WorkflowEngine,
  instanceId: string,
  seq: number,
): Promise<string | undefined> {
  const loaded = await engine.load(instanceId, seq);
  if (!loaded) return undefined;
  const what = (await loaded.type.describeWait?.(loaded.context)) ?? 'Waiting';
  const timers = await db.query<{ action: string; fire_at: Date | string }>(
    `SELECT action, fire_at FROM workflow_timers WHERE instance_id = $1 AND seq = $2 AND state = 'pending'
     ORDER BY fire_at`,
    [instanceId, seq],
  );
  const deadline = timers.rows.find((timer) => timer.action === 'expire') ?? timers.rows[0];
  if (!deadline) return what;
  const phrase = timerPhrases[deadline.action] ?? 'until';
  const when = formatDayAndTime(new Date(deadline.fire_at));
  return phrase === 'until' ? `${what}, until ${when}` : `${what}; ${phrase} at ${when}`;
}
