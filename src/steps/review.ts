import { randomUUID } from 'node:crypto';
import type { ReviewOptions } from '../generated/workflows/step-options.js';
import type { StepType } from '../workflow/step-type.js';

/**
 * `review`: a human task. A coordinator sees the homes the route step proposed, with its
 * reasons, may add or remove homes, and approves; the step waits (holding no job) until then,
 * so nothing is sent before a person decided. Outcome `approved`.
 */
export const review: StepType<ReviewOptions> = {
  type: 'review',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['routeStep'],
    properties: {
      routeStep: { description: 'The route step whose proposal is reviewed.', type: 'string' },
    },
  },
  outcomes: ['approved'],
  formPointers: () => [],
  describeWait: () => Promise.resolve('Waiting for a coordinator to review and approve the homes'),
  async run({ services, instance, run, options }) {
    const { rows } = await services.db.query<{
      result: { decisions?: { homeId: string; chosen: boolean }[] };
    }>(
      `SELECT result FROM workflow_step_runs WHERE instance_id = $1 AND step_id = $2 AND state = 'completed'
       ORDER BY seq DESC LIMIT 1`,
      [instance.id, options.routeStep],
    );
    const decisions = rows[0]?.result.decisions ?? [];
    const selected = decisions
      .filter((decision) => decision.chosen)
      .map((decision) => decision.homeId);
    const now = services.clock.now();
    return {
      wait: true,
      result: { proposed: selected },
      commit: async (tx) => {
        await tx.query(
          `INSERT INTO workflow_review_tasks (id, instance_id, seq, state, proposed, selected, created_at,
             organisation_id, retain_until)
           VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8) ON CONFLICT (instance_id, seq) DO NOTHING`,
          [
            randomUUID(),
            instance.id,
            run.seq,
            JSON.stringify(decisions),
            JSON.stringify(selected),
            now.toISOString(),
            instance.organisationId,
            instance.retainUntil,
          ],
        );
      },
    };
  },
};
