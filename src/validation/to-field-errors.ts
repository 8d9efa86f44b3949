import type { ErrorObject } from 'ajv';
import type { FieldError } from '../forms/field-error.js';
import { toFieldId, toPointer, toSegments } from '../forms/field-names.js';
import { defaultMessage } from './default-messages.js';
import type { FieldDescription } from './describe-field.js';
import { pickBranchErrors } from './pick-branch-errors.js';

/** What {@link toFieldErrors} needs from the form. */
export interface FieldErrorContext {
  /** The question at a concrete pointer (`/contacts/0/name`). */
  describe: (pointer: string) => FieldDescription;
  /** Orders pointers as their questions appear on the page; default: as given. */
  compare?: (a: string, b: string) => number;
}

// Lower is more useful to the person: say what is missing before what is malformed
const priority: Record<string, number> = {
  required: 0,
  dependentRequired: 0,
  type: 1,
  format: 2,
  enum: 3,
  const: 3,
  oneOf: 3,
  pattern: 4,
  minLength: 4,
  maxLength: 4,
  minimum: 5,
  maximum: 5,
  exclusiveMinimum: 5,
  exclusiveMaximum: 5,
  past: 6,
  future: 6,
  ageUnder: 6,
  ageAtLeast: 6,
};
// Wrapper errors that only repeat what a nested error says
const dropped = new Set(['if', 'then', 'else', 'allOf', 'dependentSchemas', 'not', 'contains']);

function parentOf(pointer: string): string {
  return toPointer(toSegments(pointer).slice(0, -1));
}

function errorPointer(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' || error.keyword === 'dependentRequired') {
    return error.instancePath + toPointer([String(params.missingProperty)]);
  }
  if (error.keyword === 'additionalProperties') {
    return error.instancePath + toPointer([String(params.additionalProperty)]);
  }
  return error.instancePath;
}

// A rule about the answers as a whole (no one question is wrong), in plain words
function wholeFormMessage(error: ErrorObject): string {
  if (error.keyword === 'oneOf') {
    return 'Your answers fit more than one of the options: answer the questions of one option only';
  }
  if (error.keyword === 'anyOf') return 'Answer the questions of at least one of the options';
  return 'Check your answers: together they do not meet the rules of this form';
}

/** The `href` of an error on a question: dates link to their day input. */
export function toErrorHref(pointer: string, field: FieldDescription): string {
  return '#' + toFieldId(pointer) + (field.kind === 'date' ? '-day' : '');
}

/**
 * Turns Ajv errors into GOV.UK field errors: one per question (the most useful), the text from
 * the question's `errorMessage[keyword]` or the GOV.UK default, in page order.
 */
export function toFieldErrors(
  errors: readonly ErrorObject[] | null | undefined,
  context: FieldErrorContext,
): FieldError[] {
  const best = new Map<string, { rank: number; error: ErrorObject; field: FieldDescription }>();
  for (const error of pickBranchErrors(errors ?? [])) {
    if (dropped.has(error.keyword)) continue;
    let pointer = errorPointer(error);
    let field = context.describe(pointer);
    let keyword = error.keyword;
    // An item of checkboxes or uploads is reported on the question that holds it
    if (pointer !== '') {
      const parent = parentOf(pointer);
      const parentField = parent === '' ? undefined : context.describe(parent);
      if (parentField && (parentField.kind === 'checkboxes' || parentField.kind === 'document')) {
        if (/^\d+$/.test(toSegments(pointer).at(-1) ?? '')) {
          pointer = parent;
          field = parentField;
          if (keyword !== 'format') keyword = 'enum';
        }
      }
    }
    const rank = priority[keyword] ?? 7;
    const current = best.get(pointer);
    if (!current || rank < current.rank) {
      best.set(pointer, { rank, error: { ...error, keyword }, field });
    }
  }
  const pointers = [...best.keys()];
  if (context.compare) pointers.sort(context.compare);
  return pointers.map((pointer) => {
    const { error, field } = best.get(pointer) as { error: ErrorObject; field: FieldDescription };
    const messages = field.schema.errorMessage as Record<string, string> | undefined;
    const custom =
      messages?.[error.keyword] ??
      (error.keyword === 'dependentRequired' ? messages?.required : undefined);
    return {
      path: pointer,
      href: toErrorHref(pointer, field),
      text:
        custom ??
        (pointer === ''
          ? wholeFormMessage(error)
          : defaultMessage(error.keyword, error.params as Record<string, unknown>, field)),
    };
  });
}
