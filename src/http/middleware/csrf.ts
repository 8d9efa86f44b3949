import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { firstValue } from '../../forms/form-body.js';
import { keepSessionIfTokenSent } from './session.js';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Synchronizer-token CSRF protection. Mount after the session and body middleware. Exposes
 * `res.locals.csrfToken` for views (a page that sends it keeps the session, so the token survives), and
 * refuses any POST/PUT/PATCH/DELETE whose `_csrf` field or `X-CSRF-Token` header does not match
 * the session's token with 403 `ERR_HTTP_CSRF`. `/api/` requests carrying a bearer token are
 * exempt: they are not cookie-authenticated.
 */
export function createCsrfMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const session = req.session;
    if (session) {
      Object.defineProperty(res.locals, 'csrfToken', {
        configurable: true,
        enumerable: true,
        get: () => {
          keepSessionIfTokenSent(req);
          return req.session?.csrfToken;
        },
      });
    }
    if (!unsafeMethods.has(req.method) || isBearerApiRequest(req)) {
      next();
      return;
    }
    const sent = (req.formBody && firstValue(req.formBody, '_csrf')) ?? req.get('x-csrf-token');
    if (session === undefined || sent === undefined || !tokensMatch(sent, session.csrfToken)) {
      next(new AppError('ERR_HTTP_CSRF', 'CSRF token missing or not valid.'));
      return;
    }
    next();
  };
}

/** True for an `/api/` request that authenticates with `Authorization: Bearer`. */
function isBearerApiRequest(req: Request): boolean {
  return (
    req.apiToken !== undefined ||
    (isApiPath(req.originalUrl) && /^Bearer\s/i.test(req.get('authorization') ?? ''))
  );
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Constant-time comparison that also hides the length of the expected token. */
export function tokensMatch(sent: string, expected: string): boolean {
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
