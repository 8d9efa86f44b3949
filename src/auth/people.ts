import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import type { Database, Queryable } from '../store/database.js';
import { recordAudit } from './audit.js';
import {
  isRole,
  roleRules,
  roles,
  type OrganisationKind,
  type Role,
  type RoleGrant,
} from './roles.js';
import { normaliseEmail } from './sign-in-codes.js';

/** An organisation as stored. */
export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  laCode: string | null;
}

/** Options for {@link addUser}. */
export interface AddUserOptions {
  email: string;
  role: string;
  /** The organisation id, or a local authority's 3-digit code. Required for scoped roles. */
  organisation?: string | undefined;
  /** Who did it, for the audit trail (`cli`, a user id, `seed`). */
  grantedBy: string;
}

const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const kinds: readonly OrganisationKind[] = [
  'local-authority',
  'secure-home',
  'coordination-unit',
  'dfe',
  'unassigned',
];

/** Creates or renames an organisation (idempotent by id). */
export async function upsertOrganisation(q: Queryable, organisation: Organisation): Promise<void> {
  if (!kinds.includes(organisation.kind)) {
    throw invalid(`An organisation's kind is one of ${kinds.join(', ')}.`);
  }
  if (organisation.laCode !== null && !/^\d{3}$/.test(organisation.laCode)) {
    throw invalid('A local authority code is 3 digits, like 383.');
  }
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(organisation.id)) {
    throw invalid('An organisation id is lower-case letters, digits and hyphens.');
  }
  await q.query(
    `INSERT INTO organisations (id, kind, name, la_code) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
       la_code = EXCLUDED.la_code`,
    [organisation.id, organisation.kind, organisation.name, organisation.laCode],
  );
}

/** Finds an organisation by id or by a local authority's 3-digit code. */
export async function findOrganisation(
  q: Queryable,
  idOrCode: string,
): Promise<Organisation | undefined> {
  const { rows } = await q.query<{
    id: string;
    kind: OrganisationKind;
    name: string;
    la_code: string | null;
  }>('SELECT id, kind, name, la_code FROM organisations WHERE id = $1 OR la_code = $1', [
    idOrCode.trim().toLowerCase(),
  ]);
  const row = rows[0];
  return row ? { id: row.id, kind: row.kind, name: row.name, laCode: row.la_code } : undefined;
}

/**
 * Adds a user (or finds the existing one by email) and grants them a role in an organisation
 * of a kind that role allows. The user's home organisation is set when they had none.
 * @throws AppError `ERR_AUTH_USER_INVALID` with a message fit for the command line.
 */
export async function addUser(
  db: Database,
  options: AddUserOptions,
): Promise<{ id: string; email: string; role: string; organisationId: string }> {
  const email = normaliseEmail(options.email);
  if (email.length > 254 || !emailPattern.test(email)) {
    throw invalid('Give the user an email address like name@example.gov.uk.');
  }
  const role = options.role.trim();
  if (!isRole(role)) throw invalid(`A role is one of: ${roles.join(', ')}.`);
  const rule = roleRules[role];
  const wanted = options.organisation ?? rule.defaultOrganisation;
  if (wanted === undefined) {
    throw invalid(`The ${role} role needs --org (a ${rule.kinds.join(' or ')}).`);
  }
  return db.transaction(async (tx) => {
    const organisation = await findOrganisation(tx, wanted);
    if (!organisation) throw invalid(`There is no organisation "${wanted}".`);
    if (!rule.kinds.includes(organisation.kind)) {
      throw invalid(
        `The ${role} role is held in a ${rule.kinds.join(' or ')}, not a ${organisation.kind}.`,
      );
    }
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO users (id, email, organisation_id) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO UPDATE SET organisation_id = CASE
         WHEN users.organisation_id = 'default' THEN EXCLUDED.organisation_id
         ELSE users.organisation_id END
       RETURNING id`,
      [randomUUID(), email, organisation.id],
    );
    const id = rows[0]?.id;
    if (!id) throw new AppError('ERR_INTERNAL', 'User upsert returned no row.');
    const granted = await tx.query(
      `INSERT INTO user_roles (user_id, role, organisation_id, granted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [id, role, organisation.id, options.grantedBy],
    );
    if (granted.rowCount > 0) {
      await recordAudit(tx, {
        actorType: options.grantedBy === 'seed' || options.grantedBy === 'cli' ? 'system' : 'user',
        actorId: options.grantedBy,
        action: 'user.role.grant',
        subjectType: 'user',
        subjectId: id,
        organisationId: organisation.id,
        details: { role },
      });
    }
    return { id, email, role, organisationId: organisation.id };
  });
}

