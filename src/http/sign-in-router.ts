import { Router, type Request, type Response } from 'express';
import { toReturnPath } from '../auth/return-path.js';
import { createSignInCodes, type SignInCodes } from '../auth/sign-in-codes.js';
import { isAppError } from '../errors/app-error.js';
import { firstValue } from '../forms/form-body.js';
import type { Clock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import type { Database } from '../store/database.js';
import type { RenderPage } from './middleware/error-handler.js';
import { destroySession, keepSession, regenerateSession } from './middleware/session.js';
import type { Session } from './request-context.js';

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
}

const returnKey = 'signInReturn';
const messages = {
  emailMissing: 'Enter your email address',
  emailInvalid: 'Enter an email address in the correct format, like name@example.gov.uk',
  codeMissing: 'Enter the code from your email',
  codeWrong: 'The code is not correct or has expired',
};

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
  const router = Router();

  const renderEmailPage = (req: Request, res: Response, email: string, error?: string) =>
    options.renderPage(req, res, 'sign-in', {
      title: 'Sign in',
      errors: error ? [{ text: error, href: '#email' }] : [],
      email,
      emailError: error,
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
      if (!isAppError(error) || error.code !== 'ERR_AUTH_CODE_RATE_LIMITED') throw error;
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
    const user = await codes.verifyCode({ code, sessionIdHash: session.idHash });
    if (!user) {
      res.status(400);
      await renderCodePage(req, res, messages.codeWrong);
      return;
    }
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
      await codes.requestCode({
        email,
        sessionIdHash: session.idHash,
        allowedDomains: options.allowedDomainsFor(returnPathOf(session)),
      });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'ERR_AUTH_CODE_RATE_LIMITED') throw error;
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

  return router;
}

function requireSession(req: Request): Session {
  if (!req.session) throw new Error('The session middleware is not mounted before sign-in.');
  return req.session;
}

function returnPathOf(session: Session): string {
  return toReturnPath(session.data[returnKey]);
}
