import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { recordAudit } from '../auth/audit.js';
import { isKnownAddress } from '../auth/known-addresses.js';
import { toReturnPath } from '../auth/return-path.js';
import { createSignInCodes, type SignInCodes } from '../auth/sign-in-codes.js';
import { createSignInLimits, deviceCookieName, type SignInLimits } from '../auth/sign-in-limits.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { firstValue } from '../forms/form-body.js';
import type { Clock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import type { Database } from '../store/database.js';
import type { RenderPage } from './middleware/error-handler.js';
import {
  destroySession,
  destroyUserSessions,
  keepSession,
  readCookie,
  regenerateSession,
} from './middleware/session.js';
import type { Session } from './request-context.js';
import { declareAccess, type RouteAccess } from './route-access.js';

/** Options for {@link createSignInRouter}. */
export interface SignInRouterOptions {
  db: Database;
  mailer: Mailer;
  /** Server secret the codes are HMACed with. */
  secret: string;
  clock?: Clock;
  renderPage: RenderPage;
  /** The email domains that may sign in to reach `returnPath`; undefined means any. */
  allowedDomainsFor: (returnPath: string) => readonly string[] | undefined;
  /** Overrides the code service built from `db`, `mailer`, `secret` and `clock`. */
  signInCodes?: SignInCodes;
  /**
   * Domains on which anyone may ask for a code when the return path names no form with its
   * own `allowedEmailDomains`; other addresses must belong to a known user. Default none.
   */
  knownDomains?: readonly string[];
  /** Overrides the rate limits built from `db` and `secret`. */
  limits?: SignInLimits;
  /** Adds `Secure` to the device cookie. */
  secureCookies?: boolean;
  /** The OpenID Connect provider's name for the second button ("Sign in with …"), when there is one. */
  oidcName?: string | undefined;
}

const returnKey = 'signInReturn';
const messages = {
  emailMissing: 'Enter your email address',
  emailInvalid: 'Enter an email address in the correct format, like name@example.gov.uk',
  codeMissing: 'Enter the code from your email',
  codeWrong: 'The code is not correct or has expired',
  tooManyWrongCodes:
    'Too many wrong codes were entered from your network. Wait 15 minutes and try again',
};

/** Who may use each route (checked by the route × role test). */
export const signInAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/sign-in', allow: ['anyone'] },
  { method: 'POST', path: '/sign-in', allow: ['anyone'] },
  { method: 'GET', path: '/sign-in/code', allow: ['anyone'] },
  { method: 'POST', path: '/sign-in/code', allow: ['anyone'] },
  { method: 'GET', path: '/sign-in/new-code', allow: ['anyone'] },
  { method: 'POST', path: '/sign-in/new-code', allow: ['anyone'] },
  { method: 'POST', path: '/sign-out', allow: ['anyone'] },
  { method: 'POST', path: '/sign-out/everywhere', allow: ['anyone'] },
];

/**
 * Sign-in by one-time code: `GET/POST /sign-in` (email), `GET/POST /sign-in/code` (code),
 * `GET/POST /sign-in/new-code` and `POST /sign-out`. Mount after the session, body and CSRF
 * middleware. On success the session id is rotated and the browser goes back to the
 * `?return=` path given to `GET /sign-in` (same-site paths only, else `/`).
 */
