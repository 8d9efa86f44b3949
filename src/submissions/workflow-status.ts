import type { Queryable } from '../store/database.js';

/** The workflow part of a submission as the API shows it. */
export interface WorkflowStatus {
  state: string;
  steps: { id: string; type: string; state: string; at: string }[];
}

/** Reads a submission's workflow state and step history. */
export interface WorkflowStatusReader {
  read(submissionId: string): Promise<WorkflowStatus>;
}

/**
 * Until the workflow engine runs a submission, its workflow is `pending` while the start is
 * in the outbox and `queued` once relayed.
 */
export function createOutboxWorkflowStatus(db: Queryable): WorkflowStatusReader {
  return {
    async read(submissionId) {
      const { rows } = await db.query<{ relayed_at: Date | null; created_at: Date | string }>(
        `SELECT relayed_at, created_at FROM outbox WHERE job_id = $1`,
        [`start-${submissionId}`],
      );
      const row = rows[0];
      if (!row) return { state: 'none', steps: [] };
      return {
        state: row.relayed_at ? 'queued' : 'pending',
        steps: [],
      };
    },
  };
}
