import type { FieldError } from '../field-error.js';
import { toFieldId, toFieldName } from '../field-names.js';
import type { FormBody } from '../form-body.js';
import type {
  ComponentCall,
  Field,
  FieldOptions,
  FieldState,
  ParsedField,
  SchemaNode,
  SummaryRow,
  UiOptions,
} from '../field.js';
import { escapeHtml } from './escape-html.js';

/** Shown in a summary for a question left blank. */
export const notProvidedHtml = 'Not provided';

/** True when `path` is `pointer` or lies under it. */
export function isAtOrUnder(path: string, pointer: string): boolean {
  return path === pointer || path.startsWith(pointer + '/');
}

/** Drops keys whose value is undefined, so params match GOV.UK's macro options exactly. */
export function compact(params: Record<string, unknown>): Record<string, unknown> {
  // every component of every page goes through here: a loop, not entries and fromEntries
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (value === undefined) continue;
    if (key === '__proto__') {
      Object.defineProperty(result, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else result[key] = value;
  }
  return result;
}

/** The hint with the schema's `examples` of an answer after it: "For example, Alex or Sam." */
export function withExamples(hint: string | undefined, examples: unknown): string | undefined {
  const shown = (Array.isArray(examples) ? (examples as unknown[]) : [])
    .filter((entry) => typeof entry === 'string' || typeof entry === 'number')
    .map(String)
    .filter((entry) => entry !== '')
    .slice(0, 3);
  if (shown.length === 0) return hint;
  const sentence = `For example, ${shown.join(' or ')}.`;
  if (hint === undefined || hint.trim() === '') return sentence;
  return /[.!?:]$/.test(hint.trim()) ? `${hint.trim()} ${sentence}` : `${hint.trim()}. ${sentence}`;
}

/**
 * What every field type shares: names and ids derived from the pointer, labels for messages,
 * reading posted values, and error and summary helpers.
 */
export abstract class BaseField implements Field {
  abstract readonly kind: string;
  readonly pointer: string;
  readonly label: string;
  readonly name: string;
  readonly id: string;
  readonly href: string;
  readonly hint: string | undefined;
  readonly required: boolean;
  readonly schema: SchemaNode;
  readonly ui: UiOptions;
  protected readonly options: FieldOptions;

  constructor(options: FieldOptions) {
    this.options = options;
    this.pointer = options.pointer;
    this.label = options.label;
    this.name = toFieldName(options.pointer);
    this.id = toFieldId(options.pointer);
    this.href = '#' + this.id;
    this.hint = withExamples(options.hint, options.schema['examples']);
    this.required = options.required;
    this.schema = options.schema;
    this.ui = options.ui;
  }

  /** The label inside a sentence ("Select {label}"); acronyms such as "NHS number" keep their case. */
  get sentenceLabel(): string {
    if (/^[A-Z]{2}/.test(this.label)) return this.label;
    return this.label.charAt(0).toLowerCase() + this.label.slice(1);
  }

  /** The label starting a sentence ("{Label} must be a number"). */
  get headingLabel(): string {
    return this.label.charAt(0).toUpperCase() + this.label.slice(1);
  }

  abstract parse(body: FormBody): ParsedField;
  abstract toComponent(state: FieldState): ComponentCall;
  abstract toSummary(value: unknown, isShown?: (pointer: string) => boolean): SummaryRow[];

  /** Every value posted under `name` (a Map lookup, so hostile names are just data). */
  protected postedValues(body: FormBody, name = this.name): readonly string[] {
    const values = body.get(name);
    return Array.isArray(values) ? values.filter((value) => typeof value === 'string') : [];
  }

  /** The first value posted under `name`, trimmed; undefined when blank. */
  protected postedText(body: FormBody, name = this.name): string | undefined {
    const text = this.postedValues(body, name)[0]?.trim();
    return text === undefined || text === '' ? undefined : text;
  }

  /** An error of this field, linking to its default element. */
  protected fieldError(text: string, href = this.href): FieldError {
    return { path: this.pointer, href, text };
  }

  /** The inline error message for this field: the first error at its pointer (or under it). */
  protected errorMessage(
    state: FieldState,
    includeDescendants = false,
  ): { text: string } | undefined {
    const error = state.errors.find((candidate) =>
      includeDescendants
        ? isAtOrUnder(candidate.path, this.pointer)
        : candidate.path === this.pointer,
    );
    return error ? { text: error.text } : undefined;
  }

  protected hintParams(): { text: string } | undefined {
    return this.hint === undefined ? undefined : { text: this.hint };
  }

  /**
   * The answer to show: the one given, else the schema's `default` (a prefilled answer) while
   * nothing has been typed or refused here.
   */
  protected shownValue(state: FieldState): unknown {
    if (state.value !== undefined || state.raw !== undefined) return state.value;
    if (state.errors.some((error) => isAtOrUnder(error.path, this.pointer))) return undefined;
    return this.schema['default'];
  }

  /** The label as shown: an optional question says so, as the GOV.UK Design System does. */
  get shownLabel(): string {
    return this.required ? this.label : `${this.label} (optional)`;
  }

  protected labelParams(): { text: string; classes: string } {
    return { text: this.shownLabel, classes: 'govuk-label--s' };
  }

  protected fieldsetParams(): { legend: { text: string; classes: string } } {
    return { legend: { text: this.shownLabel, classes: 'govuk-fieldset__legend--s' } };
  }

  /** One summary row; `valueHtml` must already be escaped. */
  protected summaryRow(valueHtml: string | undefined): SummaryRow[] {
    return [{ pointer: this.pointer, key: this.label, valueHtml: valueHtml ?? notProvidedHtml }];
  }

  /** A summary row for a plain text answer. */
  protected textSummary(text: string | undefined): SummaryRow[] {
    return this.summaryRow(text === undefined || text === '' ? undefined : escapeHtml(text));
  }
}
