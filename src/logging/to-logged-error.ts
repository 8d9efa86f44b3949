import { redactPersonalData } from './redact-personal-data.js';

/** An error as it is logged: class, redacted message, stack frames, and its cause the same way. */
export interface LoggedError {
  class: string;
  message: string;
  /** The stack's `at …` lines only: the stack's first line repeats the unredacted message. */
  stack: string[];
  code?: string;
  cause?: LoggedError;
}

const maxCauses = 5;

/**
 * What to log about an unexpected error: its class, its stack frames and its message passed
 * through {@link redactPersonalData} (with the request's answers as `known` values), for the
 * error and each of its causes.
 */
export function toLoggedError(
  error: unknown,
  known: Iterable<string> = [],
  depth = 0,
): LoggedError {
  const values = [...known];
  if (!(error instanceof Error)) {
    return { class: typeof error, message: redactPersonalData(String(error), values), stack: [] };
  }
  const code = (error as { code?: unknown }).code;
  const logged: LoggedError = {
    class: error.constructor.name || error.name,
    message: redactPersonalData(error.message, values),
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .map((line) => redactPersonalData(line.trim(), values)),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
  };
  if (error.cause !== undefined && depth < maxCauses) {
    logged.cause = toLoggedError(error.cause, values, depth + 1);
  }
  return logged;
}
