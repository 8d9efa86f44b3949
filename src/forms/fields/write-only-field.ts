import type { FormBody } from '../form-body.js';
import type {
  ComponentCall,
  Field,
  FieldState,
  ParsedField,
  SchemaNode,
  SummaryRow,
} from '../field.js';
import { notProvidedHtml } from './base-field.js';
import { schemaType } from './schema-type.js';

/** Shown in a summary instead of a `writeOnly` answer that was given. */
export const notShownHtml = 'Provided (not shown)';

/** Added to the hint of a `writeOnly` question already answered. */
export const keptAnswerHint = 'You have already answered this. Leave it blank to keep your answer.';

/**
 * Whether a question's answer is never shown back: `writeOnly` on a question with an answer of
 * its own (on a group or list it is ignored; mark the questions inside it instead).
 */
export function isWriteOnly(schema: SchemaNode): boolean {
  const type = schemaType(schema);
  return schema['writeOnly'] === true && type !== 'object' && type !== 'array';
}

/**
 * A `writeOnly` question (a secret, such as a password): asked like any other, by the field it
 * wraps, but its answer is never shown again, neither in its input nor in a summary. A blank
 * answer keeps the stored one ({@link FormModel.parsePage}).
 */
export class WriteOnlyField implements Field {
  readonly kind: string;
  readonly pointer: string;
  readonly label: string;
  readonly href: string;
  readonly choiceValues?: readonly unknown[];
  readonly children?: readonly Field[];
  readonly widget?: unknown;

  constructor(private readonly inner: Field) {
    this.kind = inner.kind;
    this.pointer = inner.pointer;
    this.label = inner.label;
    this.href = inner.href;
    if (inner.choiceValues !== undefined) this.choiceValues = inner.choiceValues;
    if (inner.children !== undefined) this.children = inner.children;
    // a select's reveals are placed differently (render/question-page-view.ts)
    if ('widget' in inner) this.widget = inner.widget;
  }

  parse(body: FormBody): ParsedField {
    return this.inner.parse(body);
  }

  toComponent(state: FieldState): ComponentCall {
    const answered = state.value !== undefined;
    // nor what was typed and refused; a blank raw answer also keeps the schema's default out
    const call = this.inner.toComponent({ ...state, value: undefined, raw: '' });
    if (!answered) return call;
    const hint = call.params['hint'] as { text?: string } | undefined;
    const text = hint?.text === undefined ? keptAnswerHint : `${hint.text} ${keptAnswerHint}`;
    return { ...call, params: { ...call.params, hint: { text } } };
  }

  toSummary(value: unknown, isShown?: (pointer: string) => boolean): SummaryRow[] {
    return this.inner
      .toSummary(value, isShown)
      .map((row) =>
        row.valueHtml === notProvidedHtml ? row : { ...row, valueHtml: notShownHtml },
      );
  }
}
