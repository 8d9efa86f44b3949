import type { FieldDescription } from './describe-field.js';

/** `{label}`: the title with its first letter lower-cased, unless it starts an acronym (NHS). */
export function lowerLabel(label: string): string {
  if (/^[A-Z][A-Z]/.test(label)) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** `{Label}`: the title with its first letter upper-cased. */
export function upperLabel(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

const selectKinds = new Set(['choice', 'boolean', 'checkboxes', 'document']);

/**
 * The GOV.UK Design System style message for one failed keyword on a question.
 * `params` are Ajv's error params.
 */
export function defaultMessage(
  keyword: string,
  params: Record<string, unknown>,
  field: FieldDescription,
): string {
  const label = lowerLabel(field.label);
  const Label = upperLabel(field.label);
  const select = selectKinds.has(field.kind);
  const limit = typeof params.limit === 'number' ? String(params.limit) : '';
  switch (keyword) {
    case 'required':
    case 'dependentRequired':
      return select ? `Select ${label}` : `Enter ${label}`;
    case 'type':
      if (field.kind === 'number') {
        return field.schema.type === 'integer'
          ? `${Label} must be a whole number`
          : `${Label} must be a number`;
      }
      return select ? `Select ${label}` : `Enter ${label}`;
    case 'format':
      if (field.kind === 'date') return `${Label} must be a real date`;
      if (field.kind === 'document') return `Select ${label}`;
      if (params.format === 'email') return 'Enter a valid email address, like name@example.org';
      return `Enter ${label} in the correct format`;
    case 'pattern':
      return `Enter ${label} in the correct format`;
    case 'maxLength':
      return `${Label} must be ${limit} characters or less`;
    case 'minLength':
      return `${Label} must be ${limit} characters or more`;
    case 'minimum':
      return `${Label} must be ${limit} or more`;
    case 'maximum':
      return `${Label} must be ${limit} or less`;
    case 'exclusiveMinimum':
      return `${Label} must be more than ${limit}`;
    case 'exclusiveMaximum':
      return `${Label} must be less than ${limit}`;
    case 'multipleOf':
      return `${Label} must be a multiple of ${String(params.multipleOf)}`;
    case 'past':
      return `${Label} must be in the past`;
    case 'future':
      return `${Label} must be in the future`;
    case 'ageUnder':
      return `${Label} must be less than ${String(field.schema.ageUnder)} years ago`;
    case 'ageAtLeast':
      return `${Label} must be at least ${String(field.schema.ageAtLeast)} years ago`;
    case 'minItems':
      if (field.kind === 'checkboxes') {
        return limit === '1' ? `Select ${label}` : `Select at least ${limit} options for ${label}`;
      }
      return `${Label} must have at least ${limit} ${limit === '1' ? 'entry' : 'entries'}`;
    case 'maxItems':
      if (field.kind === 'checkboxes') return `Select ${limit} or fewer options for ${label}`;
      return `${Label} must have ${limit} ${limit === '1' ? 'entry' : 'entries'} or fewer`;
    case 'uniqueItems':
      return `${Label} must not contain the same answer twice`;
    case 'additionalProperties':
      return `${Label} is not a question on this form`;
    case 'enum':
    case 'const':
    case 'oneOf':
    case 'anyOf':
      return select || field.kind === 'text' ? `Select ${label}` : `Enter a valid ${label}`;
    default:
      return `Enter a valid ${label}`;
  }
}
