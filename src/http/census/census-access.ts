import type { Request } from 'express';
import { findOrganisation, type Organisation } from '../../auth/people.js';
import { hasRole } from '../../auth/roles.js';
import { AppError } from '../../errors/app-error.js';
import type { Queryable } from '../../store/database.js';
import type { SessionUser } from '../request-context.js';

/** Whose return a census page is about, and what the signed-in person may do with it. */
export interface CensusAccess {
  user: SessionUser;
  authority: Organisation & { laCode: string };
  year: number;
  /** HR officers change and export; the authority's data protection officer only reads. */
  canChange: boolean;
}

/** The signed-in user, or a redirect to sign in. */
export function requireUser(req: Request): SessionUser {
  const user = req.session?.user;
  if (!user) throw new AppError('ERR_AUTH_REQUIRED', 'census page without sign-in');
  return user;
}

/** True when the user may see census returns of the organisation. */
export function canSeeCensus(user: SessionUser, organisationId: string): boolean {
  return (
    hasRole(user, 'hr-officer', organisationId) ||
    hasRole(user, 'data-protection-officer', organisationId)
  );
}

/**
 * The authority and year a census URL names, when the user is one of its HR officers or its
 * data protection officer. Anyone else gets the 404 an unknown return gets, so nothing is
 * learnt about another authority's return.
 */
export async function censusAccess(
  q: Queryable,
  req: Request,
  latestYear: number,
): Promise<CensusAccess> {
  const user = requireUser(req);
  const laCode = String(req.params.laCode ?? '');
  const year = Number(req.params.year ?? '');
  const notFound = () => new AppError('ERR_HTTP_NOT_FOUND', 'no census return here for this user');
  if (!/^\d{3}$/.test(laCode) || !Number.isInteger(year) || year < 2000 || year > latestYear)
    throw notFound();
  const found = await findOrganisation(q, laCode);
  if (found?.kind !== 'local-authority' || found.laCode !== laCode) throw notFound();
  if (!canSeeCensus(user, found.id)) throw notFound();
  return {
    user,
    authority: { ...found, laCode },
    year,
    canChange: hasRole(user, 'hr-officer', found.id),
  };
}

/** Refuses a change by someone who may only read the return. */
export function requireChange(access: CensusAccess): void {
  if (!access.canChange)
    throw new AppError('ERR_AUTH_FORBIDDEN', 'census change by a reader', {
      userMessage: 'Only the authority’s HR officers can change or export its census return.',
    });
}
