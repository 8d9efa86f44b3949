/** The kinds of organisation Formwork knows. */
export type OrganisationKind =
  'local-authority' | 'secure-home' | 'coordination-unit' | 'dfe' | 'unassigned';

/** Every role a user can hold. */
export const roles = [
  'social-worker',
  'team-manager',
  'coordinator',
  'home-staff',
  'form-administrator',
  'data-protection-officer',
  'analyst',
  'hr-officer',
] as const;

/** A role a user can hold. */
export type Role = (typeof roles)[number];

/** One role held in one organisation. */
export interface RoleGrant {
  role: Role;
  organisationId: string;
}

/** Where a role may be held, and the organisation it defaults to when none is named. */
export interface RoleRule {
  kinds: readonly OrganisationKind[];
  /** Used when `user add` names no `--org`; absent means `--org` is required. */
  defaultOrganisation?: string;
  description: string;
}

/** The coordination unit's and DfE's organisation ids, seeded at start. */
export const coordinationUnitId = 'swcu';
export const dfeId = 'dfe';

/** The roles model: which organisation kinds each role is scoped to. */
export const roleRules: Readonly<Record<Role, RoleRule>> = {
  'social-worker': {
    kinds: ['local-authority'],
    description: 'makes and follows referrals for their local authority',
  },
  'team-manager': {
    kinds: ['local-authority'],
    description: 'as a social worker, for every referral of their local authority',
  },
  'hr-officer': {
    kinds: ['local-authority'],
    description: 'enters the workforce census return of their local authority',
  },
  'home-staff': {
    kinds: ['secure-home'],
    description: 'answers the referrals sent to their home and declares its vacancies',
  },
  coordinator: {
    kinds: ['coordination-unit'],
    defaultOrganisation: coordinationUnitId,
    description: 'reviews routing, runs every referral, keeps the homes directory',
  },
  'form-administrator': {
    kinds: ['coordination-unit', 'dfe'],
    defaultOrganisation: coordinationUnitId,
    description: 'edits, previews, publishes and rolls back form and workflow definitions',
  },
  'data-protection-officer': {
    kinds: ['coordination-unit', 'dfe', 'local-authority'],
    defaultOrganisation: coordinationUnitId,
    description: 'audit trail, subject access, rectification, restriction, retention',
  },
  analyst: {
    kinds: ['dfe', 'coordination-unit'],
    defaultOrganisation: dfeId,
    description: 'aggregate, suppressed statistics only',
  },
};

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/**
 * True when `user` holds `role`, in `organisationId` when one is given. The one check every
 * router calls: roles come from the database with the session, never from configuration.
 */
export function hasRole(
  user: { roles?: readonly RoleGrant[] | undefined } | undefined,
  role: Role,
  organisationId?: string,
): boolean {
  return (
    user?.roles?.some(
      (grant) =>
        grant.role === role &&
        (organisationId === undefined || grant.organisationId === organisationId),
    ) ?? false
  );
}