export function createSignInRouter(options: SignInRouterOptions): Router {
  const codes =
    options.signInCodes ??
    createSignInCodes({
      db: options.db,
      mailer: options.mailer,
      secret: options.secret,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  const limits = options.limits ?? createSignInLimits({ db: options.db, secret: options.secret });
  const knownDomains = options.knownDomains ?? [];
  const router = Router();

  /** Runs before a code is stored or mailed: the address must be known, the limits not hit. */
  const beforeSend =
    (req: Request, formDomains: readonly string[] | undefined) => async (email: string) => {
      if (!formDomains && !(await isKnownAddress(options.db, email, knownDomains))) {
        throw new AppError('ERR_AUTH_ADDRESS_UNKNOWN', 'unknown address', {
          userMessage:
            'You cannot sign in with this email address. Use your work email address, or ask your Formwork administrator to add you',
        });
      }
      await limits.consumeSend(email, {
        ip: req.ip ?? 'unknown',
        deviceCookie: readCookie(req.headers.cookie, deviceCookieName),
      });
    };

  const renderEmailPage = (req: Request, res: Response, email: string, error?: string) =>
    options.renderPage(req, res, 'sign-in', {
      title: 'Sign in',
      errors: error ? [{ text: error, href: '#email' }] : [],
      email,
      emailError: error,
      oidcName: options.oidcName,
    });
  const renderCodePage = (req: Request, res: Response, error?: string) =>
    options.renderPage(req, res, 'sign-in-code', {
      title: 'Check your email',
      errors: error ? [{ text: error, href: '#code' }] : [],
      codeError: error,
    });
  const renderNewCodePage = (req: Request, res: Response, canResend: boolean, error?: string) =>
    options.renderPage(req, res, 'sign-in-new-code', {
      title: 'Send a new code',
      errors: error ? [{ text: error, href: '#main-content' }] : [],
      canResend,
    });

  router.get('/sign-in', async (req, res) => {
    const session = requireSession(req);
    const returnPath = toReturnPath(req.query.return);
    if (session.user) {
      res.redirect(303, returnPath);
      return;
    }
    session.data[returnKey] = returnPath;
    await renderEmailPage(req, res, '');
  });

  router.post('/sign-in', async (req, res) => {
    const session = requireSession(req);
    keepSession(req);
    const email = (req.formBody && firstValue(req.formBody, 'email'))?.trim() ?? '';
    if (email === '') {
      res.status(400);
      await renderEmailPage(req, res, email, messages.emailMissing);
      return;
    }
    const allowedDomains = options.allowedDomainsFor(returnPathOf(session));
    try {
      const result = await codes.requestCode({
        email,
        sessionIdHash: session.idHash,
        allowedDomains,
        beforeSend: beforeSend(req, allowedDomains),
      });
      if (!result.ok) {
        res.status(400);
        const message =
          result.problem === 'email-invalid'
            ? messages.emailInvalid
            : `You cannot sign in with this email address. Use a work email address ending in ${(allowedDomains ?? []).map((d) => `@${d}`).join(' or ')}`;
        await renderEmailPage(req, res, email, message);
        return;
      }
    } catch (error) {
      if (!isSignInRefusal(error)) throw error;
      res.status(error.statusCode);
      await renderEmailPage(req, res, email, error.userMessage);
      return;
    }
    res.redirect(303, '/sign-in/code');
  });

  router.get('/sign-in/code', async (req, res) => {
    const session = requireSession(req);
    if ((await codes.lastEmailFor(session.idHash)) === undefined) {
      res.redirect(303, '/sign-in');
      return;
    }
    await renderCodePage(req, res);
  });

  router.post('/sign-in/code', async (req, res) => {
    const session = requireSession(req);
    const code = (req.formBody && firstValue(req.formBody, 'code'))?.trim() ?? '';
    if (code === '') {
      res.status(400);
      await renderCodePage(req, res, messages.codeMissing);
      return;
    }
    const ip = req.ip ?? 'unknown';
    if (!(await limits.mayTryCode(ip))) {
      res.status(429);
      await renderCodePage(req, res, messages.tooManyWrongCodes);
      return;
    }
    const user = await codes.verifyCode({ code, sessionIdHash: session.idHash });
    if (!user) {
      await limits.consumeWrongCode(ip).catch(() => undefined);
      res.status(400);
      await renderCodePage(req, res, messages.codeWrong);
      return;
    }
    // This browser now has its own code budget for this address (see sign-in-limits.ts).
    res.cookie(deviceCookieName, limits.deviceCookieFor(user.email, randomUUID()), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/sign-in',
      secure: options.secureCookies ?? false,
      maxAge: 365 * 24 * 3600 * 1000,
    });
    const returnPath = returnPathOf(session);
    session.user = user;
    delete session.data.signInReturn;
    await regenerateSession(req, res);
    res.redirect(303, returnPath);
  });

  router.get('/sign-in/new-code', async (req, res) => {
    const session = requireSession(req);
    const canResend = (await codes.lastEmailFor(session.idHash)) !== undefined;
    await renderNewCodePage(req, res, canResend);
  });

  router.post('/sign-in/new-code', async (req, res) => {
    const session = requireSession(req);
    const email = await codes.lastEmailFor(session.idHash);
    if (email === undefined) {
      res.redirect(303, '/sign-in');
      return;
    }
    try {
      const allowedDomains = options.allowedDomainsFor(returnPathOf(session));
      await codes.requestCode({
        email,
        sessionIdHash: session.idHash,
        allowedDomains,
        beforeSend: beforeSend(req, allowedDomains),
      });
    } catch (error) {
      if (!isSignInRefusal(error)) throw error;
      res.status(error.statusCode);
      await renderNewCodePage(req, res, false, error.userMessage);
      return;
    }
    res.redirect(303, '/sign-in/code');
  });

  router.post('/sign-out', async (req, res) => {
    await destroySession(req, res);
    res.redirect(303, '/');
  });

  // Ends every session of this user, on every device: for a lost laptop or a shared computer.
  router.post('/sign-out/everywhere', async (req, res) => {
    const user = requireSession(req).user;
    if (user) {
      const ended = await destroyUserSessions(options.db, user.id);
      await recordAudit(options.db, {
        actorType: 'user',
        actorId: user.id,
        action: 'sign-out.everywhere',
        subjectType: 'user',
        subjectId: user.id,
        organisationId: user.organisationId,
        details: { sessions: ended },
      });
    }
    await destroySession(req, res);
    res.redirect(303, '/');
  });

  return declareAccess(router, signInAccess);
}

function requireSession(req: Request): Session {
  if (!req.session) throw new Error('The session middleware is not mounted before sign-in.');
  return req.session;
}

function isSignInRefusal(error: unknown): error is AppError {
  return (
    isAppError(error) &&
    (error.code === 'ERR_AUTH_CODE_RATE_LIMITED' || error.code === 'ERR_AUTH_ADDRESS_UNKNOWN')
  );
}

function returnPathOf(session: Session): string {
  return toReturnPath(session.data[returnKey]);
}
