import type { FieldError } from '../field-error.js';
import type { FormBody } from '../form-body.js';
import type {
  ComponentCall,
  Field,
  FieldOptions,
  FieldState,
  ParsedField,
  SchemaNode,
  SummaryRow,
} from '../field.js';
import { isFreeAnswer } from '../schema-index.js';
import { BaseField, isAtOrUnder } from './base-field.js';
import { toAddAnotherFieldset } from './add-another-fieldset.js';
import { escapeHtml } from './escape-html.js';
import { toItemLabel } from './item-label.js';
import { toChildOptions } from './object-properties.js';
import { addActionPrefix, postedRows, removeActionPrefix, rowActionFor } from './row-actions.js';
import { isSchemaNode, schemaType } from './schema-type.js';

/**
 * A list of free answers (`"items": { "type": "string" }`): one input per entry, a "Remove"
 * button beside each and an "Add another" button, all submitting the page, so it works without
 * JavaScript. Entries left blank are dropped.
 */
export class ListField extends BaseField {
  readonly kind = 'list';
  readonly itemSchema: SchemaNode;
  readonly minItems: number;
  private readonly rows = new Map<number, Field>();

  static matches(options: FieldOptions): boolean {
    const items = options.schema['items'];
    return (
      schemaType(options.schema) === 'array' &&
      isSchemaNode(items) &&
      isFreeAnswer(options.resolve(items))
    );
  }

  constructor(options: FieldOptions) {
    super(options);
    const items = options.schema['items'];
    this.itemSchema = isSchemaNode(items) ? options.resolve(items) : { type: 'string' };
    const minItems = options.schema['minItems'];
    this.minItems = typeof minItems === 'number' && minItems > 0 ? Math.floor(minItems) : 0;
  }

  /** The field of the entry at `index` (pointer `/tags/2`). */
  rowField(index: number): Field {
    let field = this.rows.get(index);
    if (field === undefined) {
      const label = toItemLabel(this.label, this.itemSchema, index);
      field = this.options.createChild(
        toChildOptions(this.options, String(index), this.itemSchema, true, label),
      );
      this.rows.set(index, field);
    }
    return field;
  }

  get children(): readonly Field[] {
    return [this.rowField(0)];
  }

  /**
   * Reads entries by row (`tags.0`, `tags.3`…), drops blank and removed ones and renumbers the
   * rest from 0. What was typed comes back as `raw` when the page is shown again (a row added or
   * removed, or an entry that could not be read), one string per row.
   */
  parse(body: FormBody): ParsedField {
    const action = rowActionFor(body, this.pointer);
    const values: unknown[] = [];
    const rows: string[] = [];
    let error: FieldError | undefined;
    for (const row of postedRows(body, this.name + '.', true)) {
      if (row === action.remove) continue;
      const text = body.get(`${this.name}.${String(row)}`)?.[0]?.trim() ?? '';
      if (text === '') continue;
      const position = values.length;
      const parsed = this.rowField(position).parse(
        new Map([[`${this.name}.${String(position)}`, [text]]]),
      );
      // an entry that could not be read keeps its place, so errors point at the right row
      values.push(parsed.value ?? text);
      rows.push(text);
      error ??= parsed.error;
    }
    const showAgain = action.add || action.remove !== undefined || error !== undefined;
    if (action.add) rows.push('');
    return {
      value: values.length > 0 ? values : undefined,
      ...(showAgain ? { raw: rows } : {}),
      ...(error ? { error } : {}),
    };
  }

  toComponent(state: FieldState): ComponentCall {
    const rows: string[] = Array.isArray(state.raw)
      ? (state.raw as unknown[]).map((row) => (typeof row === 'string' ? row : ''))
      : (Array.isArray(state.value) ? (state.value as unknown[]) : []).map((entry) =>
          typeof entry === 'string' || typeof entry === 'number' ? String(entry) : '',
        );
    while (rows.length < Math.max(this.minItems, 1)) rows.push('');
    const ownError = state.errors.find((error) => error.path === this.pointer);
    const rowsHtml = rows
      .map((text, index) => {
        const field = this.rowField(index);
        const input = state.render(
          field.toComponent({
            value: undefined,
            raw: text,
            errors: state.errors.filter((error) => isAtOrUnder(error.path, field.pointer)),
            render: state.render,
          }),
        );
        const remove =
          rows.length > 1
            ? state.render({
                component: 'button',
                params: {
                  html: `Remove<span class="govuk-visually-hidden"> ${escapeHtml(field.label.toLowerCase())}</span>`,
                  name: '_action',
                  value: `${removeActionPrefix}${this.pointer}/${String(index)}`,
                  classes: 'govuk-button--secondary govuk-!-margin-bottom-4',
                },
              })
            : '';
        return input + remove;
      })
      .join('\n');
    return toAddAnotherFieldset({
      id: this.id,
      legend: this.shownLabel,
      hint: this.hint,
      error: ownError,
      rowsHtml,
      addButton: {
        html: `Add another<span class="govuk-visually-hidden"> ${escapeHtml(this.sentenceLabel)}</span>`,
        value: addActionPrefix + this.pointer,
      },
      render: state.render,
    });
  }

  toSummary(value: unknown): SummaryRow[] {
    if (!Array.isArray(value) || value.length === 0) return this.summaryRow(undefined);
    const entries = (value as unknown[]).map((entry) => escapeHtml(String(entry)));
    return this.summaryRow(entries.join('<br>'));
  }
}
