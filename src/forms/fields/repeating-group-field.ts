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
import { toAddAnotherFieldset } from './add-another-fieldset.js';
import { BaseField, isAtOrUnder } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { toChildOptions } from './object-properties.js';
import { isSchemaNode, schemaType } from './schema-type.js';

/** More items than this are never read from one post, whatever indices are sent. */
const maxPostedItems = 500;

/** The value a ticked "Remove" checkbox posts (any non-blank value removes). */
const removeValue = 'true';

/**
 * A list of objects: one GOV.UK fieldset per item ("Contact 1") with a "Remove" checkbox, and
 * an "Add another" button that posts `_action=add:<pointer>`. Works without JavaScript.
 */
export class RepeatingGroupField extends BaseField {
  readonly kind = 'repeating-group';
  readonly itemSchema: SchemaNode;
  /** The item's title ("Contact"), used in legends, buttons and summary keys. */
  readonly itemTitle: string;
  readonly minItems: number;
  /** The `_action` value of this group's "Add another" button. */
  readonly addAction: string;
  readonly children: readonly Field[];
  private readonly items = new Map<number, Field>();

  static matches(options: FieldOptions): boolean {
    const items = options.schema['items'];
    return (
      schemaType(options.schema) === 'array' &&
      isSchemaNode(items) &&
      schemaType(options.resolve(items)) === 'object'
    );
  }

  constructor(options: FieldOptions) {
    super(options);
    const items = options.schema['items'];
    this.itemSchema = isSchemaNode(items) ? options.resolve(items) : { type: 'object' };
    const title = this.itemSchema['title'];
    this.itemTitle = typeof title === 'string' && title !== '' ? title : 'Item';
    const minItems = options.schema['minItems'];
    this.minItems = typeof minItems === 'number' && minItems > 0 ? Math.floor(minItems) : 0;
    this.addAction = `add:${this.pointer}`;
    this.children = this.itemField(0).children ?? [];
  }

  /** The field of the item at `index` (an object field whose pointer ends in the index). */
  itemField(index: number): Field {
    let field = this.items.get(index);
    if (field === undefined) {
      field = this.options.createChild(
        toChildOptions(this.options, String(index), this.itemSchema, true, this.itemLabel(index)),
      );
      this.items.set(index, field);
    }
    return field;
  }

  /** "Contact 2" for index 1. */
  itemLabel(index: number): string {
    return `${this.itemTitle} ${index + 1}`;
  }

  /** How many items are shown for `value`: its items, at least `minItems`, at least one. */
  itemCount(value: unknown): number {
    return Math.max(Array.isArray(value) ? value.length : 0, this.minItems, 1);
  }

  /** The value with a blank item appended after those shown, for the "Add another" button. */
  addItem(value: unknown): unknown[] {
    const items: unknown[] = Array.isArray(value) ? [...(value as unknown[])] : [];
    while (items.length < this.itemCount(value)) items.push({});
    items.push({});
    return items;
  }

  /**
   * Reads items by index (`contacts.0.name`, `contacts.3.name`…), drops removed and wholly
   * blank ones and renumbers the rest from 0, so errors point at the renumbered items.
   */
  parse(body: FormBody): ParsedField {
    const prefix = this.name + '.';
    const indices = new Set<number>();
    for (const name of body.keys()) {
      if (!name.startsWith(prefix)) continue;
      const segment = name.slice(prefix.length).split('.')[0] ?? '';
      if (/^\d{1,6}$/.test(segment)) indices.add(Number(segment));
    }
    const ordered = [...indices].sort((a, b) => a - b).slice(0, maxPostedItems);
    const values: unknown[] = [];
    const raws: unknown[] = [];
    let error: FieldError | undefined;
    for (const index of ordered) {
      const position = values.length;
      const itemBody = renumber(body, `${prefix}${index}.`, `${prefix}${position}.`);
      if (
        itemBody.get(`${prefix}${position}._remove`)?.some((flag) => flag.trim() !== '') === true
      ) {
        continue;
      }
      const parsed = this.itemField(position).parse(itemBody);
      if (parsed.value === undefined && parsed.raw === undefined) continue;
      values.push(parsed.value ?? {});
      raws.push(parsed.raw);
      error ??= parsed.error;
    }
    if (values.length === 0) return error ? { value: undefined, error } : { value: undefined };
    return {
      value: values,
      ...(raws.some((raw) => raw !== undefined) ? { raw: raws } : {}),
      ...(error ? { error } : {}),
    };
  }

