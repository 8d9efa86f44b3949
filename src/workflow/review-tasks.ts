import { AppError } from '../errors/app-error.js';
import { recordAudit } from '../auth/audit.js';
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
        details: { homeIds: unique },
        at: now,
      });
      return true;
    });
    if (done) this.engine.afterCommit();
    return done;
  }
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
