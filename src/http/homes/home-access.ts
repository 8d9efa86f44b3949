import type { HomeRequest } from '../../workflow/home-responses.js';
import type { ReferralRow } from '../workflow-pages/referral-pages.js';

/** Whether a home may still read a referral's details, and if not, why (in plain words). */
export type HomeAccess = { open: true } | { open: false; why: string };

const closedStatuses: Record<string, string> = {
  withdrawn: 'The local authority withdrew this referral.',
  ceased: 'The search for this referral was ceased.',
  'alternative placement': 'The child was placed elsewhere.',
};

/**
 * A home reads the child's details, the pack and the documents only while it has a reason to:
 * its link is unexpired, it has not declined, and the referral is open, or the child was
 * placed with it. Otherwise it sees the status only.
 */
export function toHomeAccess(request: HomeRequest, referral: ReferralRow, now: Date): HomeAccess {
  const chosenHomeId = referral.context?.chosenHomeId;
  if (referral.status === 'placed' || typeof chosenHomeId === 'string') {
    return chosenHomeId === request.homeId
      ? { open: true }
      : { open: false, why: 'The child was placed with another home.' };
  }
  const closed = referral.status ? closedStatuses[referral.status] : undefined;
  if (closed) return { open: false, why: closed };
  if (
    referral.state === 'completed' ||
    referral.state === 'failed' ||
    referral.state === 'withdrawn'
  )
    return { open: false, why: 'This referral is closed.' };
  if (request.state === 'declined')
    return { open: false, why: 'Your home declined this referral.' };
  if (request.state === 'timed-out' || request.state === 'withdrawn')
    return { open: false, why: 'This referral is no longer open to your home.' };
  if (request.expiresAt !== null && request.expiresAt <= now)
    return { open: false, why: 'The link to this referral has expired.' };
  return { open: true };
}