  toComponent(state: FieldState): ComponentCall {
    const values = Array.isArray(state.value) ? (state.value as unknown[]) : [];
    const raws = Array.isArray(state.raw) ? (state.raw as unknown[]) : [];
    const count = this.itemCount(state.value);
    const itemsHtml: string[] = [];
    for (let index = 0; index < count; index += 1) {
      itemsHtml.push(this.renderItem(state, index, values[index], raws[index]));
    }
    const ownError = state.errors.find(
      (error) =>
        isAtOrUnder(error.path, this.pointer) &&
        !Array.from({ length: count }, (_, index) => this.itemField(index)).some((item) =>
          (item.children ?? []).some((child) => isAtOrUnder(error.path, child.pointer)),
        ),
    );
    return toAddAnotherFieldset({
      // the target of an error about the group as a whole ("Add at least one item")
      id: this.id,
      legend: this.shownLabel,
      hint: this.hint,
      error: ownError,
      rowsHtml: itemsHtml.join('\n'),
      addButton: {
        text: `Add another ${this.itemTitle.charAt(0).toLowerCase()}${this.itemTitle.slice(1)}`,
        value: this.addAction,
      },
      render: state.render,
    });
  }

  private renderItem(state: FieldState, index: number, value: unknown, raw: unknown): string {
    const item = this.itemField(index);
    const itemState: FieldState = {
      value,
      ...(raw === undefined ? {} : { raw }),
      errors: state.errors.filter((error) => isAtOrUnder(error.path, item.pointer)),
      render: state.render,
      ...(state.isShown ? { isShown: state.isShown } : {}),
      ...(state.renderChildren ? { renderChildren: state.renderChildren } : {}),
    };
    const fieldset = item.toComponent(itemState);
    const remove = state.render({
      component: 'checkboxes',
      params: {
        idPrefix: `${this.id}-${index}-remove`,
        name: `${this.name}.${index}._remove`,
        classes: 'govuk-checkboxes--small',
        items: [
          {
            value: removeValue,
            html: `Remove<span class="govuk-visually-hidden"> ${escapeHtml(this.itemLabel(index).toLowerCase())}</span>`,
          },
        ],
      },
    });
    const html = typeof fieldset.params['html'] === 'string' ? fieldset.params['html'] : '';
    return state.render({
      component: 'fieldset',
      params: {
        ...fieldset.params,
        legend: { text: this.itemLabel(index), classes: 'govuk-fieldset__legend--s' },
        html: `${html}\n${remove}`,
      },
    });
  }

  toSummary(value: unknown, isShown: (pointer: string) => boolean = () => true): SummaryRow[] {
    if (!Array.isArray(value) || value.length === 0) return this.summaryRow(undefined);
    return (value as unknown[]).flatMap((itemValue, index) =>
      this.itemField(index)
        .toSummary(itemValue, isShown)
        .map((row) => ({ ...row, key: `${this.itemLabel(index)}: ${row.key}` })),
    );
  }
}

/** The part of `body` for one item, its names moved from one index prefix to another. */
function renumber(body: FormBody, from: string, to: string): FormBody {
  const item = new Map<string, readonly string[]>();
  for (const [name, values] of body) {
    if (name.startsWith(from)) item.set(to + name.slice(from.length), values);
  }
  return item;
}
