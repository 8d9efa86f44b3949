import { hasRole, type RoleGrant } from './roles.js';

/** The roles that act for their local authority on its referrals. */
const referrerRoles = ['social-worker', 'team-manager'] as const;

/**
 * True when `user` may act as a referral's referrer (see its homes' answers, withdraw it,
 * choose the placement): they submitted it while signed in, or they are a social worker or
 * team manager of the organisation that submitted it. An email address typed into the form
 * grants nothing: anyone can type any address.
 */
export function isReferrerOf(
  user: { id: string; roles?: readonly RoleGrant[] | undefined },
  referral: { userId: string | null; submitterOrganisationId: string | null },
): boolean {
  if (referral.userId !== null && referral.userId === user.id) return true;
  const organisationId = referral.submitterOrganisationId;
  if (organisationId === null) return false;
  return referrerRoles.some((role) => hasRole(user, role, organisationId));
}
