import { createHash, randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isRole, type RoleGrant } from '../../auth/roles.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { Queryable } from '../../store/database.js';
import type { Session, SessionUser } from '../request-context.js';

/** The session cookie's name. */
export const sessionCookieName = 'formwork.sid';

/** Options for {@link createSessionMiddleware}. */
export interface SessionOptions {
  db: Queryable;
  /** Adds `Secure` to the cookie (true behind HTTPS). */
  secureCookies: boolean;
  /** Idle time after which a session ends; each request slides it on. Default 8. */
  ttlHours?: number;
  /** The idle time in minutes; overrides `ttlHours` (config `SESSION_IDLE_MINUTES`). */
  idleMinutes?: number;
  /** A session ends this long after it began, however active (`SESSION_ABSOLUTE_HOURS`). Default 12. */
  absoluteHours?: number;
  clock?: Clock;
  /** Told when saving at the end of a response fails (the response still goes out). */
  onSaveError?: (error: unknown) => void;
}

interface SessionState {
  db: Queryable;
  clock: Clock;
  ttlMs: number;
  absoluteMs: number;
  secureCookies: boolean;
  /** The raw cookie value; only ever sent to the browser. */
  rawId: string;
  persisted: boolean;
  needed: boolean;
  /** A view read the CSRF token: keep the session if the response really carries it. */
  neededIfTokenSent: boolean;
  snapshot: string;
  expiresAt: Date | undefined;
  /** When the stored session began; undefined until it is first written. */
  createdAt: Date | undefined;
}

interface SessionRow {
  id_hash: string;
  csrf_token: string;
  data: Record<string, unknown> | null;
  expires_at: Date | string;
  created_at: Date | string;
  user_id: string | null;
  email: string | null;
  organisation_id: string | null;
  roles: RoleGrant[] | string | null;
}

const states = new WeakMap<Request, SessionState>();
// Refresh the stored expiry at most this often, so reading pages does not write on every hit.
const maxSlideEveryMs = 5 * 60 * 1000;

/** The sha256 (hex) of a raw session id: what the database keys sessions by. */
export function hashSessionId(rawId: string): string {
  return createHash('sha256').update(rawId).digest('hex');
}

/**
 * Loads the browser's session from the database into `req.session` (or starts a fresh one in
 * memory) and saves it when the response ends. A fresh session is written only when something
 * needs it: a change to it, {@link keepSession}, or a view reading `res.locals.csrfToken`.
 */
export function createSessionMiddleware(options: SessionOptions): RequestHandler {
  const clock = options.clock ?? systemClock;
  const ttlMs =
    options.idleMinutes === undefined
      ? (options.ttlHours ?? 8) * 3600 * 1000
      : options.idleMinutes * 60 * 1000;
  const absoluteMs = (options.absoluteHours ?? 12) * 3600 * 1000;
  return (req: Request, res: Response, next: NextFunction) => {
    const rawId = readCookie(req.headers.cookie, sessionCookieName);
    const load =
      rawId === undefined
        ? Promise.resolve(undefined)
        : loadSession(options.db, rawId, clock, absoluteMs);
    load
      .then((loaded) => {
        const state: SessionState = {
          db: options.db,
          clock,
          ttlMs,
          absoluteMs,
          secureCookies: options.secureCookies,
          rawId: loaded ? (rawId ?? newId()) : newId(),
          persisted: loaded !== undefined,
          needed: false,
          neededIfTokenSent: false,
          snapshot: '',
          expiresAt: loaded?.expiresAt,
          createdAt: loaded?.createdAt,
        };
        const session = loaded?.session ?? freshSession(state.rawId);
        state.snapshot = snapshotOf(session);
        req.session = session;
        states.set(req, state);
        hookEnd(req, res, options.onSaveError ?? logSaveError);
        next();
      })
      .catch(next);
  };
}

/** Marks the session as needed, so a fresh one is written and its cookie set. */
export function keepSession(req: Request): void {
  const state = states.get(req);
  if (state) state.needed = true;
}

/**
 * Keeps the session only if the response body sent with `res.end` contains its CSRF token, so a
 * renderer that always reads the token does not store sessions for pages without a form.
 */
export function keepSessionIfTokenSent(req: Request): void {
  const state = states.get(req);
  if (state) state.neededIfTokenSent = true;
}

/**
 * Writes the session now (when it changed, is needed, or is due a new expiry) and sets the
 * cookie if the headers are not sent yet. Called automatically when the response ends.
 */
export async function saveSession(req: Request, res?: Response): Promise<void> {
  const state = states.get(req);
  const session = req.session;
  if (!state || !session) return;
  const changed = snapshotOf(session) !== state.snapshot;
  const now = state.clock.now();
  if (!state.persisted && !changed && !state.needed) return;
  const slideEveryMs = Math.min(maxSlideEveryMs, state.ttlMs / 4);
  const createdAt = state.createdAt ?? now;
  // Idle expiry slides on; the absolute one is fixed when the session is first written.
  const expiresAt = new Date(
    Math.min(now.getTime() + state.ttlMs, createdAt.getTime() + state.absoluteMs),
  );
  const due =
    state.expiresAt === undefined || expiresAt.getTime() - state.expiresAt.getTime() > slideEveryMs;
  if (state.persisted && !changed && !due) return;
  await state.db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, data, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id_hash) DO UPDATE
       SET user_id = EXCLUDED.user_id, csrf_token = EXCLUDED.csrf_token,
           data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
    [
      session.idHash,
      session.user?.id ?? null,
      session.csrfToken,
      JSON.stringify(session.data),
      now,
      expiresAt,
    ],
  );
  const wasPersisted = state.persisted;
  state.persisted = true;
  state.snapshot = snapshotOf(session);
  state.expiresAt = expiresAt;
  state.createdAt = createdAt;
  if (res && !res.headersSent && (!wasPersisted || state.needed)) setCookie(res, state);
}