/** Options for {@link removeRole}. */
export interface RemoveRoleOptions {
  email: string;
  role: string;
  /** The organisation id or LA code the role is held in; absent: in every organisation. */
  organisation?: string | undefined;
  /** Who did it, for the audit trail (`cli`, a user id). */
  removedBy: string;
}

/**
 * Takes a role away from a user, in one organisation or in all of them. It takes effect on
 * the user's next request: sessions read the roles afresh each time.
 * @returns the organisations the role was removed from.
 * @throws AppError `ERR_AUTH_USER_INVALID` when the user does not hold the role there.
 */
export async function removeRole(db: Database, options: RemoveRoleOptions): Promise<string[]> {
  const email = normaliseEmail(options.email);
  const role = options.role.trim();
  if (!isRole(role)) throw invalid(`A role is one of: ${roles.join(', ')}.`);
  return db.transaction(async (tx) => {
    const organisation =
      options.organisation === undefined
        ? undefined
        : await findOrganisation(tx, options.organisation);
    if (options.organisation !== undefined && !organisation) {
      throw invalid(`There is no organisation "${options.organisation}".`);
    }
    const { rows } = await tx.query<{ user_id: string; organisation_id: string }>(
      `DELETE FROM user_roles r USING users u
        WHERE r.user_id = u.id AND u.email = $1 AND r.role = $2
          AND ($3::text IS NULL OR r.organisation_id = $3)
        RETURNING r.user_id, r.organisation_id`,
      [email, role, organisation?.id ?? null],
    );
    if (rows.length === 0) {
      throw invalid(
        `${email} does not hold the ${role} role${organisation ? ` in ${organisation.id}` : ''}.`,
      );
    }
    for (const row of rows) {
      await recordAudit(tx, {
        actorType: options.removedBy === 'cli' ? 'system' : 'user',
        actorId: options.removedBy,
        action: 'user.role.revoke',
        subjectType: 'user',
        subjectId: row.user_id,
        organisationId: row.organisation_id,
        details: { role },
      });
    }
    return rows.map((row) => row.organisation_id).sort();
  });
}

/** The roles a user holds, as sessions carry them. */
export async function loadRoles(q: Queryable, userId: string): Promise<RoleGrant[]> {
  const { rows } = await q.query<{ role: string; organisation_id: string }>(
    'SELECT role, organisation_id FROM user_roles WHERE user_id = $1 ORDER BY role',
    [userId],
  );
  return rows.flatMap((row) =>
    isRole(row.role) ? [{ role: row.role, organisationId: row.organisation_id }] : [],
  );
}

/** How many users hold `role`: zero form administrators on a fresh install. */
export async function countUsersWithRole(q: Queryable, role: Role): Promise<number> {
  const { rows } = await q.query<{ count: string | number }>(
    'SELECT count(DISTINCT user_id) AS count FROM user_roles WHERE role = $1',
    [role],
  );
  return Number(rows[0]?.count ?? 0);
}

/** What the log says on start while no administrator exists. */
export const firstAdministratorHint =
  'No administrator yet. Create the first one with: npx formwork user add --email <you@your-organisation.gov.uk> --role form-administrator';

function invalid(message: string): AppError {
  return new AppError('ERR_AUTH_USER_INVALID', message, { userMessage: message });
}
