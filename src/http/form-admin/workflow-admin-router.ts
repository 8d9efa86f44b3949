import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { toDefinitionText } from '../../forms/editor/check-form-candidate.js';
import { toVersionLabel } from '../../forms/form-catalog.js';
import { toJsonLines } from '../../forms/json-lines.js';
import { checkWorkflowDefinition, toWorkflowVersion } from '../../workflow/load-workflows.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';
import { noticeOf, fieldOf, formatWhen, type FormAdminContext } from './form-admin-context.js';

const stateLabels = { draft: 'Draft', published: 'Published', archived: 'Archived' } as const;

/**
 * Workflow definitions for form administrators: each viewable and checkable, versioned as forms
 * are (draft, published, archived), edited as JSON with the checks `formwork workflows check`
 * runs, published and rolled back.
 */
export function createWorkflowAdminRouter(context: FormAdminContext): Router {
  const { db, forms, pages, stepTypes } = context.options;
  const store = context.workflowVersions;
  const router = Router();

  /** Everything wrong with a workflow definition, as `file /pointer: message` lines. */
  const problemsOf = (
    workflowId: string,
    parsed: unknown,
    lineOf?: (pointer: string) => number,
  ) => {
    const problems = checkWorkflowDefinition('definition', parsed, forms, stepTypes).map(
      (problem) => ({ pointer: problem.pointer, message: problem.message }),
    );
    const definition = parsed as Partial<WorkflowDefinition>;
    if (problems.length === 0 && definition.id !== workflowId)
      problems.push({
        pointer: '/id',
        message: `must stay "${workflowId}": a workflow keeps its id`,
      });
    const other = context.options.workflows
      ?.list()
      .find(
        (workflow) =>
          workflow.definition.form === definition.form && workflow.definition.id !== workflowId,
      );
    if (problems.length === 0 && other)
      problems.push({
        pointer: '/form',
        message: `the form "${String(definition.form)}" already starts the workflow "${other.definition.id}"`,
      });
    return problems.map((problem) =>
      lineOf
        ? `Line ${String(lineOf(problem.pointer))} (${problem.pointer || '/'}): ${problem.message}`
        : `${problem.pointer || '/'}: ${problem.message}`,
    );
  };

  router.get('/admin/workflows', async (req, res) => {
    context.requireAdmin(req);
    const ids = await store.ids();
    pages.render(req, res, 'form-admin/workflows', {
      title: 'Workflows',
      workflows: ids.map((entry) => ({
        id: entry.id,
        form: formOf((entry.published ?? entry.draft)?.definition),
        published: entry.published?.number,
        hasDraft: Boolean(entry.draft),
      })),
    });
  });

  router.get('/admin/workflows/:workflowId', async (req, res) => {
    context.requireAdmin(req);
    const workflowId = req.params.workflowId;
    const versions = await store.list(workflowId);
    if (versions.length === 0) throw new AppError('ERR_FORM_NOT_FOUND', 'no such workflow');
    const published = versions.find((version) => version.state === 'published');
    pages.render(req, res, 'form-admin/workflow', {
      title: `Workflow ${workflowId}`,
      workflowId,
      notice: noticeOf(req),
      hasDraft: versions.some((version) => version.state === 'draft'),
      // the published definition, checked as it stands against today's forms
      problems: published ? problemsOf(workflowId, published.definition) : [],
      publishedText: published ? toDefinitionText(published.definition) : '',
      versions: versions.map((version) => ({
        number: version.number,
        state: version.state,
        stateLabel: stateLabels[version.state],
        when: formatWhen(version.publishedAt ?? version.updatedAt),
      })),
    });
  });

  router.post('/admin/workflows/:workflowId/draft/new', async (req, res) => {
    const user = context.requireAdmin(req);
    const workflowId = req.params.workflowId;
    const from = fieldOf(req, 'from');
    const base = from
      ? await context.versionOf(store, workflowId, from)
      : await store.published(workflowId);
    if (!base) throw new AppError('ERR_FORM_NOT_FOUND', 'nothing to start a draft from');
    if (!(await store.draft(workflowId))) {
      await db.transaction(async (tx) => {
        await store.saveDraft(
          tx,
          workflowId,
          { ...base.definition, version: toVersionLabel(base.version) },
          user.id,
        );
        await context.audit(
          tx,
          user,
          'workflow.draft.create',
          { type: 'workflow-definition', id: workflowId },
          { from: base.number },
        );
      });
    }
    res.redirect(303, `/admin/workflows/${workflowId}/draft`);
  });

  const renderDraft = (
    req: Request,
    res: Response,
    workflowId: string,
    text: string,
    errors: string[],
    notice?: string,
  ) => {
    res.status(errors.length > 0 ? 422 : 200);
    pages.render(req, res, 'form-admin/workflow-draft', {
      title: `Draft of the workflow ${workflowId}`,
      workflowId,
      text,
      notice,
      errors,
      errorList: errors.map((text) => ({ text, href: '#definition' })),
      backLink: `/admin/workflows/${workflowId}`,
    });
  };

  const draftOf = async (workflowId: string) => {
    const draft = await store.draft(workflowId);
    if (!draft) throw new AppError('ERR_FORM_VERSION_NOT_FOUND', 'no draft of this workflow');
    return draft;
  };

  router.get('/admin/workflows/:workflowId/draft', async (req, res) => {
    context.requireAdmin(req);
    const workflowId = req.params.workflowId;
    const draft = await draftOf(workflowId);
    renderDraft(
      req,
      res,
      workflowId,
      toDefinitionText(draft.definition),
      [],
      req.query.notice === 'saved' ? 'The draft was saved' : undefined,
    );
  });

  router.post('/admin/workflows/:workflowId/draft', async (req, res) => {
    const user = context.requireAdmin(req);
    const workflowId = req.params.workflowId;
    await draftOf(workflowId);
    const text = req.formBody?.get('definition')?.[0] ?? '';
    const parsed = toJsonLines(text);
    if (!parsed.ok) {
      renderDraft(req, res, workflowId, text, [
        `Line ${String(parsed.line)}, column ${String(parsed.column)}: ${parsed.message}`,
      ]);
      return;
    }
    const problems = problemsOf(workflowId, parsed.value, parsed.lineOf);
    if (problems.length > 0) {
      renderDraft(req, res, workflowId, text, problems);
      return;
    }
    const action = fieldOf(req, '_action');
    if (action === 'publish') {
      const definition = parsed.value as WorkflowDefinition;
      const version = toWorkflowVersion(definition.version, toDefinitionText(definition));
      const number = await db.transaction(async (tx) => {
        const made = await store.publish(tx, workflowId, version, definition, user.id);
        await store.deleteDraft(tx, workflowId);
        await context.audit(
          tx,
          user,
          'workflow.publish',
          { type: 'workflow-definition', id: workflowId },
          { number: made, version },
        );
        return made;
      });
      await context.options.workflows?.refresh();
      res.redirect(303, `/admin/workflows/${workflowId}?notice=published-${String(number)}`);
      return;
    }
    await db.transaction(async (tx) => {
      await store.saveDraft(tx, workflowId, parsed.value, user.id);
      await context.audit(
        tx,
        user,
        'workflow.draft.edit',
        { type: 'workflow-definition', id: workflowId },
        { change: 'json' },
      );
    });
    res.redirect(303, `/admin/workflows/${workflowId}/draft?notice=saved`);
  });

  router.get('/admin/workflows/:workflowId/versions/:number/export', async (req, res) => {
    context.requireAdmin(req);
    const workflowId = req.params.workflowId;
    const version = await context.versionOf(store, workflowId, req.params.number);
    res
      .type('application/json')
      .attachment(`${workflowId}-version-${String(version.number)}.json`)
      .send(toDefinitionText({ ...version.definition, version: toVersionLabel(version.version) }));
  });

  router.post('/admin/workflows/:workflowId/versions/:number/rollback', async (req, res) => {
    const user = context.requireAdmin(req);
    const workflowId = req.params.workflowId;
    const target = await context.versionOf(store, workflowId, req.params.number);
    const problems = problemsOf(workflowId, {
      ...target.definition,
      version: toVersionLabel(target.version),
    });
    if (problems.length > 0) {
      res.status(422);
      pages.render(req, res, 'form-admin/refused', {
        title: `Version ${String(target.number)} cannot be published again`,
        reasons: problems,
        errors: problems,
        errorList: problems.map((text) => ({ text, href: '#reasons' })),
        backLink: `/admin/workflows/${workflowId}`,
      });
      return;
    }
    const current = await store.published(workflowId);
    await db.transaction(async (tx) => {
      await store.publish(tx, workflowId, target.version, target.definition, user.id);
      await context.audit(
        tx,
        user,
        'workflow.rollback',
        { type: 'workflow-definition', id: workflowId },
        {
          from: current?.number,
          to: target.number,
          version: target.version,
        },
      );
    });
    await context.options.workflows?.refresh();
    res.redirect(303, `/admin/workflows/${workflowId}?notice=rolled-back-${String(target.number)}`);
  });

  return router;
}

function formOf(definition: Record<string, unknown> | undefined): string {
  return typeof definition?.form === 'string' ? definition.form : '';
}
