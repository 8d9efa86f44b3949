import { AppError } from '../errors/app-error.js';
import { recordAudit } from '../auth/audit.js';
import { route } from '../steps/route.js';
import type { Database } from '../store/database.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** A review task as the coordinator page shows it. */
export interface ReviewTask {
  id: string;
  instanceId: string;
  seq: number;
  reference: string;
  state: string;
  proposed: { homeId: string; name: string; chosen: boolean; reasons: string[] }[];
  selected: string[];
  createdAt: Date;
}

interface TaskRow {
  id: string;
  instance_id: string;
  seq: number;
  reference: string;
  state: string;
  proposed: ReviewTask['proposed'];
  selected: string[];
  created_at: Date | string;
}

/** Coordinators' review tasks: see the proposal, change the list, approve. */
export class ReviewTasks {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
  ) {}

  /** Routes an open task's referral again and replaces its proposal ({@link rerouteReviewTask}). */
  async reroute(task: ReviewTask, coordinator: { id: string }): Promise<boolean> {
    return rerouteReviewTask(this.db, this.engine, task, coordinator);
  }

  /** Open tasks, oldest first. */
  async listOpen(): Promise<ReviewTask[]> {
    const { rows } = await this.db.query<TaskRow>(
      `SELECT t.id, t.instance_id, t.seq, s.reference, t.state, t.proposed, t.selected, t.created_at
       FROM workflow_review_tasks t JOIN workflow_instances i ON i.id = t.instance_id
       JOIN submissions s ON s.id = i.submission_id WHERE t.state = 'open' ORDER BY t.created_at`,
    );
    return rows.map(toTask);
  }

  /** The latest task of a referral. */
  async forReference(reference: string): Promise<ReviewTask | undefined> {
    const { rows } = await this.db.query<TaskRow>(
      `SELECT t.id, t.instance_id, t.seq, s.reference, t.state, t.proposed, t.selected, t.created_at
       FROM workflow_review_tasks t JOIN workflow_instances i ON i.id = t.instance_id
       JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1 ORDER BY t.seq DESC LIMIT 1`,
      [reference],
    );
    return rows[0] ? toTask(rows[0]) : undefined;
  }

  /**
   * Approves the task with the coordinator's final list of homes (ids known to the directory).
   * False when the task was not open (approved already, withdrawn) or a home is unknown.
   */
  async approve(
    taskId: string,
    homeIds: readonly string[],
    coordinator: { id: string },
    /** Why homes without a declared vacancy are included (kept in the audit record). */
    note?: { homesWithoutVacancy: readonly string[]; reason: string },
  ): Promise<boolean> {
    const now = this.engine.services.clock.now();
    const done = await this.db.transaction(async (tx) => {
      const unique = [...new Set(homeIds)];
      const known = await tx.query<{ id: string }>(
        `SELECT id FROM homes WHERE id = ANY($1::text[])`,
        [unique],
      );
      if (known.rowCount !== unique.length || unique.length === 0) return false;
      const { rows } = await tx.query<{
        instance_id: string;
        seq: number;
        organisation_id: string;
        submission_id: string;
      }>(
        `UPDATE workflow_review_tasks t SET state = 'approved', selected = $2, approved_by = $3, approved_at = $4
         FROM workflow_instances i WHERE t.id = $1 AND t.state = 'open' AND i.id = t.instance_id
         RETURNING t.instance_id, t.seq, t.organisation_id, i.submission_id`,
        [taskId, JSON.stringify(unique), coordinator.id, now.toISOString()],
      );
      const task = rows[0];
      if (!task) return false;
      const moved = await this.engine.completeWaiting(tx, task.instance_id, task.seq, 'approved', {
        result: { approvedHomeIds: unique, approvedBy: coordinator.id },
        context: { approvedHomeIds: unique },
      });
      if (!moved) throw new AppError('ERR_INTERNAL', 'review step was not waiting');
      await recordAudit(tx, {
        actorType: 'user',
        actorId: coordinator.id,
        action: 'referral.review.approve',
        subjectType: 'submission',
        subjectId: task.submission_id,
        organisationId: task.organisation_id,
        details: {
          homeIds: unique,
          ...(note && note.homesWithoutVacancy.length > 0
            ? { homesWithoutVacancy: note.homesWithoutVacancy }
            : {}),
        },
        ...(note && note.reason !== '' ? { reason: note.reason } : {}),
        at: now,
      });
      return true;
    });
    if (done) this.engine.afterCommit();
    return done;
  }
}

/**
 * Runs the route step again for an open review task (after homes declared vacancies, say),
 * with the options the workflow gives it, and replaces the task's proposal and selection.
 * False when the task is not open.
 */
export async function rerouteReviewTask(
  db: Database,
  engine: WorkflowEngine,
  task: ReviewTask,
  coordinator: { id: string },
): Promise<boolean> {
  if (task.state !== 'open') return false;
  const loaded = await engine.load(task.instanceId, task.seq);
  const context = loaded?.context;
  const routeStepId = (context?.step.options as { routeStep?: unknown } | undefined)?.routeStep;
  const routeStep =
    typeof routeStepId === 'string' ? context?.workflow.steps[routeStepId] : undefined;
  if (!context || routeStep?.type !== 'route')
    throw new AppError('ERR_INTERNAL', 'the review names no route step');
  const routed = await route.run({
    ...context,
    step: routeStep,
    options: routeStep.options as never,
  });
  const decisions = (routed.result?.decisions ?? []) as ReviewTask['proposed'];
  const selected = decisions.filter((home) => home.chosen).map((home) => home.homeId);
  const now = engine.services.clock.now();
  const done = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ organisation_id: string; submission_id: string }>(
      `UPDATE workflow_review_tasks t SET proposed = $2, selected = $3
       FROM workflow_instances i WHERE t.id = $1 AND t.state = 'open' AND i.id = t.instance_id
       RETURNING t.organisation_id, i.submission_id`,
      [task.id, JSON.stringify(decisions), JSON.stringify(selected)],
    );
    const row = rows[0];
    if (!row) return false;
    await recordAudit(tx, {
      actorType: 'user',
      actorId: coordinator.id,
      action: 'referral.review.reroute',
      subjectType: 'submission',
      subjectId: row.submission_id,
      organisationId: row.organisation_id,
      details: { proposed: selected },
      at: now,
    });
    return true;
  });
  return done;
}

function toTask(row: TaskRow): ReviewTask {
  return {
    id: row.id,
    instanceId: row.instance_id,
    seq: row.seq,
    reference: row.reference,
    state: row.state,
    proposed: row.proposed,
    selected: row.selected,
    createdAt: new Date(row.created_at),
  };
}
