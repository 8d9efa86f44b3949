import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { AppError } from '../errors/app-error.js';
import type { SessionUser } from '../http/request-context.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import type { Database } from '../store/database.js';
import { recordAudit } from './audit.js';

/** Options for {@link createSignInCodes}. */
export interface SignInCodesOptions {
  db: Database;
  mailer: Mailer;
  /** Server secret the codes are HMACed with (config `keys.sessionSecret`). */
  secret: string;
  clock?: Clock;
  /** The email body template. Default `views/emails/sign-in-code.txt.ejs`. */
  templatePath?: string;
}

/** Why a code was not sent, when the email itself is the problem. */
export type RequestCodeProblem = 'email-invalid' | 'domain-not-allowed';

/** Sends and checks one-time sign-in codes. */
export interface SignInCodes {
  /**
   * Emails a new 6-digit code for `email` (trimmed, lower-cased) tied to this browser session.
   * Returns a problem for an invalid email or a domain not in `allowedDomains` (absent: any);
   * throws `ERR_AUTH_CODE_RATE_LIMITED` after 5 codes in 15 minutes for this session. Limits
   * per address and per client are the caller's, in `beforeSend` (see sign-in-limits.ts): a
   * per-address limit here would let anyone lock the owner out.
   */
  requestCode(request: {
    email: string;
    sessionIdHash: string;
    allowedDomains?: readonly string[] | undefined;
    /** Runs after the address is checked and before anything is stored or sent; may throw. */
    beforeSend?: (email: string) => Promise<void>;
  }): Promise<{ ok: true; email: string } | { ok: false; problem: RequestCodeProblem }>;
  /**
   * Checks a code against the live code sent to this session (and `email`, when given).
   * Single use, at most 5 attempts per code. On success finds or creates the user, records a
   * `sign-in` audit event and returns the user; otherwise undefined.
   */
  verifyCode(request: {
    email?: string | undefined;
    code: string;
    sessionIdHash: string;
  }): Promise<SessionUser | undefined>;
  /** The email the newest code for this session went to (for "send a new code"). */
  lastEmailFor(sessionIdHash: string): Promise<string | undefined>;
}

/** How long a code lives, and the rate-limit window. */
export const codeLifetimeMinutes = 15;
/** Codes per session in the window; wrong guesses per code. */
export const maxCodesPerWindow = 5;
export const maxAttemptsPerCode = 5;
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const defaultTemplatePath = fileURLToPath(
  new URL('../../views/emails/sign-in-code.txt.ejs', import.meta.url),
);

/** Normalises an email address for sign-in: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Builds the sign-in code service over the database and the mailer. */
export function createSignInCodes(options: SignInCodesOptions): SignInCodes {
  const { db, mailer, secret } = options;
  const clock = options.clock ?? systemClock;
  const templatePath = options.templatePath ?? defaultTemplatePath;
  const hmac = (id: string, code: string): Buffer =>
    createHmac('sha256', secret).update(`${id}:${code}`).digest();

  return {
    async requestCode({ email: rawEmail, sessionIdHash, allowedDomains, beforeSend }) {
      const email = normaliseEmail(rawEmail);
      if (email.length > 254 || !emailPattern.test(email)) {
        return { ok: false, problem: 'email-invalid' };
      }
      const domain = email.slice(email.lastIndexOf('@') + 1);
      if (allowedDomains && !allowedDomains.some((d) => d.toLowerCase() === domain)) {
        return { ok: false, problem: 'domain-not-allowed' };
      }
      if (beforeSend) await beforeSend(email);
      const now = clock.now();
      const windowStart = new Date(now.getTime() - codeLifetimeMinutes * 60_000);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const id = randomUUID();
      await db.transaction(async (tx) => {
        // Serialise requests for one session so parallel posts cannot beat the limit.
        await tx.query('SELECT pg_advisory_xact_lock(2, hashtext($1))', [sessionIdHash]);
        const { rows } = await tx.query<{ by_session: number }>(
          `SELECT count(*)::int AS by_session FROM sign_in_codes
            WHERE session_id_hash = $1 AND created_at > $2`,
          [sessionIdHash, windowStart],
        );
        const counts = rows[0];
        if (counts && counts.by_session >= maxCodesPerWindow) {
          throw new AppError('ERR_AUTH_CODE_RATE_LIMITED', 'Too many sign-in codes requested.');
        }
        // Only the newest code for a session works: "send a new code" retires the old ones.
        await tx.query(
          `UPDATE sign_in_codes SET expires_at = $2
            WHERE session_id_hash = $1 AND used_at IS NULL AND expires_at > $2`,
          [sessionIdHash, now],
        );
        await tx.query(
          `INSERT INTO sign_in_codes (id, email, session_id_hash, code_hash, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            id,
            email,
            sessionIdHash,
            hmac(id, code).toString('hex'),
            now,
            new Date(now.getTime() + codeLifetimeMinutes * 60_000),
          ],
        );
      });
      const text = await ejs.renderFile(templatePath, {
        code,
        expiresInMinutes: codeLifetimeMinutes,
      });
      await mailer.send({ to: email, subject: 'Your Formwork sign-in code', text });
      return { ok: true, email };
    },

    async verifyCode({ email, code, sessionIdHash }) {
      const now = clock.now();
      const candidate = code.replace(/\s+/g, '');
      return db.transaction(async (tx) => {
        const params: unknown[] = [sessionIdHash, now];
        if (email !== undefined) params.push(normaliseEmail(email));
        const { rows } = await tx.query<{ id: string; email: string; code_hash: string }>(
          `UPDATE sign_in_codes SET attempts = attempts + 1
            WHERE id = (SELECT id FROM sign_in_codes
                         WHERE session_id_hash = $1 ${email === undefined ? '' : 'AND email = $3'}
                           AND used_at IS NULL AND expires_at > $2
                         ORDER BY created_at DESC LIMIT 1)
              AND attempts < ${maxAttemptsPerCode}
            RETURNING id, email, code_hash`,
          params,
        );
        const row = rows[0];
        if (!row) return undefined;
        const expected = Buffer.from(row.code_hash, 'hex');
        const sent = /^\d{6}$/.test(candidate) ? hmac(row.id, candidate) : Buffer.alloc(32);
        if (expected.length !== sent.length || !timingSafeEqual(expected, sent)) return undefined;
        const used = await tx.query(
          'UPDATE sign_in_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL',
          [row.id, now],
        );
        if (used.rowCount === 0) return undefined;
        const users = await tx.query<{ id: string; email: string; organisation_id: string }>(
          `INSERT INTO users (id, email, created_at, last_sign_in_at) VALUES ($1, $2, $3, $3)
           ON CONFLICT (email) DO UPDATE SET last_sign_in_at = EXCLUDED.last_sign_in_at
           RETURNING id, email, organisation_id`,
          [randomUUID(), row.email, now],
        );
        const user = users.rows[0];
        if (!user) throw new AppError('ERR_INTERNAL', 'User upsert returned no row.');
        await recordAudit(tx, {
          actorType: 'user',
          actorId: user.id,
          action: 'sign-in',
          subjectType: 'user',
          subjectId: user.id,
          organisationId: user.organisation_id,
          at: now,
        });
        return { id: user.id, email: user.email, organisationId: user.organisation_id };
      });
    },

    async lastEmailFor(sessionIdHash) {
      const { rows } = await db.query<{ email: string }>(
        `SELECT email FROM sign_in_codes WHERE session_id_hash = $1
          ORDER BY created_at DESC, expires_at DESC LIMIT 1`,
        [sessionIdHash],
      );
      return rows[0]?.email;
    },
  };
}
