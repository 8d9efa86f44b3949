import type { SetStatusOptions } from '../generated/workflows/step-options.js';
import type { StepType } from '../workflow/step-type.js';

/** The referral states of DOMAIN.md. */
export const referralStatuses = [
  'submitted',
  'searching',
  'offered',
  'placed',
  'withdrawn',
  'ceased',
  'alternative placement',
] as const;

/** How a referral state reads in an email or on a page. */
export const statusLabels: Record<string, string> = {
  submitted: 'Submitted',
  searching: 'Searching for a home',
  offered: 'A home has offered a place',
  placed: 'Placed',
  withdrawn: 'Withdrawn',
  ceased: 'Search ceased',
  'alternative placement': 'Alternative placement recorded',
};

/** `set-status`: moves the referral to a state of DOMAIN.md. */
export const setStatus: StepType<SetStatusOptions> = {
  type: 'set-status',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: { status: { enum: [...referralStatuses] } },
  },
  outcomes: ['done'],
  formPointers: () => [],
  run: ({ options }) =>
    Promise.resolve({ status: options.status, result: { status: options.status } }),
};
