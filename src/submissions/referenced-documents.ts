import type { FormModel } from '../forms/form-model.js';
import { valueAt } from '../forms/value-at.js';

/** One document id an answer names, and where (`/attachments/riskAssessments/1`). */
export interface ReferencedDocument {
  pointer: string;
  id: string;
}

/**
 * The document ids that `answers` name, in page order: only shown upload questions count,
 * because hidden answers are discarded on submit.
 */
export function referencedDocuments(
  form: FormModel,
  answers: Record<string, unknown>,
): ReferencedDocument[] {
  const found = new Map<string, string>();
  for (const page of form.pages) {
    for (const pointer of form.documentPointers(page.id, answers)) {
      const value = valueAt(answers, pointer);
      if (typeof value === 'string') found.set(pointer, value);
      if (!Array.isArray(value)) continue;
      value.forEach((id: unknown, index) => {
        if (typeof id === 'string') found.set(`${pointer}/${String(index)}`, id);
      });
    }
  }
  return [...found].map(([pointer, id]) => ({ pointer, id }));
}

/** Every document id `answers` name, once each. */
export function referencedDocumentIds(form: FormModel, answers: Record<string, unknown>): string[] {
  return [...new Set(referencedDocuments(form, answers).map((entry) => entry.id))];
}
