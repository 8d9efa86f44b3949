import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; standard output when absent. */
  destination?: DestinationStream;
}

/**
 * Paths pino removes from every line, whatever a call site passes: credentials, and the places
 * personal data could ride along (answers, request bodies, emails).
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'email',
  '*.email',
  'data',
  '*.data',
  'answers',
  '*.answers',
  'body',
  '*.body',
  'token',
  '*.token',
];

/**
 * The process's one logger, made in the composition root and passed to what logs: JSON lines
 * at `level` (`LOG_LEVEL`), personal data removed by `redact` paths.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'formwork' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
