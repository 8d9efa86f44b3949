/**
 * A validation failure shown to a person, shaped for the GOV.UK error summary and inline
 * error message. Validation failures are data, not exceptions.
 */
export interface FieldError {
  /** JSON pointer of the answer, e.g. `/child/dateOfBirth`. */
  path: string;
  /** Where the error summary links: the field's id, or for a date the first wrong part. */
  href: string;
  /** The message, in GOV.UK style ("Enter the child's date of birth"). */
  text: string;
}
