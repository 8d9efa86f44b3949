import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The matched route pattern (`/forms/:formId/:draftId/:pageId`), never the URL with its ids.
 * A route declared with several paths (`['/respond/:token', '/homes/respond/:token']`) logs
 * the one the request matched.
 */
export function routePatternOf(req: IncomingMessage): string {
  const { baseUrl, originalUrl } = req as Request;
  const path = ((req as Request).route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${baseUrl}${path}`;
  if (!Array.isArray(path)) return 'unmatched';
  const patterns = path.filter((entry): entry is string => typeof entry === 'string');
  const pathname = (originalUrl || req.url || '').split('?')[0] ?? '';
  const matched = patterns.find((pattern) => isPatternOf(`${baseUrl}${pattern}`, pathname));
  return matched === undefined ? 'unmatched' : `${baseUrl}${matched}`;
}

/** True when `pathname` has the segments of `pattern` (`:name` stands for any one segment). */
function isPatternOf(pattern: string, pathname: string): boolean {
  const wanted = pattern.split('/');
  const given = pathname.replace(/\/$/, '').split('/');
  return (
    wanted.length === given.length &&
    wanted.every((segment, index) =>
      segment.startsWith(':') ? (given[index] ?? '') !== '' : segment === given[index],
    )
  );
}

/**
 * Logs one line per request with pino-http (method, route pattern, status, duration in ms,
 * request id) and gives each request its child logger (`req.log`, bound to `reqId`). The
 * request id comes from a well-formed `X-Request-Id` header or is made afresh; it is sent back
 * as `X-Request-Id` and kept in `res.locals.requestId` for the error pages.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  const middleware = pinoHttp({
    logger,
    quietReqLogger: true,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const header = req.headers['x-request-id'];
      const id =
        typeof header === 'string' && requestIdPattern.test(header) ? header : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // pino-http asks at the start too, before any route matched; the pattern is known once the
    // answer is under way, and asking only then keeps one `route` key per line.
    customProps: (req, res) => (res.headersSent ? { route: routePatternOf(req) } : {}),
    // Static files would drown the lines that matter.
    autoLogging: { ignore: (req) => req.url?.startsWith('/assets/') ?? false },
    serializers: {
      // Method only: the URL holds draft ids and references, the headers hold credentials.
      req: (req: { method?: string }) => ({ method: req.method }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
      // The error handler logs the real error, redacted; this one only says that it failed.
      err: (error: { name?: string }) => ({ class: error.name }),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  });
  return (req, res, next) => {
    middleware(req, res);
    res.locals.requestId = req.id;
    next();
  };
}
