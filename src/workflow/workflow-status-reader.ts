import type { Queryable } from '../store/database.js';
import type { WorkflowStatus, WorkflowStatusReader } from '../submissions/workflow-status.js';

/**
 * The API's view of a submission's workflow: the engine state and every step run so far.
 * Before the engine has started the instance it says `pending` (in the outbox) or `queued`; a
 * submission of a form that has no workflow says `none`.
 */
export function createWorkflowStatusReader(
  db: Queryable,
  hasWorkflow: (formId: string) => boolean,
): WorkflowStatusReader {
  return {
    async read(submissionId): Promise<WorkflowStatus> {
      const instance = (
        await db.query<{ id: string; state: string }>(
          `SELECT id, state FROM workflow_instances WHERE submission_id = $1`,
          [submissionId],
        )
      ).rows[0];
      if (!instance) {
        const { rows } = await db.query<{ relayed_at: Date | null; form_id: string }>(
          `SELECT o.relayed_at, s.form_id FROM submissions s
           LEFT JOIN outbox o ON o.job_id = 'start-' || s.id::text WHERE s.id = $1`,
          [submissionId],
        );
        const row = rows[0];
        if (!row || !hasWorkflow(row.form_id)) return { state: 'none', steps: [] };
        return { state: row.relayed_at ? 'queued' : 'pending', steps: [] };
      }
      const { rows } = await db.query<{
        step_id: string;
        step_type: string;
        state: string;
        created_at: Date | string;
        finished_at: Date | string | null;
      }>(
        `SELECT step_id, step_type, state, created_at, finished_at FROM workflow_step_runs WHERE instance_id = $1 ORDER BY seq`,
        [instance.id],
      );
      return {
        state: instance.state,
        steps: rows.map((row) => ({
          id: row.step_id,
          type: row.step_type,
          state: row.state,
          at: new Date(row.finished_at ?? row.created_at).toISOString(),
        })),
      };
    },
  };
}
