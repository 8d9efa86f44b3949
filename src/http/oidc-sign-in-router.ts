import { Router, type Request, type Response } from 'express';
import { recordAudit } from '../auth/audit.js';
import { toReturnPath } from '../auth/return-path.js';
import { AppError, isAppError } from '../errors/app-error.js';
import type { Clock } from '../ports/clock.js';
import type { IdentityProvider, PendingSignIn } from '../ports/identity-provider.js';
import type { Database } from '../store/database.js';
import type { Logger } from 'pino';
import type { RenderPage } from './middleware/error-handler.js';
import { keepSession, regenerateSession } from './middleware/session.js';
import type { Session } from './request-context.js';
import { declareAccess, type RouteAccess } from './route-access.js';

/** Options for {@link createOidcSignInRouter}. */
export interface OidcSignInRouterOptions {
  db: Database;
  provider: IdentityProvider;
  /** `$PUBLIC_URL`: the callback URL the provider redirects to is built on it, not on Host. */
  publicUrl: string;
  clock: Clock;
  logger: Logger;
  renderPage: RenderPage;
}

/** Who may use each route (checked by the route × role test). */
export const oidcSignInAccess: readonly RouteAccess[] = [
  { method: 'POST', path: '/sign-in/oidc', allow: ['anyone'] },
  { method: 'GET', path: '/sign-in/oidc/callback', allow: ['anyone'] },
];

/**
 * OpenID Connect sign-in: `POST /sign-in/oidc` leaves for the provider, `GET
 * /sign-in/oidc/callback` comes back. The person is matched to a Formwork user by the email
 * the provider says it verified; nobody is created. Every failure (a wrong or missing state,
 * an expired or replayed code, an unknown person) is a plain page with a 4xx, never a 500.
 */
export function createOidcSignInRouter(options: OidcSignInRouterOptions): Router {
  const router = Router();

  router.post('/sign-in/oidc', async (req, res) => {
    const session = requireSession(req);
    const { url, pending } = await options.provider.start();
    session.data.oidcPending = pending;
    keepSession(req);
    res.redirect(303, url);
  });

  router.get('/sign-in/oidc/callback', async (req, res) => {
    const session = requireSession(req);
    const pending = toPending(session.data.oidcPending);
    // One use only: a second arrival with the same state (a replay) finds nothing.
    delete session.data.oidcPending;
    keepSession(req);
    if (!pending) {
      await refuse(req, res, 400, [
        'This sign-in was not started from this browser, or it has already been used.',
      ]);
      return;
    }
    let email: string;
    try {
      const identity = await options.provider.finish(
        new URL(req.originalUrl, `${options.publicUrl}/`),
        pending,
      );
      if (!identity.emailVerified) {
        await refuse(req, res, 403, [
          'Your organisation account does not confirm your email address, so it cannot be used to sign in to Formwork.',
          'Sign in with a code sent to your email instead.',
        ]);
        return;
      }
      email = identity.email;
    } catch (error) {
      if (!isAppError(error)) throw error;
      options.logger.warn(
        { code: error.code, reason: error.message },
        'OpenID Connect sign-in failed',
      );
      if (error.code === 'ERR_AUTH_OIDC_UNAVAILABLE') {
        await refuse(req, res, 503, [error.userMessage]);
        return;
      }
      await refuse(req, res, 400, [
        'Sign-in with your organisation account did not complete: it may have taken too long or been used already.',
      ]);
      return;
    }
    const now = options.clock.now();
    const { rows } = await options.db.query<{ id: string; email: string; organisation_id: string }>(
      `UPDATE users SET last_sign_in_at = $2 WHERE email = $1 RETURNING id, email, organisation_id`,
      [email, now],
    );
    const user = rows[0];
    if (!user) {
      await refuse(req, res, 403, [
        'There is no Formwork user with the email address your organisation account gave.',
        'Ask your Formwork administrator to add you, then sign in again.',
      ]);
      return;
    }
    await recordAudit(options.db, {
      actorType: 'user',
      actorId: user.id,
      action: 'sign-in',
      subjectType: 'user',
      subjectId: user.id,
      organisationId: user.organisation_id,
      details: { method: 'oidc' },
      at: now,
    });
    const returnPath = toReturnPath(session.data.signInReturn);
    session.user = { id: user.id, email: user.email, organisationId: user.organisation_id };
    delete session.data.signInReturn;
    await regenerateSession(req, res);
    res.redirect(303, returnPath);
  });

  const refuse = async (req: Request, res: Response, status: number, paragraphs: string[]) => {
    res.status(status);
    await options.renderPage(req, res, 'workflow-message', {
      title: 'You are not signed in',
      heading: 'You are not signed in',
      paragraphs,
      link: { href: '/sign-in', text: 'Sign in again' },
    });
  };

  return declareAccess(router, oidcSignInAccess);
}

function requireSession(req: Request): Session {
  if (!req.session) throw new AppError('ERR_INTERNAL', 'The session middleware is not mounted.');
  return req.session;
}

function toPending(value: unknown): PendingSignIn | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { state, nonce, codeVerifier } = value as Record<string, unknown>;
  return typeof state === 'string' && typeof nonce === 'string' && typeof codeVerifier === 'string'
    ? { state, nonce, codeVerifier }
    : undefined;
}
