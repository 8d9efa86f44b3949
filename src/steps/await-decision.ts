import type { AwaitDecisionOptions } from '../generated/workflows/step-options.js';
import { readPointer } from '../workflow/read-pointer.js';
import type { ResumeResult, StepType } from '../workflow/step-type.js';

/** The decision recorded in the instance's context (ReferralDecisions), as the step's outcome. */
function toDecisionOutcome(context: Record<string, unknown>): ResumeResult {
  const decision = context.decision;
  if (decision === 'placed' && typeof context.chosenHomeId === 'string')
    return { outcome: 'placed', result: { chosenHomeId: context.chosenHomeId } };
  if (decision === 'alternative') return { outcome: 'alternative' };
  return {};
}

/** The outcome of `await-decision` when a coordinator approaches more homes after declines. */
export const moreHomesOutcome = 'more-homes';

/**
 * `await-decision`: waits for the local authority to choose an offer (`placed`) or record an
 * alternative placement (`alternative`). The `expire` timer ceases the search (`ceased`);
 * `remind` timers ask the referrer for an update first. Where the workflow maps `more-homes`,
 * a coordinator may approach further homes once no offer is open and no home is still to
 * answer (HomeFollowUps): the wait ends `more-homes` and the search starts again.
 */
export const awaitDecision: StepType<AwaitDecisionOptions> = {
  type: 'await-decision',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['referrerEmail'],
    properties: {
      referrerEmail: {
        description: 'Where the referrer’s email address is in the submission.',
        type: 'string',
        pattern: '^(/[^/]+)+$',
      },
    },
  },
  outcomes: ['placed', 'alternative', 'ceased'],
  optionalOutcomes: [moreHomesOutcome],
  formPointers: (options) => [{ pointer: options.referrerEmail, at: '/referrerEmail' }],
  run({ instance }) {
    // An offer taken up while the homes were still answering: nothing left to wait for.
    const decided = toDecisionOutcome(instance.context);
    if (decided.outcome !== undefined)
      return Promise.resolve({
        outcome: decided.outcome,
        ...(decided.result ? { result: decided.result } : {}),
      });
    return Promise.resolve({ wait: true });
  },
  async resume({ instance }, tx) {
    const { rows } = await tx.query<{ context: Record<string, unknown> }>(
      `SELECT context FROM workflow_instances WHERE id = $1`,
      [instance.id],
    );
    return toDecisionOutcome(rows[0]?.context ?? {});
  },
  describeWait: () =>
    Promise.resolve('Waiting for the local authority to choose an offer or record an alternative'),
  expire: () => Promise.resolve({ outcome: 'ceased', status: 'ceased' }),
  reminderRecipients({ services, submission, options }) {
    const to = readPointer(submission.data, options.referrerEmail);
    if (typeof to !== 'string') return Promise.resolve([]);
    return Promise.resolve([
      {
        key: 'referrer',
        to,
        locals: {
          reference: submission.reference,
          status: 'Searching for a home',
          detail: 'Confirm the referral is still needed, or the search will be ceased.',
          link: `${services.publicUrl}/referrals/${submission.reference}`,
        },
        audit: { recipientType: 'referrer' },
      },
    ]);
  },
};
