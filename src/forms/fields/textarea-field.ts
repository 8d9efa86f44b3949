import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { schemaType } from './schema-type.js';

/** Longer than this, a string is asked for in a textarea. */
const longTextLength = 200;

/** A multi-line text answer: GOV.UK textarea, or a character count when it has a `maxLength`. */
export class TextareaField extends BaseField {
  readonly kind = 'textarea';
  readonly maxLength: number | undefined;

  static matches(options: FieldOptions): boolean {
    if (options.ui.widget === 'textarea') return true;
    if (options.ui.widget !== undefined) return false;
    const maxLength = options.schema['maxLength'];
    // an email, a URL or a date-time is one line however long it may be: only free text is long
    return (
      schemaType(options.schema) === 'string' &&
      options.schema['format'] === undefined &&
      !('pattern' in options.schema) &&
      typeof maxLength === 'number' &&
      maxLength > longTextLength
    );
  }

  constructor(options: FieldOptions) {
    super(options);
    const maxLength = options.schema['maxLength'];
    this.maxLength = typeof maxLength === 'number' && maxLength > 0 ? maxLength : undefined;
  }

  parse(body: FormBody): ParsedField {
    // Browsers post CRLF; counting LF keeps maxLength in step with the character count.
    const text = this.postedValues(body)[0]?.replace(/\r\n?/g, '\n').trim();
    return { value: text === undefined || text === '' ? undefined : text };
  }

  toComponent(state: FieldState): ComponentCall {
    const shown = typeof state.raw === 'string' ? state.raw : this.shownValue(state);
    const params = compact({
      id: this.id,
      name: this.name,
      rows: String(this.ui.rows ?? 5),
      value: typeof shown === 'string' ? shown : undefined,
      label: this.labelParams(),
      hint: this.hintParams(),
      errorMessage: this.errorMessage(state),
      autocomplete: this.ui.autocomplete,
      maxlength: this.maxLength === undefined ? undefined : String(this.maxLength),
    });
    return { component: this.maxLength === undefined ? 'textarea' : 'character-count', params };
  }

  toSummary(value: unknown): SummaryRow[] {
    if (typeof value !== 'string' || value === '') return this.summaryRow(undefined);
    return this.summaryRow(escapeHtml(value).replace(/\n/g, '<br>'));
  }
}
