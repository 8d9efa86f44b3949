import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { verifyApiToken } from '../../auth/api-tokens.js';
import { AppError } from '../../errors/app-error.js';
import type { Queryable } from '../../store/database.js';

/** Options for {@link createApiAuthMiddleware}. */
export interface ApiAuthOptions {
  db: Queryable;
}

/**
 * Authenticates `/api` requests by `Authorization: Bearer <token>`: sets `req.apiToken`, or
 * answers 401 `ERR_AUTH_TOKEN_INVALID` with `WWW-Authenticate: Bearer` (through the error handler).
 */
export function createApiAuthMiddleware(options: ApiAuthOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1];
    const refuse = (why: string): void => {
      res.setHeader('WWW-Authenticate', 'Bearer realm="formwork"');
      next(new AppError('ERR_AUTH_TOKEN_INVALID', why));
    };
    if (token === undefined) {
      refuse('No bearer token.');
      return;
    }
    verifyApiToken(options.db, token).then((info) => {
      if (!info) {
        refuse('Unknown or revoked API token.');
        return;
      }
      req.apiToken = info;
      next();
    }, next);
  };
}
