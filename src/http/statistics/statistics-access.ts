import { hasRole } from '../../auth/roles.js';
import type { Queryable } from '../../store/database.js';
import type { SessionUser } from '../request-context.js';

/** What a signed-in person may see of the workforce statistics. */
export interface StatisticsAccess {
  /** Analysts: the national figures and every authority's. */
  national: boolean;
  /** The LA codes whose figures they may see, when not national: their own authority's. */
  laCodes: ReadonlySet<string>;
}

/**
 * Analysts see every page of the statistics; an authority's HR officer and its data protection
 * officer see their own authority's; everyone else nothing. Roles come from the session, the
 * authority's LA code from its organisation in the database.
 */
export async function loadStatisticsAccess(
  db: Queryable,
  user: SessionUser | undefined,
): Promise<StatisticsAccess> {
  if (hasRole(user, 'analyst')) return { national: true, laCodes: new Set() };
  const laCodes = new Set<string>();
  const organisations = new Set(
    (user?.roles ?? [])
      .filter((grant) => grant.role === 'hr-officer' || grant.role === 'data-protection-officer')
      .map((grant) => grant.organisationId),
  );
  for (const organisationId of organisations) {
    const { rows } = await db.query<{ la_code: string | null }>(
      `SELECT la_code FROM organisations WHERE id = $1 AND kind = 'local-authority'`,
      [organisationId],
    );
    const code = rows[0]?.la_code;
    if (code) laCodes.add(code);
  }
  return { national: false, laCodes };
}

/** True when `access` lets its holder see the figures of the authority `laCode`. */
export function mayReadAuthority(access: StatisticsAccess, laCode: string): boolean {
  return access.national || access.laCodes.has(laCode);
}