/**
 * Gives the session a new id and CSRF token, keeping its data, and deletes the old row: call
 * on sign-in so an id planted before sign-in is worthless after it.
 */
export async function regenerateSession(req: Request, res: Response): Promise<Session> {
  const state = requireState(req);
  const old = req.session;
  if (state.persisted && old) {
    await state.db.query('DELETE FROM sessions WHERE id_hash = $1', [old.idHash]);
  }
  state.rawId = newId();
  state.persisted = false;
  state.needed = true;
  // The new session's absolute lifetime starts now, at sign-in.
  state.createdAt = undefined;
  state.expiresAt = undefined;
  const session = freshSession(state.rawId);
  session.data = { ...(old?.data ?? {}) };
  session.user = old?.user;
  req.session = session;
  await saveSession(req, res);
  return session;
}

/** Ends the session: deletes its row, clears the cookie and starts an unsaved fresh one. */
export async function destroySession(req: Request, res: Response): Promise<void> {
  const state = requireState(req);
  if (req.session) {
    await state.db.query('DELETE FROM sessions WHERE id_hash = $1', [req.session.idHash]);
  }
  res.clearCookie(sessionCookieName, cookieOptions(state));
  state.rawId = newId();
  state.persisted = false;
  state.needed = false;
  state.neededIfTokenSent = false;
  state.expiresAt = undefined;
  state.createdAt = undefined;
  req.session = freshSession(state.rawId);
  state.snapshot = snapshotOf(req.session);
}

/**
 * Ends every session of a user, on every device ("sign out everywhere"); returns how many.
 * The caller's own session should then be ended with {@link destroySession}.
 */
export async function destroyUserSessions(db: Queryable, userId: string): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  return result.rowCount;
}

/** Deletes expired sessions; returns how many. For a periodic clean-up job. */
export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
  return result.rowCount;
}

function requireState(req: Request): SessionState {
  const state = states.get(req);
  if (!state) throw new Error('The session middleware is not mounted on this route.');
  return state;
}

function logSaveError(): void {
  // Without a handler there is nowhere to log to; the app always passes one (create-app).
}

function hookEnd(req: Request, res: Response, onSaveError: (error: unknown) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let saving = false;
  // Save before the response finishes so the cookie can still be set and a redirect sees the row.
  (res as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
    if (saving) return end(...args);
    saving = true;
    const state = states.get(req);
    const body = args[0];
    if (
      state?.neededIfTokenSent === true &&
      req.session &&
      (typeof body === 'string' || Buffer.isBuffer(body)) &&
      body.includes(req.session.csrfToken)
    ) {
      state.needed = true;
    }
    saveSession(req, res).then(
      () => end(...args),
      (error: unknown) => {
        onSaveError(error);
        end(...args);
      },
    );
    return res;
  };
}

async function loadSession(
  db: Queryable,
  rawId: string,
  clock: Clock,
  absoluteMs: number,
): Promise<{ session: Session; expiresAt: Date; createdAt: Date } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(rawId)) return undefined;
  const idHash = hashSessionId(rawId);
  const { rows } = await db.query<SessionRow>(
    `SELECT s.id_hash, s.csrf_token, s.data, s.expires_at, s.created_at, s.user_id, u.email,
       u.organisation_id,
       (SELECT coalesce(json_agg(json_build_object('role', r.role,
                 'organisationId', r.organisation_id) ORDER BY r.role, r.organisation_id), '[]')
          FROM user_roles r WHERE r.user_id = s.user_id) AS roles
       FROM sessions s LEFT JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1`,
    [idHash],
  );
  const row = rows[0];
  if (!row) return undefined;
  const expiresAt = new Date(row.expires_at);
  const createdAt = new Date(row.created_at);
  const now = clock.now().getTime();
  if (expiresAt.getTime() <= now || createdAt.getTime() + absoluteMs <= now) {
    await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    return undefined;
  }
  const user: SessionUser | undefined =
    row.user_id && row.email && row.organisation_id
      ? {
          id: row.user_id,
          email: row.email,
          organisationId: row.organisation_id,
          roles: toRoles(row.roles),
        }
      : undefined;
  return {
    session: { idHash, user, csrfToken: row.csrf_token, data: row.data ?? {} },
    expiresAt,
    createdAt,
  };
}

function toRoles(value: RoleGrant[] | string | null): RoleGrant[] {
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (grant): grant is RoleGrant =>
      typeof grant === 'object' &&
      grant !== null &&
      isRole((grant as { role?: unknown }).role) &&
      typeof (grant as { organisationId?: unknown }).organisationId === 'string',
  );
}

function freshSession(rawId: string): Session {
  return {
    idHash: hashSessionId(rawId),
    user: undefined,
    csrfToken: randomBytes(32).toString('base64url'),
    data: {},
  };
}

function snapshotOf(session: Session): string {
  return JSON.stringify([session.idHash, session.user?.id, session.csrfToken, session.data]);
}

function newId(): string {
  return randomBytes(32).toString('base64url');
}

function cookieOptions(state: SessionState): {
  httpOnly: true;
  sameSite: 'lax';
  path: '/';
  secure: boolean;
} {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: state.secureCookies };
}

function setCookie(res: Response, state: SessionState): void {
  // No Max-Age: a browser-session cookie; the server enforces the idle expiry.
  res.cookie(sessionCookieName, state.rawId, cookieOptions(state));
}

/** Reads one cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
