import { isPairs } from '../../validation/describe-field.js';
import type { FieldError } from '../field-error.js';
import { toFieldId, toPointer } from '../field-names.js';
import type { FormBody } from '../form-body.js';
import type {
  ComponentCall,
  FieldOptions,
  FieldState,
  ParsedField,
  SchemaNode,
  SummaryRow,
} from '../field.js';
import { BaseField, compact } from './base-field.js';
import { toAddAnotherFieldset } from './add-another-fieldset.js';
import { escapeHtml } from './escape-html.js';
import { toNumberAnswer } from './number-field.js';
import { addActionPrefix, postedRows, removeActionPrefix, rowActionFor } from './row-actions.js';
import { isSchemaNode, schemaType } from './schema-type.js';

/** One pair as typed. */
interface PairRow {
  key: string;
  value: string;
}

/** Patterns longer than this are not tried on a key (they come from the schema, but still). */
const maxKeyLength = 500;

function matches(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}

/**
 * The schema of the value stored under `key` in a key-and-value object: the first
 * `patternProperties` entry whose pattern the key matches, else an `additionalProperties`
 * schema; undefined when the key is not allowed at all.
 */
export function pairValueSchema(schema: SchemaNode, key: string): SchemaNode | undefined {
  const patterns = schema['patternProperties'];
  if (isSchemaNode(patterns)) {
    for (const [pattern, value] of Object.entries(patterns)) {
      if (matches(pattern, key)) return isSchemaNode(value) ? value : {};
    }
  }
  const additional = schema['additionalProperties'];
  if (isSchemaNode(additional)) return additional;
  // without `additionalProperties` any other key is allowed by the schema
  return additional === false ? undefined : {};
}

/**
 * A key-and-value repeating group for an object whose keys the person chooses
 * (`patternProperties`, `additionalProperties` with a schema): one row of "Name" and "Value"
 * per pair, a "Remove" button beside each and an "Add another" button, all submitting the page.
 * A key must match one of the patterns (when only those are allowed) and be used once; the
 * schema judges the rest (`propertyNames`, the values).
 */
export class KeyValueField extends BaseField {
  readonly kind = 'pairs';
  private readonly keyLabel: string;
  private readonly valueLabel: string;

  static matches(options: FieldOptions): boolean {
    return schemaType(options.schema) === 'object' && isPairs(options.schema);
  }

  constructor(options: FieldOptions) {
    super(options);
    const names = options.schema['propertyNames'];
    const nameTitle = isSchemaNode(names) ? names['title'] : undefined;
    this.keyLabel = typeof nameTitle === 'string' ? nameTitle : 'Name';
    const additional = options.schema['additionalProperties'];
    const patterns = options.schema['patternProperties'];
    const first = isSchemaNode(additional)
      ? additional
      : isSchemaNode(patterns)
        ? Object.values(patterns).find(isSchemaNode)
        : undefined;
    const valueTitle = first?.['title'];
    this.valueLabel = typeof valueTitle === 'string' ? valueTitle : 'Value';
  }

  /** The id of a row's value input: the answer's own (`labels-colour`) once it has a key. */
  valueId(row: number, key: string): string {
    return key === ''
      ? `${this.id}-${String(row)}-value`
      : toFieldId(this.pointer + toPointer([key]));
  }

