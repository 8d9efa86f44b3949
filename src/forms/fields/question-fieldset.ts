import type { FieldError } from '../field-error.js';
import type { ComponentCall } from '../field.js';
import { escapeHtml } from './escape-html.js';

/** What {@link toQuestionFieldset} draws. */
export interface QuestionFieldsetOptions {
  /** The question's id: the target of an error about the question as a whole. */
  id: string;
  legend: string;
  hint: string | undefined;
  /** An error about the question as a whole, shown above its parts. */
  error: FieldError | undefined;
  /** The question's parts, already rendered. */
  html: string;
}

/**
 * A question made of parts (a group, a tuple, a list): one fieldset with its legend, hint and
 * own error, which the fieldset is described by, above the parts.
 */
export function toQuestionFieldset(options: QuestionFieldsetOptions): ComponentCall {
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
  return {
    component: 'fieldset',
    params: {
      legend: { text: options.legend, classes: 'govuk-fieldset__legend--m' },
      attributes: { id },
      ...(describedBy.length > 0 ? { describedBy: describedBy.join(' ') } : {}),
      html: html + options.html,
    },
  };
}
