import type { FieldError } from '../field-error.js';
import type { ComponentCall, FieldState } from '../field.js';
import { toQuestionFieldset } from './question-fieldset.js';

/** What {@link toAddAnotherFieldset} draws. */
export interface AddAnotherFieldsetOptions {
  /** The question's id: the target of an error about the rows as a whole. */
  id: string;
  legend: string;
  hint: string | undefined;
  /** An error about the question as a whole ("Add at least one"), shown above the rows. */
  error: FieldError | undefined;
  /** The rows, already rendered, each with its own Remove button where it has one. */
  rowsHtml: string;
  /** The "Add another" button: its words (or markup, with visually hidden words) and `_action`. */
  addButton: ({ text: string } | { html: string }) & { value: string };
  render: FieldState['render'];
}

/**
 * A question of rows a person adds and removes without JavaScript (a repeating group, a list
 * of answers, name and value pairs): its hint, its own error, the rows and an "Add another"
 * button, in one fieldset.
 */
export function toAddAnotherFieldset(options: AddAnotherFieldsetOptions): ComponentCall {
  const addButton = options.render({
    component: 'button',
    params: { ...options.addButton, name: '_action', classes: 'govuk-button--secondary' },
  });
  return toQuestionFieldset({
    id: options.id,
    legend: options.legend,
    hint: options.hint,
    error: options.error,
    html: `${options.rowsHtml}\n${addButton}`,
  });
}
