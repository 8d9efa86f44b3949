import type { FieldError } from '../forms/field-error.js';

/** One error in a JSON API response (`422 { errors: [...] }`). */
export interface ApiError {
  path: string;
  message: string;
}

/** Field errors as the JSON API reports them. */
export function toApiErrors(errors: readonly FieldError[]): ApiError[] {
  return errors.map((error) => ({ path: error.path, message: error.text }));
}
