import {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { verifyApiToken } from '../../auth/api-tokens.js';
import { AppError } from '../../errors/app-error.js';
import type { Queryable } from '../../store/database.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

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
    // already authenticated by the matched route's own check (see createApiAuthRouter)
    if (req.apiToken) {
      next();
      return;
    }
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

/**
 * The bearer-token check on each of the API's `routes`, before their bodies are read: run as
 * the matched route's handler, a refusal is logged with the route's pattern rather than
 * "unmatched". A path under `/api` that no route serves still needs mounting behind
 * {@link createApiAuthMiddleware}.
 */
export function createApiAuthRouter(
  options: ApiAuthOptions,
  routes: readonly RouteAccess[],
): Router {
  const authenticate = createApiAuthMiddleware(options);
  const router = Router();
  for (const route of routes) {
    const method = route.method.toLowerCase() as Lowercase<RouteAccess['method']>;
    router[method](route.path, authenticate);
  }
  return declareAccess(router, routes);
}
