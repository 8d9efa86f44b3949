import { statusLabelOf, toCurrentStatus } from '../../steps/set-status.js';
import { readPointer } from '../../workflow/read-pointer.js';
import { maySearchAgain } from '../../workflow/home-follow-ups.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';

/** One referral as the console query returns it. */
export interface ConsoleRow {
  reference: string;
  data: Record<string, unknown>;
  submitted_at: Date | string;
  status: string | null;
  state: string | null;
  context: Record<string, unknown> | null;
  approached: string | number;
  offers: string | number;
  flags: string | number;
  open_reviews: string | number;
  questions: string | number;
  /** Homes still to answer, or whose offer stands. */
  live_requests: string | number;
  /** The step the workflow waits in, if it waits. */
  waiting_step: string | null;
}

/** A referral on the console, with what it is sorted and filtered by. */
export interface ConsoleReferral {
  reference: string;
  /** The status key (`submitted` before the workflow set one). */
  status: string;
  statusText: string;
  open: boolean;
  emergency: boolean;
  /** `YYYY-MM-DD`, or undefined when the form has no such answer. */
  neededBy: string | undefined;
  authority: string | undefined;
  /** What a coordinator has to do, in words; empty when nothing. */
  actions: string[];
  approached: number;
  offers: number;
  submittedAt: Date;
}

/** The console's filters, as a query string gives them (each may be absent). */
export interface ConsoleFilters {
  status?: string | undefined;
  authority?: string | undefined;
  action?: boolean | undefined;
}

const closedStatuses = new Set(['placed', 'withdrawn', 'ceased', 'alternative placement']);
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A console row in the words and facts the coordinator sorts and filters by. Which answers give
 * the needed-by date, the authority and an emergency, the workflow's `console` says.
 */
export function toConsoleReferral(
  row: ConsoleRow,
  definition: WorkflowDefinition | undefined,
): ConsoleReferral {
  const fields = definition?.console ?? {};
  const read = (pointer: string | undefined) =>
    pointer === undefined ? undefined : readPointer(row.data, pointer);
  const neededBy = read(fields.neededBy);
  const authority = read(fields.authority);
  const emergency =
    fields.emergency !== undefined && read(fields.emergency.pointer) === fields.emergency.equals;
  const current = toCurrentStatus(row.status, row.context);
  const status = current ?? 'submitted';
  const count = (value: string | number) => Number(value);
  const actions = [
    ...(count(row.open_reviews) > 0 ? ['Review the proposed homes'] : []),
    ...(count(row.questions) > 0
      ? [count(row.questions) === 1 ? 'A home asked a question' : 'Homes asked questions']
      : []),
    ...(searchEnded(row, definition)
      ? ['No home offered a place: approach more homes or close the search']
      : []),
    ...(count(row.flags) > 0
      ? [count(row.flags) === 1 ? 'A problem needs a person' : 'Problems need a person']
      : []),
  ];
  return {
    reference: row.reference,
    status,
    statusText: statusLabelOf(current),
    open: !closedStatuses.has(status) && row.state !== 'completed',
    emergency,
    neededBy: typeof neededBy === 'string' && datePattern.test(neededBy) ? neededBy : undefined,
    authority: typeof authority === 'string' && authority.trim() !== '' ? authority : undefined,
    actions,
    approached: count(row.approached),
    offers: count(row.offers),
    submittedAt: new Date(row.submitted_at),
  };
}

/**
 * True when every home approached has declined or not answered, the local authority has not
 * decided, and the workflow waits where more homes can be approached (`more-homes`).
 */
function searchEnded(row: ConsoleRow, definition: WorkflowDefinition | undefined): boolean {
  if (row.state !== 'waiting' || row.waiting_step === null) return false;
  if (Number(row.approached) === 0) return false;
  return maySearchAgain({
    step: definition?.steps[row.waiting_step],
    decision: row.context?.decision,
    liveRequests: Number(row.live_requests),
  });
}

/**
 * Most urgent first: open referrals before closed ones; among them emergencies first, then by
 * the date the placement is needed by (none given: after those with a date), then oldest first.
 */
export function compareUrgency(a: ConsoleReferral, b: ConsoleReferral): number {
  if (a.open !== b.open) return a.open ? -1 : 1;
  if (a.emergency !== b.emergency) return a.emergency ? -1 : 1;
  if (a.neededBy !== b.neededBy) {
    if (a.neededBy === undefined) return 1;
    if (b.neededBy === undefined) return -1;
    return a.neededBy < b.neededBy ? -1 : 1;
  }
  return a.submittedAt.getTime() - b.submittedAt.getTime();
}

/** True when the referral passes every filter that is set. */
export function matchesFilters(referral: ConsoleReferral, filters: ConsoleFilters): boolean {
  if (filters.status !== undefined && referral.status !== filters.status) return false;
  if (filters.authority !== undefined && referral.authority !== filters.authority) return false;
  if (filters.action === true && referral.actions.length === 0) return false;
  return true;
}
