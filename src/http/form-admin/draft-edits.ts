import type { Request, Response } from 'express';
import { checkFormCandidate } from '../../forms/editor/check-form-candidate.js';
import { diffVersions } from '../../forms/editor/diff-versions.js';
import { EditRefused } from '../../forms/editor/structured-edits.js';
import type { RawFormDefinition } from '../../forms/form-definition.js';
import { summariseDiff, type FormAdminContext } from './form-admin-context.js';

/** One reason a change was refused, for the error summary. */
export interface FieldProblem {
  text: string;
  href: string;
}

/** The structured editor's page of a form's draft. */
export function draftPath(formId: string): string {
  return `/admin/forms/${formId}/draft`;
}

/** An edit of the draft, and what to audit it as. */
export type DraftEdit = (draft: RawFormDefinition) => {
  definition: RawFormDefinition;
  change: string;
  at?: string;
};

/**
 * How every structured edit is made: the change is applied to the draft, checked as `formwork
 * forms check` checks a file, then saved and audited in one transaction, or refused (422) with
 * the reason and nothing changed.
 */
export function createDraftEdits(context: FormAdminContext) {
  const { forms, db, pages } = context.options;
  const store = context.formVersions;
  const saveEdit = async (
    req: Request,
    res: Response,
    formId: string,
    edit: DraftEdit,
    onRefused: (errors: FieldProblem[]) => Promise<void> | void,
    next: (at?: string) => string = () => draftPath(formId),
  ) => {
    const user = context.requireAdmin(req);
    const draft = await context.draftOf(formId);
    let result: ReturnType<typeof edit>;
    try {
      result = edit(draft.definition);
    } catch (error) {
      if (!(error instanceof EditRefused)) throw error;
      res.status(422);
      await onRefused([{ text: error.message, href: `#${error.field || 'edit'}` }]);
      return;
    }
    const checked = checkFormCandidate(result.definition, forms, formId);
    if (checked.problems.length > 0) {
      res.status(422);
      await onRefused(
        checked.problems.map((problem) => ({
          text: `The change would make the form invalid: ${problem.pointer || '/'} ${problem.message}`,
          href: '#edit',
        })),
      );
      return;
    }
    await db.transaction(async (tx) => {
      await store.saveDraft(tx, formId, result.definition, user.id);
      await context.audit(
        tx,
        user,
        'form.draft.edit',
        { type: 'form-definition', id: formId },
        {
          change: result.change,
          ...(result.at === undefined ? {} : { at: result.at }),
          ...summariseDiff(diffVersions(draft.definition, result.definition)),
        },
      );
    });
    res.redirect(303, next(result.at));
  };

  const backToDraft = async (
    req: Request,
    res: Response,
    formId: string,
    errors: FieldProblem[],
  ) => {
    const draft = await context.draftOf(formId);
    pages.render(req, res, 'form-admin/refused', {
      title: 'The change was not made',
      formId,
      reasons: errors.map((error) => error.text),
      errors,
      errorList: errors.map((error) => ({ text: error.text, href: '#reasons' })),
      backLink: draftPath(formId),
      draftTitle: draft.definition.title,
    });
  };

  return { saveEdit, backToDraft };
}
