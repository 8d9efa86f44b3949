import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { toChoiceKey, toChoiceList, type Choice } from './choice-list.js';
import { escapeHtml } from './escape-html.js';
import { schemaType } from './schema-type.js';

/** More choices than this are offered in a select rather than radios. */
const maxRadios = 12;

/** One answer from a closed list (`enum` or `oneOf` consts): GOV.UK radios, or a select. */
export class ChoiceField extends BaseField {
  readonly kind = 'choice';
  readonly choices: readonly Choice[];
  readonly choiceValues: readonly unknown[];
  readonly widget: 'radios' | 'select';

  static matches(options: FieldOptions): boolean {
    return (
      schemaType(options.schema) !== 'array' &&
      toChoiceList(options.schema, options.resolve).length > 0
    );
  }

  constructor(options: FieldOptions) {
    super(options);
    this.choices = toChoiceList(options.schema, options.resolve);
    this.choiceValues = this.choices.map((choice) => choice.value);
    const widget = options.ui.widget;
    this.widget =
      widget === 'select' || (widget !== 'radios' && this.choices.length > maxRadios)
        ? 'select'
        : 'radios';
  }

  parse(body: FormBody): ParsedField {
    const posted = this.postedText(body);
    if (posted === undefined) return { value: undefined };
    const choice = this.choices.find((candidate) => candidate.key === posted);
    if (choice === undefined) {
      return { value: undefined, error: this.fieldError(`Select ${this.sentenceLabel}`) };
    }
    return { value: choice.value };
  }

  toComponent(state: FieldState): ComponentCall {
    const value = this.shownValue(state);
    const selected = value === undefined ? undefined : toChoiceKey(value);
    if (this.widget === 'select') {
      return {
        component: 'select',
        params: compact({
          id: this.id,
          name: this.name,
          label: this.labelParams(),
          hint: this.hintParams(),
          errorMessage: this.errorMessage(state),
          items: [
            { value: '', text: 'Select an option', selected: selected === undefined },
            ...this.choices.map((choice) => ({
              value: choice.key,
              text: choice.title,
              selected: choice.key === selected,
            })),
          ],
        }),
      };
    }
    return {
      component: 'radios',
      params: compact({
        idPrefix: this.id,
        name: this.name,
        fieldset: this.fieldsetParams(),
        hint: this.hintParams(),
        errorMessage: this.errorMessage(state),
        classes: this.ui.inline === true ? 'govuk-radios--inline' : undefined,
        items: this.choices.map((choice) => {
          const conditional = state.conditionalHtml?.get(choice.key);
          return compact({
            value: choice.key,
            text: choice.title,
            hint: choice.hint === undefined ? undefined : { text: choice.hint },
            checked: choice.key === selected,
            conditional: conditional === undefined ? undefined : { html: conditional },
          });
        }),
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    if (value === undefined || value === null) return this.summaryRow(undefined);
    const key = toChoiceKey(value);
    const choice = this.choices.find((candidate) => candidate.key === key);
    return this.summaryRow(escapeHtml(choice?.title ?? key));
  }
}
