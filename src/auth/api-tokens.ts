import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../store/database.js';

/** What an API token may do, as attached to `req.apiToken`. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  organisationId: string;
  /** The forms it may submit to; null means any. */
  formIds: string[] | null;
}

/** Options for {@link createApiToken}. */
export interface CreateApiTokenOptions {
  name: string;
  formIds?: string[];
  organisationId?: string;
}

const tokenPattern = /^fwk_[A-Za-z0-9_-]{43}$/;

/** The sha256 (hex) of a token: only this is stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates an API token and returns it once: `fwk_` + 32 random bytes (base64url). Only its
 * hash is stored, so a lost token cannot be shown again, only revoked and replaced.
 */
export async function createApiToken(
  db: Queryable,
  options: CreateApiTokenOptions,
): Promise<{ id: string; token: string }> {
  const name = options.name.trim();
  if (name === '' || name.length > 200) {
    throw new RangeError('An API token needs a name of 1 to 200 characters.');
  }
  const id = randomUUID();
  const token = `fwk_${randomBytes(32).toString('base64url')}`;
  await db.query(
    `INSERT INTO api_tokens (id, name, token_hash, organisation_id, form_ids)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      id,
      name,
      hashApiToken(token),
      options.organisationId ?? 'default',
      options.formIds === undefined ? null : JSON.stringify(options.formIds),
    ],
  );
  return { id, token };
}

/** The token's details when it exists and is not revoked; undefined otherwise. */
export async function verifyApiToken(
  db: Queryable,
  token: string,
): Promise<ApiTokenInfo | undefined> {
  if (!tokenPattern.test(token)) return undefined;
  const { rows } = await db.query<{
    id: string;
    name: string;
    organisation_id: string;
    form_ids: string[] | null;
  }>(
    `SELECT id, name, organisation_id, form_ids FROM api_tokens
      WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashApiToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    organisationId: row.organisation_id,
    formIds: row.form_ids,
  };
}

/** Revokes a token by id; returns false when there was no such live token. */
export async function revokeApiToken(db: Queryable, id: string, at = new Date()): Promise<boolean> {
  const result = await db.query(
    'UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL',
    [id, at],
  );
  return result.rowCount > 0;
}
