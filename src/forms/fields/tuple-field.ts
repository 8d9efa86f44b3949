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
import { BaseField, isAtOrUnder } from './base-field.js';
import { toQuestionFieldset } from './question-fieldset.js';
import { toItemLabel } from './item-label.js';
import { toChildOptions } from './object-properties.js';
import { isSchemaNode, schemaType } from './schema-type.js';

/** The item schemas of a tuple: 2020-12 `prefixItems` (draft-07's array `items` is rewritten). */
function positionsOf(schema: SchemaNode): unknown[] {
  const prefixItems = schema['prefixItems'];
  return Array.isArray(prefixItems) ? prefixItems : [];
}

/**
 * A fixed list of answers by position (`prefixItems`, a tuple such as [number, street, type]):
 * one question per position inside a GOV.UK fieldset, stored as a JSON array. Entries after the
 * fixed ones (`items`, `additionalItems`) and `contains` are left to the schema to judge.
 */
export class TupleField extends BaseField {
  readonly kind = 'tuple';
  readonly children: readonly Field[];
  private readonly minItems: number;

  static matches(options: FieldOptions): boolean {
    return schemaType(options.schema) === 'array' && positionsOf(options.schema).length > 0;
  }

  constructor(options: FieldOptions) {
    super(options);
    const minItems = options.schema['minItems'];
    this.minItems = typeof minItems === 'number' ? minItems : 0;
    this.children = positionsOf(options.schema).map((item, index) => {
      const schema = isSchemaNode(item) ? options.resolve(item) : {};
      // positions up to minItems must be answered; later ones only before an answered one
      const required = options.required && index < this.minItems;
      return options.createChild(
        toChildOptions(
          options,
          String(index),
          schema,
          required,
          toItemLabel(this.label, schema, index),
        ),
      );
    });
  }

  /**
   * Reads each position. An array has no gaps, so a blank position before an answered one is
   * an error on the blank one.
   */
  parse(body: FormBody): ParsedField {
    const values: unknown[] = [];
    const raws: unknown[] = [];
    let error: FieldError | undefined;
    for (const child of this.children) {
      const parsed = child.parse(body);
      values.push(parsed.value);
      raws.push(parsed.raw);
      error ??= parsed.error;
    }
    let last = values.length - 1;
    while (last >= 0 && values[last] === undefined && raws[last] === undefined) last -= 1;
    const hasRaw = raws.some((raw) => raw !== undefined);
    if (last < 0) return { value: undefined, ...(error ? { error } : {}) };
    const gap = values.slice(0, last).findIndex((value) => value === undefined);
    const gapChild = gap < 0 ? undefined : this.children[gap];
    if (gapChild && error === undefined && raws[gap] === undefined) {
      error = { path: gapChild.pointer, href: gapChild.href, text: `Enter ${lower(gapChild)}` };
    }
    return {
      // a position not answered is stored as null only while it is in error
      value: values.slice(0, last + 1).map((value) => value ?? null),
      ...(hasRaw ? { raw: raws } : {}),
      ...(error ? { error } : {}),
    };
  }

  toComponent(state: FieldState): ComponentCall {
    const values = Array.isArray(state.value) ? (state.value as unknown[]) : [];
    const raws = Array.isArray(state.raw) ? (state.raw as unknown[]) : [];
    const ownError = state.errors.find(
      (error) =>
        isAtOrUnder(error.path, this.pointer) &&
        !this.children.some((child) => isAtOrUnder(error.path, child.pointer)),
    );
    const html = this.children
      .map((child, index) => {
        const raw = raws[index];
        const value = values[index];
        return state.render(
          child.toComponent({
            value: value === null ? undefined : value,
            ...(raw === undefined || raw === null ? {} : { raw }),
            errors: state.errors.filter((error) => isAtOrUnder(error.path, child.pointer)),
            render: state.render,
            ...(state.isShown ? { isShown: state.isShown } : {}),
          }),
        );
      })
      .join('\n');
    return toQuestionFieldset({
      id: this.id,
      legend: this.shownLabel,
      hint: this.hint,
      error: ownError,
      html,
    });
  }

  toSummary(value: unknown, isShown: (pointer: string) => boolean = () => true): SummaryRow[] {
    if (!Array.isArray(value) || value.length === 0) return this.summaryRow(undefined);
    const values = value as unknown[];
    return this.children
      .slice(0, values.length)
      .flatMap((child, index) => child.toSummary(values[index], isShown));
  }
}

function lower(field: Field): string {
  const label = field.label;
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
