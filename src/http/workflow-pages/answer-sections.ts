import type { FormModel } from '../../forms/form-model.js';
import { valueAt } from '../../forms/value-at.js';

/** A section of the answers as summary-list rows, for a view. */
export interface AnswerSectionViewModel {
  title: string;
  rows: { key: { text: string }; value: { html: string } }[];
}

/**
 * The answers for a reader other than the referrer (review labels), each uploaded file named
 * and linked by `documentLink` ("care-plan.pdf"), never counted ("1 file uploaded").
 */
export function toAnswerSections(
  form: FormModel,
  answers: Record<string, unknown>,
  names: ReadonlyMap<string, string>,
  documentLink: (id: string, filename: string) => string,
  /** `own`: the questions as the person who answered them read them. */
  labels: 'review' | 'own' = 'review',
): AnswerSectionViewModel[] {
  const summary = labels === 'own' ? form.summary(answers) : form.reviewSummary(answers);
  return summary.map((section) => ({
    title: section.title,
    rows: section.rows.map((row) => {
      const ids =
        form.describe(row.pointer).kind === 'document'
          ? [valueAt(answers, row.pointer)].flat().filter((id) => typeof id === 'string')
          : [];
      return {
        key: { text: row.key },
        value: {
          html:
            ids.length === 0
              ? row.valueHtml
              : ids.map((id) => documentLink(id, names.get(id) ?? 'Uploaded file')).join('<br>'),
        },
      };
    }),
  }));
}

/**
 * The question a document answered, as a reader other than the referrer reads it ("Care plan"),
 * from the document's field path; undefined when the form no longer asks it.
 */
export function toDocumentQuestion(form: FormModel, fieldPath: string): string | undefined {
  for (const pointer of [fieldPath, fieldPath.replace(/\/\d+$/, '')]) {
    const schema = form.index.get(form.index.toPattern(pointer))?.declarations[0]?.schema;
    const label = schema?.['x-reviewTitle'] ?? schema?.title;
    if (typeof label === 'string') return label;
  }
  return undefined;
}
