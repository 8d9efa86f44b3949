import { Router, type Request, type Response } from 'express';
import { checkFormCandidate, toDefinitionText } from '../../forms/editor/check-form-candidate.js';
import type { StoredVersion } from '../../forms/editor/definition-version-store.js';
import { diffVersions } from '../../forms/editor/diff-versions.js';
import { findBreakingChanges } from '../../forms/editor/find-breaking-changes.js';
import { toWritableDefinition } from '../../forms/form-catalog.js';
import type { RawFormDefinition } from '../../forms/form-definition.js';
import { summariseDiff, type FormAdminContext } from './form-admin-context.js';

/**
 * Publishing a form's draft and rolling back to an earlier version: both refused, with the
 * reason, when the version fails the checks or would break a published workflow's step.
 */
export function createFormPublishRouter(context: FormAdminContext): Router {
  const { forms, db, pages } = context.options;
  const store = context.formVersions;
  const router = Router();

  const publishProblems = (formId: string, definition: RawFormDefinition, stored?: string) => {
    // a stored version is checked as it would be written back to a file
    const candidate = stored === undefined ? definition : toWritableDefinition(definition, stored);
    const checked = checkFormCandidate(candidate, forms, formId);
    if (checked.problems.length > 0 || !checked.model) {
      return {
        version: checked.version,
        reasons: checked.problems.map((problem) => `${problem.pointer || '/'}: ${problem.message}`),
      };
    }
    const model = stored === undefined ? checked.model : forms.toModel(definition, stored);
    const breaking = findBreakingChanges(
      forms.get(formId),
      model,
      context.options.workflows?.list().map((workflow) => workflow.definition) ?? [],
      context.options.stepTypes,
    );
    return { version: checked.version, reasons: breaking.map((change) => change.message) };
  };

  /** Why the draft cannot be published now, if it cannot. */
  const draftProblems = (
    formId: string,
    draft: RawFormDefinition,
    published: StoredVersion | undefined,
  ): string[] => {
    const same =
      published !== undefined &&
      toDefinitionText(draft) ===
        toDefinitionText(
          toWritableDefinition(published.definition as RawFormDefinition, published.version),
        );
    if (same)
      return ['The draft is the same as the published version: there is nothing to publish'];
    return publishProblems(formId, draft).reasons;
  };

  const renderPublish = async (req: Request, res: Response, formId: string, reasons?: string[]) => {
    const draft = await context.draftOf(formId);
    const published = await store.published(formId);
    const found = reasons ?? draftProblems(formId, draft.definition, published);
    res.status(reasons && reasons.length > 0 ? 422 : 200);
    pages.render(req, res, 'form-admin/publish', {
      title: 'Publish the draft',
      formId,
      reasons: found,
      errors: reasons ?? [],
      errorList: (reasons ?? []).map((text) => ({ text, href: '#reasons' })),
      diff: published
        ? diffVersions(published.definition as RawFormDefinition, draft.definition)
        : undefined,
      backLink: `/admin/forms/${formId}/draft`,
    });
  };

  router.get('/admin/forms/:formId/draft/publish', async (req, res) => {
    context.requireAdmin(req);
    await renderPublish(req, res, req.params.formId);
  });

  router.post('/admin/forms/:formId/draft/publish', async (req, res) => {
    const user = context.requireAdmin(req);
    const formId = req.params.formId;
    const draft = await context.draftOf(formId);
    const published = await store.published(formId);
    const reasons = draftProblems(formId, draft.definition, published);
    if (reasons.length > 0) {
      await renderPublish(req, res, formId, reasons);
      return;
    }
    const { version } = publishProblems(formId, draft.definition);
    const diff = published
      ? diffVersions(published.definition as RawFormDefinition, draft.definition)
      : undefined;
    const number = await db.transaction(async (tx) => {
      const made = await store.publish(tx, formId, version, draft.definition, user.id);
      await store.deleteDraft(tx, formId);
      await context.audit(
        tx,
        user,
        'form.publish',
        { type: 'form-definition', id: formId },
        {
          number: made,
          version,
          ...(diff ? summariseDiff(diff) : {}),
        },
      );
      return made;
    });
    await forms.refresh();
    res.redirect(303, `/admin/forms/${formId}?notice=published-${String(number)}`);
  });

  router.post('/admin/forms/:formId/versions/:number/rollback', async (req, res) => {
    const user = context.requireAdmin(req);
    const formId = req.params.formId;
    const target = await context.versionOf(store, formId, req.params.number);
    if (target.state === 'published') {
      res.redirect(303, `/admin/forms/${formId}`);
      return;
    }
    const definition = target.definition as RawFormDefinition;
    const { reasons } = publishProblems(formId, definition, target.version);
    if (reasons.length > 0) {
      res.status(422);
      pages.render(req, res, 'form-admin/refused', {
        title: `Version ${String(target.number)} cannot be published again`,
        formId,
        reasons,
        errors: reasons,
        errorList: reasons.map((text) => ({ text, href: '#reasons' })),
        backLink: `/admin/forms/${formId}`,
      });
      return;
    }
    const current = await store.published(formId);
    await db.transaction(async (tx) => {
      await store.publish(tx, formId, target.version, definition, user.id);
      await context.audit(
        tx,
        user,
        'form.rollback',
        { type: 'form-definition', id: formId },
        {
          from: current?.number,
          to: target.number,
          version: target.version,
        },
      );
    });
    await forms.refresh();
    res.redirect(303, `/admin/forms/${formId}?notice=rolled-back-${String(target.number)}`);
  });

  return router;
}
