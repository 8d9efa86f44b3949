import type { AwaitDecisionOptions } from '../generated/workflows/step-options.js';
import { readPointer } from '../workflow/read-pointer.js';
import type { StepType } from '../workflow/step-type.js';

/**
 * `await-decision`: waits for the local authority to choose an offer (`placed`) or record an
 * alternative placement (`alternative`). The `expire` timer ceases the search (`ceased`);
 * `remind` timers ask the referrer for an update first.
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
  formPointers: (options) => [{ pointer: options.referrerEmail, at: '/referrerEmail' }],
  run: () => Promise.resolve({ wait: true }),
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
