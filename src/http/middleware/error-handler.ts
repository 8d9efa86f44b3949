import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, isAppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';
import { pino, type Logger } from 'pino';
import { toLoggedError } from '../../logging/to-logged-error.js';
import { routePatternOf } from './request-logger.js';

/**
 * Renders one page view (`views/pages/<view>.ejs`) inside the layout and sends it: the app's
 * page renderer. `viewModel.title` is the page title; its other fields are the view's locals.
 */
export type RenderPage = (
  req: Request,
  res: Response,
  view: string,
  viewModel: { title: string; errors?: readonly unknown[]; [key: string]: unknown },
) => void | Promise<void>;

/** Options for {@link createErrorHandler}. */
export interface ErrorHandlerOptions {
  renderPage: RenderPage;
  /** The app's logger; a request's own child logger (`req.log`) is used when there is one. */
  logger?: Logger;
}

/** The view model of `views/pages/error.ejs`. */
export interface ErrorPageViewModel {
  title: string;
  heading: string;
  message: string;
  /** The message as the page's paragraphs. */
  paragraphs: string[];
  showHomeLink: boolean;
  status: number;
  /** For a 5xx: the request id a person can quote, so the log line can be found. */
  requestId?: string;
}

// Errors from Express and its body readers carry a `type`; map them onto our codes.
const expressTypes: Record<string, ErrorCode> = {
  'entity.too.large': 'ERR_HTTP_BODY_TOO_LARGE',
  'entity.parse.failed': 'ERR_HTTP_BODY_MALFORMED',
  'entity.verify.failed': 'ERR_HTTP_BODY_MALFORMED',
  'request.aborted': 'ERR_HTTP_BODY_MALFORMED',
  'request.size.invalid': 'ERR_HTTP_BODY_MALFORMED',
  'stream.encoding.set': 'ERR_INTERNAL',
  'encoding.unsupported': 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
};
const statusCodes: Record<number, ErrorCode> = {
  400: 'ERR_HTTP_BODY_MALFORMED',
  401: 'ERR_AUTH_REQUIRED',
  403: 'ERR_AUTH_FORBIDDEN',
  404: 'ERR_HTTP_NOT_FOUND',
  413: 'ERR_HTTP_BODY_TOO_LARGE',
  415: 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
};

/** Turns anything thrown into an AppError; unknown faults become `ERR_INTERNAL`. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error !== null && typeof error === 'object') {
    const { type, status, statusCode } = error as {
      type?: unknown;
      status?: unknown;
      statusCode?: unknown;
    };
    const mapped =
      (typeof type === 'string' ? expressTypes[type] : undefined) ??
      statusCodes[
        typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 0
      ];
    if (mapped)
      return new AppError(mapped, `Express error ${String(type ?? status)}.`, { cause: error });
  }
  return new AppError('ERR_INTERNAL', 'Unexpected error.', { cause: error });
}

/** Headings of the error page by status. */
function headingFor(status: number): string {
  if (status === 404) return 'Page not found';
  if (status >= 500) return 'Sorry, there is a problem with the service';
  if (status === 401) return 'You need to sign in';
  if (status === 403) return 'You cannot do that';
  if (status === 413) return 'The request is too large';
  if (status === 429) return 'Too many attempts';
  return 'There is a problem';
}

/** The error page's text: GOV.UK's standard wording for 404 and 500 pages. */
function paragraphsFor(error: AppError): string[] {
  if (error.statusCode === 404) {
    return [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ];
  }
  if (error.code === 'ERR_INTERNAL') return ['Try again later.'];
  return [error.userMessage];
}

/** True for a path served as JSON (the API), where errors are JSON too. */
function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * The last middleware: answers an AppError with its status and user message, as a GOV.UK
 * error page for browser routes or `{ error: { code, message } }` for `/api/`. Anything else is
 * a 500 with a generic message. A 5xx is logged with its code, route pattern, request id and
 * the error's class, stack frames and redacted message ({@link toLoggedError}, with the
 * request's answers redacted too); the person sees only the request id. Never sends a stack
 * trace. A browser GET that needs sign-in is redirected to `/sign-in?return=…`.
 */
export function createErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  const appLogger = options.logger ?? pino({ level: 'silent' });
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    const status = appError.statusCode;
    const requestId = requestIdOf(req, res);
    const log = (req as { log?: Logger }).log ?? appLogger.child({ reqId: requestId });
    const logFailure = (failure: unknown, code: string) => {
      log.error(
        { code, status, route: routePatternOf(req), error: toLoggedError(failure, answersOf(req)) },
        'unexpected error',
      );
    };
    if (status >= 500) {
      logFailure(appError.code === 'ERR_INTERNAL' ? appError.cause : appError, appError.code);
    }
    if (res.headersSent) {
      // Too late for an error page; cut the response short rather than send half a page.
      res.destroy();
      return;
    }
    // Unread request bodies should not keep the connection busy (multipart closes its own).
    if ((status === 413 || status === 415) && res.locals.closesItself !== true) {
      res.setHeader('Connection', 'close');
    }
    if (status >= 500) res.setHeader('X-Request-Id', requestId);
    if (isApiPath(req.originalUrl)) {
      res.status(status).json({
        error: {
          code: appError.code,
          message: appError.userMessage,
          ...(status >= 500 ? { requestId } : {}),
        },
      });
      return;
    }
    if (appError.code === 'ERR_AUTH_REQUIRED' && req.method === 'GET') {
      res.redirect(303, `/sign-in?return=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    const viewModel: ErrorPageViewModel = {
      title: headingFor(status),
      heading: headingFor(status),
      message: appError.userMessage,
      paragraphs: paragraphsFor(appError),
      showHomeLink: status === 404 || status >= 500,
      status,
      ...(status >= 500 ? { requestId } : {}),
    };
    res.status(status);
    Promise.resolve()
      .then(() => options.renderPage(req, res, 'error', { ...viewModel }))
      .catch((renderError: unknown) => {
        logFailure(renderError, 'ERR_INTERNAL');
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res
          .status(status)
          .type('text/plain')
          .send(`${viewModel.heading}\n\n${viewModel.message}\n`);
      });
  };
}

/** Answers any request no route took with 404 `ERR_HTTP_NOT_FOUND`. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('ERR_HTTP_NOT_FOUND', 'No route matched.'));
};

/** {@link notFoundHandler}, as a factory like the other middleware. */
export function createNotFoundHandler(): RequestHandler {
  return notFoundHandler;
}

function requestIdOf(req: Request, res: Response): string {
  const local: unknown = res.locals.requestId;
  if (typeof local === 'string') return local;
  const header = req.get('x-request-id');
  if (header && /^[A-Za-z0-9._-]{1,64}$/.test(header)) return header;
  return randomUUID();
}

/** Every answer the request carried, so a message quoting one can have it removed. */
function answersOf(req: Request): string[] {
  const values: string[] = [];
  for (const list of req.formBody?.values() ?? []) values.push(...list);
  const stack: unknown[] = [req.body];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') values.push(item);
    else if (item !== null && typeof item === 'object')
      stack.push(...(Object.values(item) as unknown[]));
  }
  return values;
}
