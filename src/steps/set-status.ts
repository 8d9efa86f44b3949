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

/**
 * A referral's status in the one vocabulary every page and email uses: `null` (the workflow
 * has not set one yet) reads as Submitted, and an unknown key as a sentence, never the key.
 */
export function statusLabelOf(status: string | null | undefined): string {
  if (status === null || status === undefined) return 'Submitted';
  const label = statusLabels[status];
  if (label) return label;
  const words = status.replaceAll(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const finalStatuses = new Set(['placed', 'withdrawn', 'ceased', 'alternative placement']);

/**
 * The referral's status as a person should see it now: once the local authority's decision is
 * recorded (`context.decision`) it is the status, although the steps that set it may still be
 * on their way, so no page shows "offered" after the child was placed.
 */
export function toCurrentStatus(
  status: string | null,
  context: Record<string, unknown> | null | undefined,
): string | null {
  if (status !== null && finalStatuses.has(status)) return status;
  const decision = context?.decision;
  if (decision === 'placed') return 'placed';
  if (decision === 'alternative') return 'alternative placement';
  return status;
}

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
