import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { schemaType } from './schema-type.js';

const answers = [
  { value: true, key: 'true', text: 'Yes' },
  { value: false, key: 'false', text: 'No' },
] as const;

/** A yes / no answer: inline GOV.UK radios, stored as `true` / `false`. */
export class BooleanField extends BaseField {
  readonly kind = 'boolean';
  readonly choiceValues: readonly unknown[] = [true, false];

  static matches(options: FieldOptions): boolean {
    return schemaType(options.schema) === 'boolean';
  }

  parse(body: FormBody): ParsedField {
    const posted = this.postedText(body);
    if (posted === undefined) return { value: undefined };
    const answer = answers.find((candidate) => candidate.key === posted);
    if (answer === undefined) {
      return { value: undefined, error: this.fieldError(`Select yes or no`) };
    }
    return { value: answer.value };
  }

  toComponent(state: FieldState): ComponentCall {
    const reveals = answers.some((answer) => state.conditionalHtml?.has(answer.key) === true);
    return {
      component: 'radios',
      params: compact({
        idPrefix: this.id,
        name: this.name,
        fieldset: this.fieldsetParams(),
        hint: this.hintParams(),
        errorMessage: this.errorMessage(state),
        // GOV.UK: conditional reveals do not work with inline radios.
        classes: reveals || this.ui.inline === false ? undefined : 'govuk-radios--inline',
        items: answers.map((answer) => {
          const conditional = state.conditionalHtml?.get(answer.key);
          return compact({
            value: answer.key,
            text: answer.text,
            checked: this.shownValue(state) === answer.value,
            conditional: conditional === undefined ? undefined : { html: conditional },
          });
        }),
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    return this.summaryRow(value === true ? 'Yes' : value === false ? 'No' : undefined);
  }
}
