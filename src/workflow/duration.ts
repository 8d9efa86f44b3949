import { AppError } from '../errors/app-error.js';

const pattern = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** Milliseconds in an ISO 8601 duration of weeks, days, hours and minutes (`P14D`, `PT12H`). */
export function toDurationMs(duration: string): number {
  const match = pattern.exec(duration);
  if (!match) {
    throw new AppError('ERR_WORKFLOW_DEFINITION_INVALID', `"${duration}" is not a duration`);
  }
  const [, weeks, days, hours, minutes] = match.map((part: string | undefined) =>
    Number(part ?? 0),
  );
  return ((((weeks ?? 0) * 7 + (days ?? 0)) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60_000;
}
