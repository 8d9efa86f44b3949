import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import {
  checkFormCandidate,
  toDefinitionText,
  type CandidateProblem,
} from '../../forms/editor/check-form-candidate.js';
import { diffVersions } from '../../forms/editor/diff-versions.js';
import { toWritableDefinition } from '../../forms/form-catalog.js';
import type { RawFormDefinition } from '../../forms/form-definition.js';
import { toJsonLines } from '../../forms/json-lines.js';
import {
  noticeOf,
  summariseDiff,
  definitionImportBytes,
  fieldOf,
  formatWhen,
  type FormAdminContext,
} from './form-admin-context.js';

const stateLabels = { draft: 'Draft', published: 'Published', archived: 'Archived' } as const;

/**
 * The form administrators' pages for forms: the list, a form's versions, the JSON editor of its
 * draft, comparing versions, importing and exporting definition files (publishing and rolling
 * back: form-publish-router.ts).
 */
export function createFormAdminRouter(context: FormAdminContext): Router {
  const { forms, db, pages } = context.options;
  const store = context.formVersions;
  const router = Router();

  const renderList = async (req: Request, res: Response, errors: CandidateProblem[] = []) => {
    const ids = await store.ids();
    res.status(errors.length > 0 ? 422 : 200);
    pages.render(req, res, 'form-admin/forms', {
      title: 'Forms',
      errors,
      errorList: errors.map((error) => ({ text: error.message, href: '#file' })),
      forms: ids.map((entry) => {
        const definition = (entry.published ?? entry.draft)?.definition ?? {};
        return {
          id: entry.id,
          title: typeof definition.title === 'string' ? definition.title : entry.id,
          published: entry.published?.number ?? undefined,
          hasDraft: Boolean(entry.draft),
        };
      }),
    });
  };

  router.get('/admin/forms', async (req, res) => {
    context.requireAdmin(req);
    await renderList(req, res);
  });

  router.get('/admin/forms/:formId', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const versions = await store.list(formId);
    if (versions.length === 0) throw new AppError('ERR_FORM_NOT_FOUND', 'no such form');
    const published = versions.find((version) => version.state === 'published');
    const stored = (published ?? versions[0])?.definition.title;
    const title = typeof stored === 'string' ? stored : formId;
    pages.render(req, res, 'form-admin/form', {
      title,
      formId,
      notice: noticeOf(req),
      hasDraft: versions.some((version) => version.state === 'draft'),
      numbers: versions.flatMap((version) => (version.number === null ? [] : [version.number])),
      published: published?.number,
      versions: versions.map((version) => ({
        number: version.number,
        state: version.state,
        stateLabel: stateLabels[version.state],
        when: formatWhen(version.publishedAt ?? version.updatedAt),
        source: version.source === 'file' ? 'Loaded from the forms folder' : 'Made in the editor',
      })),
    });
  });

  router.post('/admin/forms/:formId/draft', async (req, res) => {
    const user = context.requireAdmin(req);
    const formId = req.params.formId;
    const from = fieldOf(req, 'from');
    const base = from
      ? await context.versionOf(store, formId, from)
      : await store.published(formId);
    if (!base) throw new AppError('ERR_FORM_NOT_FOUND', 'nothing to start a draft from');
    if (await store.draft(formId)) {
      res.redirect(303, `/admin/forms/${formId}/draft`);
      return;
    }
    await db.transaction(async (tx) => {
      await store.saveDraft(
        tx,
        formId,
        toWritableDefinition(base.definition as RawFormDefinition, base.version),
        user.id,
      );
      await context.audit(
        tx,
        user,
        'form.draft.create',
        { type: 'form-definition', id: formId },
        {
          from: base.number,
        },
      );
    });
    res.redirect(303, `/admin/forms/${formId}/draft`);
  });

  router.post('/admin/forms/:formId/draft/discard', async (req, res) => {
    const user = context.requireAdmin(req);
    const formId = req.params.formId;
    // a second press, or a draft already published: there is nothing left to discard
    if (!(await store.draft(formId))) {
      if (!(await store.published(formId)))
        throw new AppError('ERR_FORM_VERSION_NOT_FOUND', 'no such form');
      res.redirect(303, `/admin/forms/${formId}?notice=discarded`);
      return;
    }
    await db.transaction(async (tx) => {
      await store.deleteDraft(tx, formId);
      await context.audit(
        tx,
        user,
        'form.draft.discard',
        { type: 'form-definition', id: formId },
        {},
      );
    });
    res.redirect(303, `/admin/forms/${formId}?notice=discarded`);
  });

  const renderJson = (
    req: Request,
    res: Response,
    formId: string,
    text: string,
    errors: { text: string }[],
  ) => {
    res.status(errors.length > 0 ? 422 : 200);
    pages.render(req, res, 'form-admin/json-editor', {
      title: 'Edit the definition as JSON',
      formId,
      text,
      errors,
      errorList: errors.map((error) => ({ text: error.text, href: '#definition' })),
      action: `/admin/forms/${formId}/draft/json`,
      backLink: `/admin/forms/${formId}/draft`,
    });
  };

  router.get('/admin/forms/:formId/draft/json', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const draft = await context.draftOf(formId);
    renderJson(req, res, formId, toDefinitionText(draft.definition), []);
  });

  router.post('/admin/forms/:formId/draft/json', async (req, res) => {
    const user = context.requireAdmin(req);
    const formId = req.params.formId;
    const draft = await context.draftOf(formId);
    const text = req.formBody?.get('definition')?.[0] ?? '';
    const parsed = toJsonLines(text);
    if (!parsed.ok) {
      renderJson(req, res, formId, text, [
        { text: `Line ${String(parsed.line)}, column ${String(parsed.column)}: ${parsed.message}` },
      ]);
      return;
    }
    const checked = checkFormCandidate(parsed.value, forms, formId);
    if (checked.problems.length > 0) {
      renderJson(
        req,
        res,
        formId,
        text,
        checked.problems.map((problem) => ({
          text: `Line ${String(parsed.lineOf(problem.pointer))} (${problem.pointer || '/'}): ${problem.message}`,
        })),
      );
      return;
    }
    const diff = diffVersions(draft.definition, parsed.value as RawFormDefinition);
    await db.transaction(async (tx) => {
      await store.saveDraft(tx, formId, parsed.value, user.id);
      await context.audit(
        tx,
        user,
        'form.draft.edit',
        { type: 'form-definition', id: formId },
        {
          change: 'json',
          ...summariseDiff(diff),
        },
      );
    });
    res.redirect(303, `/admin/forms/${formId}/draft?notice=saved`);
  });

  router.get('/admin/forms/:formId/compare', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const pick = async (which: unknown) =>
      which === 'draft'
        ? await context.draftOf(formId)
        : await context.versionOf(store, formId, typeof which === 'string' ? which : '');
    // without a choice, what publishing the draft would change
    const published = await store.published(formId);
    const from = await pick(req.query.from ?? String(published?.number ?? ''));
    const to = await pick(req.query.to ?? 'draft');
    const diff = diffVersions(
      from.definition as RawFormDefinition,
      to.definition as RawFormDefinition,
    );
    const name = (version: { number: number | null }) =>
      version.number === null ? 'the draft' : `version ${String(version.number)}`;
    pages.render(req, res, 'form-admin/compare', {
      title: `Changes from ${name(from)} to ${name(to)}`,
      formId,
      diff,
      backLink: `/admin/forms/${formId}`,
    });
  });

  router.get('/admin/forms/:formId/versions/:number/export', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const version = await context.versionOf(store, formId, req.params.number);
    res
      .type('application/json')
      .attachment(`${formId}-version-${String(version.number)}.json`)
      .send(
        toDefinitionText(
          toWritableDefinition(version.definition as RawFormDefinition, version.version),
        ),
      );
  });

  router.get('/admin/forms/:formId/draft/export', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const draft = await context.draftOf(formId);
    res
      .type('application/json')
      .attachment(`${formId}-draft.json`)
      .send(toDefinitionText(draft.definition));
  });

  router.post('/admin/forms/import', async (req, res) => {
    const user = context.requireAdmin(req);
    const file = req.uploads?.find((upload) => upload.field === 'file');
    const refuse = (message: string) => renderList(req, res, [{ pointer: '', message }]);
    if (!file || file.sizeBytes === 0) return refuse('Select a definition file (.json)');
    if (file.tooLarge)
      return refuse(
        `The file must be smaller than ${String(definitionImportBytes / 1024 / 1024)} MB`,
      );
    if (!file.filename.toLowerCase().endsWith('.json'))
      return refuse('The selected file must be a .json file');
    const parsed = toJsonLines(await readFile(file.path, 'utf8'));
    if (!parsed.ok)
      return refuse(
        `The file is not valid JSON: line ${String(parsed.line)}, column ${String(parsed.column)}: ${parsed.message}`,
      );
    const checked = checkFormCandidate(parsed.value, forms);
    if (checked.problems.length > 0) {
      return renderList(
        req,
        res,
        checked.problems.map((problem) => ({
          pointer: problem.pointer,
          message: `Line ${String(parsed.lineOf(problem.pointer))} (${problem.pointer || '/'}): ${problem.message}`,
        })),
      );
    }
    const formId = (parsed.value as RawFormDefinition).id;
    await db.transaction(async (tx) => {
      await store.saveDraft(tx, formId, parsed.value, user.id);
      await context.audit(
        tx,
        user,
        'form.import',
        { type: 'form-definition', id: formId },
        {
          filename: file.filename,
        },
      );
    });
    res.redirect(303, `/admin/forms/${formId}/draft?notice=imported`);
  });

  /** Why publishing `definition` as `version` is refused (empty: it may be published). */
  return router;
}
