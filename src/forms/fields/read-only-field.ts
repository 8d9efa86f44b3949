import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { formatDate } from './format-date.js';
import { schemaType } from './schema-type.js';

/**
 * A `readOnly` answer: shown as text on the page and in check your answers, its value the
 * schema's `const` or `default`, never taken from what the person posts.
 */
export class ReadOnlyField extends BaseField {
  readonly kind = 'read-only';

  static matches(options: FieldOptions): boolean {
    const type = schemaType(options.schema);
    return options.schema['readOnly'] === true && type !== 'object' && type !== 'array';
  }

  /** The value the schema gives: `const`, else `default`. */
  get fixedValue(): unknown {
    return 'const' in this.schema ? this.schema['const'] : this.schema['default'];
  }

  parse(_body: FormBody): ParsedField {
    return { value: this.fixedValue };
  }

  private text(value: unknown): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (typeof value === 'string') return formatDate(value) ?? value;
    return typeof value === 'number' ? String(value) : JSON.stringify(value);
  }

  toComponent(_state: FieldState): ComponentCall {
    const text = this.text(this.fixedValue);
    const hint =
      this.hint === undefined ? '' : `<br><span class="govuk-hint">${escapeHtml(this.hint)}</span>`;
    return {
      component: 'summary-list',
      params: {
        // the target of an error about it, though the schema's own value seldom has one
        attributes: { id: this.id },
        rows: [
          {
            key: { html: `${escapeHtml(this.label)}${hint}` },
            value: { text: text ?? 'Not provided' },
          },
        ],
      },
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    const text = this.text(value ?? this.fixedValue);
    return this.summaryRow(text === undefined ? undefined : escapeHtml(text));
  }
}
