import { errorCodes, type ErrorCode } from './error-codes.js';

/** Options for {@link AppError}. */
export interface AppErrorOptions {
  /** Overrides the registry's text shown to a person. */
  userMessage?: string;
  cause?: unknown;
  /** Extra data safe to show to the caller (never personal data). */
  details?: Record<string, unknown>;
}

/**
 * A fault with a code from the registry. `message` is for logs; `userMessage` is what a person
 * or API client sees. Recognised by `name` as well as `instanceof` because errors cross
 * process boundaries (jobs, workers).
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly userMessage: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = errorCodes[code].status;
    this.userMessage = options.userMessage ?? errorCodes[code].userMessage;
    this.details = options.details;
  }
}

/** True for an AppError, including one rebuilt from another process. */
export function isAppError(value: unknown): value is AppError {
  return (
    value instanceof AppError ||
    (value instanceof Error && value.name === 'AppError' && 'code' in value)
  );
}
