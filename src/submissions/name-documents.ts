import { DocumentField } from '../forms/fields/document-field.js';
import type { SummarySection } from '../forms/form-model.js';
import type { FormModel } from '../forms/form-model.js';
import { valueAt } from '../forms/value-at.js';

/**
 * The summary with each upload question's row naming its files ("care-plan.pdf"), where the
 * form model alone can only count them: for check your answers and the referral pack.
 */
export function nameDocuments(
  form: FormModel,
  answers: Record<string, unknown>,
  sections: readonly SummarySection[],
  names: ReadonlyMap<string, string>,
): SummarySection[] {
  return sections.map((section) => ({
    ...section,
    rows: section.rows.map((row) => {
      if (form.describe(row.pointer).kind !== 'document') return row;
      const ids = [valueAt(answers, row.pointer)].flat().filter((id) => typeof id === 'string');
      return ids.length === 0 ? row : { ...row, valueHtml: DocumentField.toNamesHtml(ids, names) };
    }),
  }));
}
