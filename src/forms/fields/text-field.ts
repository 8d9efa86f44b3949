import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { toInputPurpose, type InputPurpose } from './input-purpose.js';

/** A one-line text answer: GOV.UK text input, typed by meaning (src/forms/fields/input-purpose.ts). */
export class TextField extends BaseField {
  readonly kind = 'text';
  readonly inputType: InputPurpose['type'];
  readonly purpose: InputPurpose;

  /** The fallback for any question no other type claims. */
  static matches(_options: FieldOptions): boolean {
    return true;
  }

  constructor(options: FieldOptions) {
    super(options);
    const purpose = toInputPurpose(options.pointer, options.schema);
    this.purpose =
      options.ui.autocomplete === 'email'
        ? { type: 'email', autocomplete: 'email', spellcheck: false }
        : purpose;
    this.inputType = this.purpose.type;
  }

  parse(body: FormBody): ParsedField {
    return { value: this.postedText(body) };
  }

  toComponent(state: FieldState): ComponentCall {
    const shown = typeof state.raw === 'string' ? state.raw : this.shownValue(state);
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
        autocomplete: this.ui.autocomplete ?? this.purpose.autocomplete,
        inputmode: this.purpose.inputmode,
        spellcheck: this.purpose.spellcheck,
        prefix: this.ui.prefix === undefined ? undefined : { text: this.ui.prefix },
        suffix: this.ui.suffix === undefined ? undefined : { text: this.ui.suffix },
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    return this.textSummary(typeof value === 'string' ? value : undefined);
  }
}
