import type { Queryable } from '../store/database.js';

/**
 * True when the service knows `email` (normalised): a user (added, seeded from the homes
 * directory or the coordinators, or signed in before), or an address on one of `domains` (the
 * forms' allowed domains and `SIGN_IN_EMAIL_DOMAINS`). Codes are mailed only to these, so
 * anonymous sign-in cannot be used to mail arbitrary addresses.
 */
export async function isKnownAddress(
  db: Queryable,
  email: string,
  domains: readonly string[],
): Promise<boolean> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (domains.some((candidate) => candidate.toLowerCase() === domain)) return true;
  const { rows } = await db.query('SELECT 1 FROM users WHERE email = $1', [email]);
  return rows.length > 0;
}
