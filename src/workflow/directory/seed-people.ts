import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addUser } from '../../auth/people.js';
import { coordinationUnitId, dfeId } from '../../auth/roles.js';
import type { Database } from '../../store/database.js';
import type { SecureHome } from './secure-home.js';

/** What {@link seedPeople} writes. */
export interface SeedPeopleOptions {
  /** `COORDINATOR_EMAILS`: each gets the coordinator role in the coordination unit. */
  coordinatorEmails: readonly string[];
  /** The homes directory: each home becomes an organisation, its contact its staff. */
  homes: readonly SecureHome[];
}

const localAuthoritiesFile = fileURLToPath(new URL('./local-authorities.json', import.meta.url));

/**
 * Seeds organisations (the coordination unit, DfE, the local authorities in
 * `local-authorities.json`, every home) and people (the coordinators, each home's contact as
 * home staff, unless a coordinator has edited the home since) at start. Idempotent: it only
 * adds, so the database stays the source of truth and a role granted or an organisation renamed
 * since is kept.
 */
export async function seedPeople(db: Database, options: SeedPeopleOptions): Promise<void> {
  const { localAuthorities } = JSON.parse(readFileSync(localAuthoritiesFile, 'utf8')) as {
    localAuthorities: { code: string; name: string }[];
  };
  await db.transaction(async (tx) => {
    const seed = async (id: string, kind: string, name: string, laCode: string | null) => {
      // Only insert: an administrator's later edit of the same organisation wins.
      await tx.query(
        `INSERT INTO organisations (id, kind, name, la_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [id, kind, name, laCode],
      );
    };
    await seed(coordinationUnitId, 'coordination-unit', 'Secure Welfare Coordination Unit', null);
    await seed(dfeId, 'dfe', 'Department for Education', null);
    for (const la of localAuthorities)
      await seed(`la-${la.code}`, 'local-authority', la.name, la.code);
    for (const home of options.homes) await seed(home.id, 'secure-home', home.name, null);
  });
  for (const email of options.coordinatorEmails) {
    await addUser(db, { email, role: 'coordinator', grantedBy: 'seed' });
  }
  // A home a coordinator has edited keeps the staff they gave it: the file no longer applies.
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM homes WHERE edited_by IS NOT NULL',
  );
  const edited = new Set(rows.map((row) => row.id));
  for (const home of options.homes) {
    if (edited.has(home.id)) continue;
    await addUser(db, {
      email: home.email,
      role: 'home-staff',
      organisation: home.id,
      grantedBy: 'seed',
    });
  }
}
