import type { FieldError } from '../field-error.js';
import type { FormBody } from '../form-body.js';
import type {
  ComponentCall,
  Field,
  FieldOptions,
  FieldState,
  ParsedField,
  SummaryRow,
} from '../field.js';
import { BaseField, isAtOrUnder } from './base-field.js';
import { toQuestionFieldset } from './question-fieldset.js';
import { ownValue, toChildOptions, toObjectProperties } from './object-properties.js';
import { schemaType } from './schema-type.js';

/** A child field with the property name its answer is stored under. */
interface ObjectChild {
  key: string;
  field: Field;
}

/**
 * A nested object: a GOV.UK fieldset (legend size m) holding its properties' fields. A page's
 * top-level object is laid out by the page itself from `children`.
 */
export class ObjectField extends BaseField {
  readonly kind = 'object';
  readonly children: readonly Field[];
  private readonly entries: readonly ObjectChild[];

  static matches(options: FieldOptions): boolean {
    return schemaType(options.schema) === 'object';
  }

  constructor(options: FieldOptions) {
    super(options);
    this.entries = toObjectProperties(options.schema, options.resolve).map((property) => ({
      key: property.key,
      field: options.createChild(
        toChildOptions(options, property.key, property.schema, property.required),
      ),
    }));
    this.children = this.entries.map((entry) => entry.field);
  }

  /** Reads every property; the first child that could not be read gives the error. */
  parse(body: FormBody): ParsedField {
    const value: Record<string, unknown> = {};
    const raw: Record<string, unknown> = {};
    let error: FieldError | undefined;
    for (const { key, field } of this.entries) {
      const parsed = field.parse(body);
      if (parsed.value !== undefined) Object.defineProperty(value, key, dataProperty(parsed.value));
      if (parsed.raw !== undefined) Object.defineProperty(raw, key, dataProperty(parsed.raw));
      error ??= parsed.error;
    }
    const answered = Object.keys(value).length > 0;
    const typed = Object.keys(raw).length > 0;
    return {
      value: answered || typed ? value : undefined,
      ...(typed ? { raw } : {}),
      ...(error ? { error } : {}),
    };
  }

  /** The state each shown child is rendered with, taken from this object's state. */
  childStates(state: FieldState): { field: Field; state: FieldState }[] {
    const isShown = state.isShown ?? (() => true);
    return this.entries
      .filter(({ field }) => isShown(field.pointer))
      .map(({ key, field }) => {
        const raw = ownValue(state.raw, key);
        return {
          field,
          state: {
            value: ownValue(state.value, key),
            ...(raw === undefined ? {} : { raw }),
            errors: state.errors.filter((error) => isAtOrUnder(error.path, field.pointer)),
            render: state.render,
            ...(state.isShown ? { isShown: state.isShown } : {}),
            ...(state.renderChildren ? { renderChildren: state.renderChildren } : {}),
          },
        };
      });
  }

  /** The shown children rendered to HTML, in order. */
  renderChildren(state: FieldState): string {
    const children = this.childStates(state);
    if (state.renderChildren) return state.renderChildren(children);
    return children
      .map(({ field, state: childState }) => state.render(field.toComponent(childState)))
      .join('\n');
  }

  toComponent(state: FieldState): ComponentCall {
    const ownError = state.errors.find(
      (error) =>
        isAtOrUnder(error.path, this.pointer) &&
        !this.children.some((child) => isAtOrUnder(error.path, child.pointer)),
    );
    const html = this.renderChildren(state);
    return toQuestionFieldset({
      id: this.id,
      legend: this.shownLabel,
      hint: this.hint,
      error: ownError,
      html,
    });
  }

  toSummary(value: unknown, isShown: (pointer: string) => boolean = () => true): SummaryRow[] {
    return this.entries
      .filter(({ field }) => isShown(field.pointer))
      .flatMap(({ key, field }) => field.toSummary(ownValue(value, key), isShown));
  }
}

function dataProperty(value: unknown): PropertyDescriptor {
  return { value, enumerable: true, writable: true, configurable: true };
}
