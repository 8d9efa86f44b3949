import type { FieldError } from '../field-error.js';
import type { ComponentCall, FieldState } from '../field.js';
import { escapeHtml } from './escape-html.js';

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
  const { id, hint, error } = options;
  const describedBy: string[] = [];
  let html = '';
  if (hint !== undefined) {
    describedBy.push(`${id}-hint`);
    html += `<div id="${escapeHtml(id)}-hint" class="govuk-hint">${escapeHtml(hint)}</div>\n`;
  }
  if (error !== undefined) {
    describedBy.push(`${id}-error`);
    html += `<p id="${escapeHtml(id)}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${escapeHtml(error.text)}</p>\n`;
  }
  html += options.rowsHtml;
  html +=
    '\n' +
    options.render({
      component: 'button',
      params: { ...options.addButton, name: '_action', classes: 'govuk-button--secondary' },
    });
  return {
    component: 'fieldset',
    params: {
      legend: { text: options.legend, classes: 'govuk-fieldset__legend--m' },
      attributes: { id },
      ...(describedBy.length > 0 ? { describedBy: describedBy.join(' ') } : {}),
      html,
    },
  };
}
