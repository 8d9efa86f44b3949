import type { FieldError } from './field-error.js';
import type { FormBody } from './form-body.js';

/** A JSON Schema node as it appears in a form definition (after `$ref` resolution). */
export type SchemaNode = Record<string, unknown>;

/** Presentation overrides from a definition's `ui` layer (docs/form-definition.md). */
export interface UiOptions {
  widget?: 'radios' | 'select' | 'checkboxes' | 'textarea' | 'input';
  rows?: number;
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  autocomplete?: string;
  prefix?: string;
  suffix?: string;
  inline?: boolean;
}

/** What a field type needs to know about one question. */
export interface FieldOptions {
  /** Data pointer of the answer, e.g. `/child/dateOfBirth` or `/contacts/0/name`. */
  pointer: string;
  /** The question's schema node, `$ref`s resolved. */
  schema: SchemaNode;
  /** Whether the answer is required where the question is shown. */
  required: boolean;
  /** The label (`title`, else the property name made readable). */
  label: string;
  /** The hint (`description`), if any. */
  hint?: string;
  ui: UiOptions;
  /** Builds child fields (for objects and repeating groups) the same way this one was built. */
  createChild: (options: FieldOptions) => Field;
  /** Resolves a `$ref` (`#/$defs/...`) against the form's root schema. */
  resolve: (schema: SchemaNode) => SchemaNode;
}

/** A GOV.UK component call: `views/components/<component>.ejs` with `{ params }`. */
export interface ComponentCall {
  component: string;
  params: Record<string, unknown>;
}

/** The result of reading one field from a posted page. */
export interface ParsedField {
  /** The typed answer; undefined when the question was left blank. */
  value: unknown;
  /** What the person typed, kept to re-display when it could not be typed (e.g. `{ day, month, year }`). */
  raw?: unknown;
  /** A failure to read the input at all ("Enter a number"), before schema validation. */
  error?: FieldError;
}

/** What a field is rendered with. */
export interface FieldState {
  value: unknown;
  raw?: unknown;
  /** Errors for this field and (for containers) its descendants. */
  errors: readonly FieldError[];
  /** Renders a component call to HTML (containers use it for their children). */
  render: (call: ComponentCall) => string;
  /** HTML revealed under a choice, keyed by the choice's value as a string (JSON for non-strings). */
  conditionalHtml?: ReadonlyMap<string, string>;
  /** Whether a child (pointer) is shown; containers skip hidden children. Default: all shown. */
  isShown?: (pointer: string) => boolean;
  /**
   * Renders a container's shown children, given together so a choice can take the questions it
   * reveals from among its siblings (conditional reveal at any depth). Containers pass it on to
   * their children's states. Default: each child rendered in order.
   */
  renderChildren?: (children: readonly ChildState[]) => string;
}

/** A child field with the state it is rendered with. */
export interface ChildState {
  field: Field;
  state: FieldState;
}

/** One row of a check-your-answers summary list. */
export interface SummaryRow {
  pointer: string;
  key: string;
  /** Already escaped HTML. */
  valueHtml: string;
}

/**
 * One question type: reads its answer from a posted page, renders itself as a GOV.UK component
 * and summarises its answer. A new type is a new file in src/forms/fields/.
 */
export interface Field {
  readonly kind: string;
  readonly pointer: string;
  readonly label: string;
  /** The element an error links to by default (`#id`). */
  readonly href: string;
  /** The names of choices this field offers, for conditional reveal (`undefined` if not a choice). */
  readonly choiceValues?: readonly unknown[];
  /** Child fields (objects, repeating groups: the template item at index 0). */
  readonly children?: readonly Field[];
  parse(body: FormBody): ParsedField;
  toComponent(state: FieldState): ComponentCall;
  toSummary(value: unknown, isShown?: (pointer: string) => boolean): SummaryRow[];
}
