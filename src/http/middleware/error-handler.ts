import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, isAppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';

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

/** Where unexpected errors are logged: one line, a code and a request id, no personal data. */
export type ErrorLogger = (entry: {
  level: 'error' | 'warn';
  code: string;
  requestId: string;
  status: number;
  errorName: string;
}) => void;

/** Options for {@link createErrorHandler}. */
export interface ErrorHandlerOptions {
  renderPage: RenderPage;
  logger?: ErrorLogger;
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
}

const defaultLogger: ErrorLogger = (entry) => {
  console.error(JSON.stringify({ msg: 'request failed', ...entry }));
};

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
 * a 500 with a generic message, logged with its code and a request id. Never sends a stack
 * trace. A browser GET that needs sign-in is redirected to `/sign-in?return=…`.
 */
export function createErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  const log = options.logger ?? defaultLogger;
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    const status = appError.statusCode;
    const requestId = requestIdOf(req, res);
    if (status >= 500) {
      log({
        level: 'error',
        code: appError.code,
        requestId,
        status,
        errorName: nameOf(appError.code === 'ERR_INTERNAL' ? appError.cause : appError),
      });
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
      res.status(status).json({ error: { code: appError.code, message: appError.userMessage } });
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
    };
    res.status(status);
    Promise.resolve()
      .then(() => options.renderPage(req, res, 'error', { ...viewModel }))
      .catch((renderError: unknown) => {
        log({
          level: 'error',
          code: 'ERR_INTERNAL',
          requestId,
          status: 500,
          errorName: nameOf(renderError),
        });
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

/** The error's class name only: messages can carry personal data. */
function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
