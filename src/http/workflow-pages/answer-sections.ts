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

/** A question whose answer a later version of the answers (a review) changed. */
export interface ChangedAnswer {
  key: string;
  nowHtml: string;
  beforeHtml: string;
}

/**
 * The questions whose answers differ between `before` and `now`, as a reader other than the
 * referrer reads them, in the order the form asks them; a question answered in only one of
 * them reads "Not answered" in the other.
 */
export function toChangedAnswers(
  form: FormModel,
  before: Record<string, unknown>,
  now: Record<string, unknown>,
): ChangedAnswer[] {
  const rowsOf = (answers: Record<string, unknown>) =>
    new Map(
      form
        .reviewSummary(answers)
        .flatMap((section) => section.rows)
        .map((row) => [row.pointer, row] as const),
    );
  const was = rowsOf(before);
  const is = rowsOf(now);
  const pointers = [...is.keys(), ...[...was.keys()].filter((pointer) => !is.has(pointer))];
  const notAnswered = 'Not answered';
  return pointers.flatMap((pointer) => {
    const nowRow = is.get(pointer);
    const beforeRow = was.get(pointer);
    if (nowRow?.valueHtml === beforeRow?.valueHtml) return [];
    return [
      {
        key: (nowRow ?? beforeRow)?.key ?? pointer,
        nowHtml: nowRow?.valueHtml ?? notAnswered,
        beforeHtml: beforeRow?.valueHtml ?? notAnswered,
      },
    ];
  });
}
