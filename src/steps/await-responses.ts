import type { AwaitResponsesOptions } from '../generated/workflows/step-options.js';
import type { Queryable } from '../store/database.js';
import type { StepType } from '../workflow/step-type.js';

/** Picks the outcome once every home has answered or the deadline passed. */
export async function toResponsesOutcome(
  tx: Queryable,
  instanceId: string,
): Promise<'offered' | 'none'> {
  const { rows } = await tx.query<{ count: string | number }>(
    `SELECT count(*) AS count FROM workflow_home_requests WHERE instance_id = $1 AND state = 'accepted'`,
    [instanceId],
  );
  return Number(rows[0]?.count ?? 0) > 0 ? 'offered' : 'none';
}

/**
 * `await-responses`: waits, holding no job, for each home sent the referral to accept (offer),
 * decline with a reason, or ask for more information. Ends `offered` or `none` when every home
 * has answered or at the `expire` timer; `remind` timers chase homes that have not answered.
 */
export const awaitResponses: StepType<AwaitResponsesOptions> = {
  type: 'await-responses',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      declineReasons: {
        description: 'The reasons a home may give.',
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
      },
      referrerEmail: {
        description:
          "Pointer to the referrer's email address: they are told (no personal data, a link) when a home asks a question.",
        type: 'string',
      },
    },
  },
  outcomes: ['offered', 'none'],
  formPointers: (options) =>
    options.referrerEmail === undefined
      ? []
      : [{ pointer: options.referrerEmail, at: '/referrerEmail' }],
  async run({ services, instance }) {
    const { rows } = await services.db.query<{ count: string | number }>(
      `SELECT count(*) AS count FROM workflow_home_requests WHERE instance_id = $1 AND state IN ('awaiting', 'more-information')`,
      [instance.id],
    );
    if (Number(rows[0]?.count ?? 0) === 0)
      return { outcome: await toResponsesOutcome(services.db, instance.id) };
    return { wait: true };
  },
  async resume({ instance }, tx) {
    const { rows } = await tx.query<{
      open: string | number;
      offers: string | number;
      context: Record<string, unknown>;
    }>(
      `SELECT (SELECT count(*) FROM workflow_home_requests WHERE instance_id = $1
                 AND state IN ('awaiting', 'more-information')) AS open,
              (SELECT count(*) FROM workflow_home_requests WHERE instance_id = $1
                 AND state = 'accepted') AS offers,
              (SELECT context FROM workflow_instances WHERE id = $1) AS context`,
      [instance.id],
    );
    const open = Number(rows[0]?.open ?? 0);
    const offers = Number(rows[0]?.offers ?? 0);
    // The local authority decided (took up an offer, found an alternative): nobody waits for
    // the homes still answering.
    const decided = typeof rows[0]?.context.decision === 'string';
    if (open === 0 || decided) {
      return offers > 0 ? { outcome: 'offered', status: 'offered' } : { outcome: 'none' };
    }
    return offers > 0 ? { status: 'offered' } : {};
  },
  async describeWait({ services, instance }) {
    const { rows } = await services.db.query<{ count: string | number }>(
      `SELECT count(*) AS count FROM workflow_home_requests WHERE instance_id = $1 AND state IN ('awaiting', 'more-information')`,
      [instance.id],
    );
    const open = Number(rows[0]?.count ?? 0);
    return `Waiting for ${String(open)} ${open === 1 ? 'home' : 'homes'} to answer`;
  },
  async expire({ instance }, tx) {
    // The one conditional update deciding every unanswered request against a late answer.
    await tx.query(
      `UPDATE workflow_home_requests SET state = 'timed-out' WHERE instance_id = $1 AND state IN ('awaiting', 'more-information')`,
      [instance.id],
    );
    const outcome = await toResponsesOutcome(tx, instance.id);
    return { outcome, ...(outcome === 'offered' ? { status: 'offered' } : {}) };
  },
  async reminderRecipients({ services, instance, submission, run }) {
    const deadline = await services.db.query<{ fire_at: Date | string }>(
      `SELECT fire_at FROM workflow_timers WHERE instance_id = $1 AND seq = $2 AND action = 'expire'`,
      [instance.id, run.seq],
    );
    const respondBy = deadline.rows[0] ? new Date(deadline.rows[0].fire_at) : services.clock.now();
    const { rows } = await services.db.query<{ home_id: string; email: string; name: string }>(
      `SELECT r.home_id, h.email, h.name FROM workflow_home_requests r JOIN homes h ON h.id = r.home_id
       WHERE r.instance_id = $1 AND r.state IN ('awaiting', 'more-information') ORDER BY r.home_id`,
      [instance.id],
    );
    return rows.map((row) => ({
      key: `home-${row.home_id}`,
      to: row.email,
      locals: {
        reference: submission.reference,
        homeName: row.name,
        link: `${services.publicUrl}/homes/requests`,
        respondBy,
      },
      audit: { homeId: row.home_id },
    }));
  },
};
