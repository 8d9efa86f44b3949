import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { toChoiceKey, toChoiceList, type Choice } from './choice-list.js';
import { escapeHtml } from './escape-html.js';
import { isSchemaNode, schemaType } from './schema-type.js';

/** Several answers from a closed list (an array of `enum`/`oneOf` items): GOV.UK checkboxes. */
export class CheckboxesField extends BaseField {
  readonly kind = 'checkboxes';
  readonly choices: readonly Choice[];
  readonly choiceValues: readonly unknown[];

  static matches(options: FieldOptions): boolean {
    const items = options.schema['items'];
    return (
      schemaType(options.schema) === 'array' &&
      isSchemaNode(items) &&
      toChoiceList(options.resolve(items), options.resolve).length > 0
    );
  }

  constructor(options: FieldOptions) {
    super(options);
    const items = options.schema['items'];
    this.choices = isSchemaNode(items) ? toChoiceList(options.resolve(items), options.resolve) : [];
    this.choiceValues = this.choices.map((choice) => choice.value);
  }

  parse(body: FormBody): ParsedField {
    // An empty value is what a hidden "nothing ticked" input posts; it is not a choice.
    const posted = new Set(this.postedValues(body).map((value) => value.trim()));
    posted.delete('');
    if (posted.size === 0) return { value: undefined };
    const known = this.choices.filter((choice) => posted.has(choice.key));
    if (known.length !== posted.size) {
      return { value: undefined, error: this.fieldError(`Select ${this.sentenceLabel}`) };
    }
    return { value: known.map((choice) => choice.value) };
  }

  toComponent(state: FieldState): ComponentCall {
    const ticked = new Set(Array.isArray(state.value) ? state.value.map(toChoiceKey) : []);
    return {
      component: 'checkboxes',
      params: compact({
        idPrefix: this.id,
        name: this.name,
        fieldset: this.fieldsetParams(),
        hint: this.hintParams(),
        errorMessage: this.errorMessage(state, true),
        items: this.choices.map((choice) => {
          const conditional = state.conditionalHtml?.get(choice.key);
          return compact({
            value: choice.key,
            text: choice.title,
            hint: choice.hint === undefined ? undefined : { text: choice.hint },
            checked: ticked.has(choice.key),
            conditional: conditional === undefined ? undefined : { html: conditional },
          });
        }),
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    if (!Array.isArray(value) || value.length === 0) return this.summaryRow(undefined);
    const items = value.map((entry: unknown) => {
      const key = toChoiceKey(entry);
      const title = this.choices.find((choice) => choice.key === key)?.title ?? key;
      return `<li>${escapeHtml(title)}</li>`;
    });
    return this.summaryRow(`<ul class="govuk-list">${items.join('')}</ul>`);
  }
}
