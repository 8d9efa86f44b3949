import type { FieldError } from './field-error.js';
import type { FormBody } from './form-body.js';
import type { Answers, FormModel } from './form-model.js';

/** The posted field naming the conditional questions that were on screen. */
export const askedFieldName = '_asked';

/** Errors split into those to show and whether some were held back for questions not yet asked. */
export interface HeldBackErrors {
  errors: FieldError[];
  /** True when a question now applies that the person could not see: ask it, don't fault it. */
  askAgain: boolean;
}

/**
 * A conditional question that applies after Continue but was not on screen when the page was
 * sent (its reveal was closed, as it is without JavaScript) has not been asked yet, so an error
 * on it is no fault of the person: it is held back and the page is shown again with the question.
 * A body without `_asked` (an older page, a script) is treated as having been asked everything.
 */
export function holdBackUnasked(
  form: FormModel,
  pageId: string,
  answers: Answers,
  body: FormBody,
  errors: readonly FieldError[],
): HeldBackErrors {
  const asked = body.get(askedFieldName);
  if (!asked) return { errors: [...errors], askAgain: false };
  const seen = new Set(asked);
  const unasked = form
    .shownQuestionPointers(pageId, answers)
    .filter((pointer) => isConditionalRoot(form, pointer) && !seen.has(pointer));
  const isUnasked = (path: string) =>
    unasked.some((pointer) => path === pointer || path.startsWith(pointer + '/'));
  const shown = errors.filter((error) => !isUnasked(error.path));
  return { errors: shown, askAgain: shown.length < errors.length };
}

/** A question declared only in a branch, whose parent is not: the one that carries `_asked`. */
function isConditionalRoot(form: FormModel, pointer: string): boolean {
  const pattern = form.index.toPattern(pointer);
  const parent = pattern.slice(0, pattern.lastIndexOf('/'));
  const conditional = (at: string) => form.index.get(at)?.conditional === true;
  return conditional(pattern) && (parent === '' || !conditional(parent));
}