  parse(body: FormBody): ParsedField {
    const action = rowActionFor(body, this.pointer);
    const value: Record<string, unknown> = {};
    const rows: PairRow[] = [];
    let error: FieldError | undefined;
    for (const row of postedRows(body, this.name + '.', false)) {
      if (row === action.remove) continue;
      const key = body.get(`${this.name}.${String(row)}.key`)?.[0]?.trim() ?? '';
      const text = body.get(`${this.name}.${String(row)}.value`)?.[0]?.trim() ?? '';
      if (key === '' && text === '') continue;
      const position = rows.length;
      rows.push({ key, value: text });
      const problem = this.checkRow(key, text, Object.hasOwn(value, key));
      if (problem) {
        error ??= { path: this.pointer, href: `#${problem.id(position)}`, text: problem.text };
        continue;
      }
      const schema = pairValueSchema(this.schema, key) ?? {};
      const type = schemaType(schema);
      let answer: unknown = text;
      if (type === 'number' || type === 'integer') {
        answer = toNumberAnswer(text.replace(/\s+/g, ''), type === 'integer');
        if (answer === undefined) {
          error ??= {
            path: this.pointer,
            href: `#${this.valueId(position, key)}`,
            text: `The ${this.valueLabel.toLowerCase()} for “${key}” must be ${type === 'integer' ? 'a whole number' : 'a number'}`,
          };
          continue;
        }
      } else if (type === 'boolean' && (text === 'true' || text === 'false')) {
        answer = text === 'true';
      }
      Object.defineProperty(value, key, {
        value: answer,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const showAgain = action.add || action.remove !== undefined || error !== undefined;
    if (action.add) rows.push({ key: '', value: '' });
    return {
      value: Object.keys(value).length > 0 ? value : undefined,
      ...(showAgain ? { raw: rows } : {}),
      ...(error ? { error } : {}),
    };
  }

  private checkRow(
    key: string,
    text: string,
    repeated: boolean,
  ): { text: string; id: (row: number) => string } | undefined {
    const keyId = (row: number) => `${this.id}-${String(row)}-key`;
    const label = this.keyLabel.toLowerCase();
    if (key === '') return { text: `Enter a ${label} for “${text}”`, id: keyId };
    if (key.length > maxKeyLength) {
      return { text: `The ${label} must be ${String(maxKeyLength)} characters or less`, id: keyId };
    }
    if (repeated) return { text: `You have used the ${label} “${key}” twice`, id: keyId };
    if (pairValueSchema(this.schema, key) === undefined) {
      const patterns = this.schema['patternProperties'];
      const allowed = isSchemaNode(patterns) ? Object.keys(patterns).join(', ') : '';
      return {
        text: `“${key}” is not a ${label} you can use here${allowed === '' ? '' : `: it must match ${allowed}`}`,
        id: keyId,
      };
    }
    if (text === '') {
      return {
        text: `Enter the ${this.valueLabel.toLowerCase()} for “${key}”`,
        id: (row) => this.valueId(row, key),
      };
    }
    return undefined;
  }

  private rowsOf(state: FieldState): PairRow[] {
    if (Array.isArray(state.raw)) {
      return (state.raw as unknown[]).map((row) => {
        const record = isSchemaNode(row) ? row : {};
        return {
          key: typeof record['key'] === 'string' ? record['key'] : '',
          value: typeof record['value'] === 'string' ? record['value'] : '',
        };
      });
    }
    const value = isSchemaNode(state.value) ? state.value : {};
    return Object.entries(value).map(([key, entry]) => ({
      key,
      value: typeof entry === 'string' ? entry : JSON.stringify(entry),
    }));
  }

  toComponent(state: FieldState): ComponentCall {
    const rows = this.rowsOf(state);
    if (rows.length === 0) rows.push({ key: '', value: '' });
    const ownError = state.errors.find((error) => error.path === this.pointer);
    // a name used twice (refused) keeps ids unique: the second row's value goes by its row
    const seen = new Set<string>();
    const rowsHtml = rows
      .map((row, index) => {
        const repeated = seen.has(row.key);
        seen.add(row.key);
        return this.renderRow(state, rows.length, row, index, repeated);
      })
      .join('\n');
    return toAddAnotherFieldset({
      id: this.id,
      legend: this.shownLabel,
      hint: this.hint,
      error: ownError,
      rowsHtml,
      addButton: {
        html: `Add another<span class="govuk-visually-hidden"> ${escapeHtml(this.keyLabel.toLowerCase())} and ${escapeHtml(this.valueLabel.toLowerCase())}</span>`,
        value: addActionPrefix + this.pointer,
      },
      render: state.render,
    });
  }

  private renderRow(
    state: FieldState,
    count: number,
    row: PairRow,
    index: number,
    repeated: boolean,
  ): string {
    const name = `${this.name}.${String(index)}`;
    const valuePointer = this.pointer + toPointer([row.key]);
    const valueError =
      row.key === '' || repeated
        ? undefined
        : state.errors.find((error) => error.path === valuePointer);
    const schema = row.key === '' ? undefined : pairValueSchema(this.schema, row.key);
    const numeric =
      schema !== undefined && ['number', 'integer'].includes(schemaType(schema) ?? '');
    const key = state.render({
      component: 'input',
      params: {
        id: `${this.id}-${String(index)}-key`,
        name: `${name}.key`,
        value: row.key,
        label: { text: this.keyLabel, classes: 'govuk-label--s' },
        spellcheck: false,
      },
    });
    const value = state.render({
      component: 'input',
      params: compact({
        id: this.valueId(index, repeated ? '' : row.key),
        name: `${name}.value`,
        value: row.value,
        label: { text: this.valueLabel, classes: 'govuk-label--s' },
        inputmode: numeric ? 'decimal' : undefined,
        errorMessage: valueError ? { text: valueError.text } : undefined,
      }),
    });
    const legend = `${this.label} ${String(index + 1)}`;
    const remove =
      count > 1
        ? state.render({
            component: 'button',
            params: {
              html: `Remove<span class="govuk-visually-hidden"> ${escapeHtml(legend.toLowerCase())}</span>`,
              name: '_action',
              value: `${removeActionPrefix}${this.pointer}/${String(index)}`,
              classes: 'govuk-button--secondary govuk-!-margin-bottom-4',
            },
          })
        : '';
    return state.render({
      component: 'fieldset',
      params: {
        legend: { text: legend, classes: 'govuk-fieldset__legend--s' },
        html: `${key}\n${value}\n${remove}`,
      },
    });
  }

  toSummary(value: unknown): SummaryRow[] {
    if (!isSchemaNode(value) || Object.keys(value).length === 0) return this.summaryRow(undefined);
    return Object.entries(value).map(([key, entry]) => ({
      pointer: this.pointer + toPointer([key]),
      key: `${this.label}: ${key}`,
      valueHtml: escapeHtml(typeof entry === 'string' ? entry : JSON.stringify(entry)),
    }));
  }
}
