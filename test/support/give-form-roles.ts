import { createHash } from 'node:crypto';
import { addUser, upsertOrganisation } from '../../src/auth/people.js';
import { normaliseEmail } from '../../src/auth/sign-in-codes.js';
import type { Database } from '../../src/store/database.js';

/** The roles the shipped forms name in `roles`: the referral's and the census's. */
const formRoles = ['social-worker', 'hr-officer'] as const;

/**
 * Makes a person who holds no role yet a social worker and HR officer of a local authority of
 * their own (no LA code), so a journey may fill in the referral and census forms, while no
 * other person's referrals or any authority's census return open to them. Their home
 * organisation stays `default`, so what they submit is recorded as before. A person given a
 * role already (`app.addUser`) is left as they are.
 */
export async function giveFormRoles(db: Database, email: string): Promise<void> {
  const address = normaliseEmail(email);
  const { rows } = await db.query<{ count: string }>(
    `SELECT count(*) AS count FROM user_roles JOIN users ON users.id = user_roles.user_id
     WHERE users.email = $1`,
    [address],
  );
  if (Number(rows[0]?.count ?? 0) > 0) return;
  const id = `test-la-${createHash('sha256').update(address).digest('hex').slice(0, 12)}`;
  await upsertOrganisation(db, {
    id,
    kind: 'local-authority',
    name: `Test authority of ${address}`,
    laCode: null,
  });
  for (const role of formRoles) {
    await addUser(db, { email: address, role, organisation: id, grantedBy: 'seed' });
  }
  // Their home organisation stays `default`, as before: what they send is recorded as it was.
  await db.query(`UPDATE users SET organisation_id = 'default' WHERE email = $1`, [address]);
}
