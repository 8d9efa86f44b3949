/**
 * Thrown by a step for a failure no retry can fix (a missing form field, a home that does not
 * exist). The runner fails the step at once and flags it for a person.
 */
export class PermanentStepError extends Error {
  override readonly name = 'PermanentStepError';
}

/** True for a failure not worth retrying; by name too, because errors cross processes. */
export function isPermanentFailure(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'PermanentStepError' || error.name === 'UnrecoverableError')
  );
}
