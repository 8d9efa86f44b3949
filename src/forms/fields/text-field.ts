import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';

/** A pattern that only admits digits and phone punctuation, such as `^\+?[0-9 ]{7,15}$`. */
function isTelPattern(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  const digits = /\\d|0-9/.test(pattern);
  const letters = /a-z|A-Z|\\w|\\p/.test(pattern);
  return digits && !letters;
}

/** A one-line text answer: GOV.UK text input, with email and telephone variants. */
export class TextField extends BaseField {
  readonly kind = 'text';
  readonly inputType: 'text' | 'email' | 'tel';

  /** The fallback for any question no other type claims. */
  static matches(_options: FieldOptions): boolean {
    return true;
  }

  constructor(options: FieldOptions) {
    super(options);
    const format = options.schema['format'];
    if (format === 'email' || options.ui.autocomplete === 'email') this.inputType = 'email';
    else if (format === 'tel' || isTelPattern(options.schema['pattern'])) this.inputType = 'tel';
    else this.inputType = 'text';
  }

  parse(body: FormBody): ParsedField {
    return { value: this.postedText(body) };
  }

  toComponent(state: FieldState): ComponentCall {
    const shown = typeof state.raw === 'string' ? state.raw : state.value;
    const autocomplete =
      this.ui.autocomplete ?? (this.inputType === 'text' ? undefined : this.inputType);
    return {
      component: 'input',
      params: compact({
        id: this.id,
        name: this.name,
        type: this.inputType === 'text' ? undefined : this.inputType,
        value: typeof shown === 'string' ? shown : undefined,
        label: this.labelParams(),
        hint: this.hintParams(),
        errorMessage: this.errorMessage(state),
        classes: this.ui.width === undefined ? undefined : `govuk-input--width-${this.ui.width}`,
        autocomplete,
        spellcheck: this.inputType === 'text' ? undefined : false,
        prefix: this.ui.prefix === undefined ? undefined : { text: this.ui.prefix },
        suffix: this.ui.suffix === undefined ? undefined : { text: this.ui.suffix },
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    return this.textSummary(typeof value === 'string' ? value : undefined);
  }
}
