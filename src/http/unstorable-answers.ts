import type { FieldError } from '../forms/field-error.js';
import { fromFieldName, toPointer, toSegments } from '../forms/field-names.js';
import type { FormBody } from '../forms/form-body.js';
import type { Answers, FormModel } from '../forms/form-model.js';
import { toErrorHref } from '../validation/to-field-errors.js';
import { findUnstorableFields, withoutUnstorable } from './middleware/unstorable-input.js';

/** The question a posted name belongs to (`child.dob-day` → `/child/dob`), if any. */
function questionOf(name: string, questions: readonly string[]): string | undefined {
  const segments = toSegments(fromFieldName(name.replace(/-(day|month|year)$/, '')));
  for (let length = segments.length; length > 0; length -= 1) {
    const pointer = toPointer(segments.slice(0, length));
    if (questions.includes(pointer)) return pointer;
  }
  return undefined;
}

/**
 * A question page's post with its unstorable characters (NUL, a lone surrogate…) taken out, and
 * an error for each question that held one, naming it as the page does. Names that are no
 * question of the page are dropped. The journey shows the page again with these errors and
 * saves nothing.
 */
export function unstorableAnswerErrors(
  form: FormModel,
  pageId: string,
  answers: Answers,
  body: FormBody,
): { body: FormBody; errors: FieldError[] } {
  const found = findUnstorableFields(body);
  if (found.length === 0) return { body, errors: [] };
  const questions = form.shownQuestionPointers(pageId, answers);
  const cleaned = new Map(body);
  const errors = new Map<string, FieldError>();
  for (const { name, problem } of found) {
    cleaned.delete(name);
    const pointer = questionOf(withoutUnstorable(name), questions);
    if (pointer === undefined) continue;
    const values = body.get(name) ?? [];
    cleaned.set(withoutUnstorable(name), values.map(withoutUnstorable));
    if (errors.has(pointer)) continue;
    const field = form.describe(pointer);
    errors.set(pointer, {
      path: pointer,
      href: toErrorHref(pointer, field),
      text: `${field.label} contained ${problem}, which cannot be stored. We have taken it out: check the answer and continue`,
    });
  }
  return { body: cleaned, errors: [...errors.values()] };
}
