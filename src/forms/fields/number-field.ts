import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { schemaType } from './schema-type.js';

/** Longer input than this cannot be a sensible number, so it is not even looked at. */
const maxNumberLength = 40;
const numberPattern = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/;

/** The number `text` (spaces removed) is, or undefined; "1,000" reads as 1000. */
export function toNumberAnswer(text: string, integer: boolean): number | undefined {
  if (text.length > maxNumberLength || !numberPattern.test(text) || !/\d/.test(text)) {
    return undefined;
  }
  const value = Number(text.replace(/,/g, ''));
  if (!Number.isFinite(value)) return undefined;
  if (integer && !Number.isSafeInteger(value)) return undefined;
  return Object.is(value, -0) ? 0 : value;
}

/** A number answer: GOV.UK text input with a numeric keyboard; "1,000" reads as 1000. */
export class NumberField extends BaseField {
  readonly kind = 'number';
  readonly integer: boolean;

  static matches(options: FieldOptions): boolean {
    const type = schemaType(options.schema);
    return type === 'integer' || type === 'number';
  }

  constructor(options: FieldOptions) {
    super(options);
    this.integer = schemaType(options.schema) === 'integer';
  }

  parse(body: FormBody): ParsedField {
    const text = this.postedText(body);
    if (text === undefined) return { value: undefined };
    const value = this.toNumber(text.replace(/\s+/g, ''));
    if (value === undefined) {
      const what = this.integer ? 'a whole number' : 'a number';
      return {
        value: undefined,
        raw: text,
        error: this.fieldError(`${this.headingLabel} must be ${what}`),
      };
    }
    return { value };
  }

  private toNumber(text: string): number | undefined {
    return toNumberAnswer(text, this.integer);
  }

  toComponent(state: FieldState): ComponentCall {
    const shown =
      typeof state.raw === 'string'
        ? state.raw
        : typeof this.shownValue(state) === 'number'
          ? String(this.shownValue(state))
          : undefined;
    return {
      component: 'input',
      params: compact({
        id: this.id,
        name: this.name,
        inputmode: this.integer ? 'numeric' : 'decimal',
        spellcheck: false,
        value: shown,
        label: this.labelParams(),
        hint: this.hintParams(),
        errorMessage: this.errorMessage(state),
        classes: `govuk-input--width-${this.ui.width ?? 10}`,
        autocomplete: this.ui.autocomplete,
        prefix: this.ui.prefix === undefined ? undefined : { text: this.ui.prefix },
        suffix: this.ui.suffix === undefined ? undefined : { text: this.ui.suffix },
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    if (typeof value !== 'number') return this.summaryRow(undefined);
    const text = `${this.ui.prefix ?? ''}${value.toLocaleString('en-GB', { maximumFractionDigits: 20 })}${
      this.ui.suffix === undefined ? '' : ' ' + this.ui.suffix
    }`;
    return this.summaryRow(escapeHtml(text));
  }
}
