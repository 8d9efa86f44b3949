import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { checkFormCandidate } from '../../forms/editor/check-form-candidate.js';
import type { FieldError } from '../../forms/field-error.js';
import type { FormBody } from '../../forms/form-body.js';
import type { FormModel } from '../../forms/form-model.js';
import { groupBySection } from '../../forms/form-sections.js';
import { holdBackUnasked } from '../../forms/hold-back-unasked.js';
import { renderQuestionFields } from '../../render/question-page-view.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import type { FormAdminContext } from './form-admin-context.js';

/** A preview's answers, kept in the administrator's session (never a draft or a submission). */
interface PreviewState {
  formId: string;
  /** The draft's last save: a changed draft starts the preview again. */
  draftSavedAt: string;
  answers: Record<string, unknown>;
}

const stateKey = 'formPreview';

/**
 * Preview of a form's draft, page by page, exactly as a person filling it in sees it (error
 * summary and all). The answers stay in the administrator's session: no draft, no submission.
 */
export function createFormPreviewRouter(context: FormAdminContext): Router {
  const { forms, pages } = context.options;
  const router = Router();

  const previewOf = async (req: Request) => {
    context.requireAdmin(req);
    const formId = String(req.params.formId);
    const draft = await context.draftOf(formId);
    const model = checkFormCandidate(draft.definition, forms, formId).model;
    if (!model) throw new AppError('ERR_FORM_VERSION_NOT_FOUND', 'the draft cannot be previewed');
    const session = req.session;
    if (!session) throw new AppError('ERR_AUTH_REQUIRED', 'no session');
    const savedAt = draft.updatedAt.toISOString();
    const stored = session.data[stateKey] as PreviewState | undefined;
    const state: PreviewState =
      stored?.formId === formId && stored.draftSavedAt === savedAt
        ? stored
        : { formId, draftSavedAt: savedAt, answers: {} };
    const base = `/admin/forms/${formId}/draft/preview`;
    const keep = (answers: Record<string, unknown>) => {
      session.data = { ...session.data, [stateKey]: { ...state, answers } };
    };
    return { formId, model, state, base, keep };
  };

  router.get('/admin/forms/:formId/draft/preview', async (req, res) => {
    const { model, base, keep } = await previewOf(req);
    keep({});
    const first = model.pagesShown({})[0];
    res.redirect(303, first ? `${base}/${first.id}` : `${base}/check-answers`);
  });

  router.get('/admin/forms/:formId/draft/preview/check-answers', async (req, res) => {
    const { model, state, base, formId } = await previewOf(req);
    const result = model.validate(state.answers);
    if (result.errors.length > 0) {
      res.redirect(303, `${base}/${model.pageWithErrors(state.answers, result.errors) ?? ''}`);
      return;
    }
    pages.render(req, res, 'check-answers', {
      title: 'Check your answers before sending',
      form: model.definition,
      preview: previewBanner(formId),
      sections: groupBySection(
        model,
        model.summary(result.data).map((section) => ({
          pageId: section.pageId,
          title: section.title,
          rows: section.rows.map((row) => ({
            key: { text: row.key },
            value: { html: row.valueHtml },
            actions: {
              items: [
                {
                  href: `${base}/${section.pageId}`,
                  text: 'Change',
                  visuallyHiddenText: row.key.toLowerCase(),
                },
              ],
            },
          })),
        })),
      ),
      action: `${base}/check-answers`,
      backLink: `${base}/${model.pagesShown(state.answers).at(-1)?.id ?? ''}`,
    });
  });

  router.post('/admin/forms/:formId/draft/preview/check-answers', async (req, res) => {
    const { formId } = await previewOf(req);
    pages.render(req, res, 'form-admin/preview-end', {
      title: 'End of the preview',
      formId,
      backLink: `/admin/forms/${formId}/draft`,
    });
  });

  router.get('/admin/forms/:formId/draft/preview/:pageId', async (req, res) => {
    const preview = await previewOf(req);
    renderPage(req, res, preview, req.params.pageId, preview.state.answers, {}, []);
  });

  router.post('/admin/forms/:formId/draft/preview/:pageId', async (req, res) => {
    const preview = await previewOf(req);
    const { model, state, base, keep } = preview;
    const pageId = shownPageId(model, state.answers, req.params.pageId);
    const body: FormBody = req.formBody ?? new Map();
    const parsed = model.parsePage(pageId, body, state.answers);
    const action = body.get('_action')?.[0] ?? 'continue';
    if (action.startsWith('add:')) {
      keep(model.addItem(pageId, action.slice('add:'.length), parsed.answers));
      res.redirect(303, `${base}/${pageId}`);
      return;
    }
    const { errors, askAgain } = holdBackUnasked(
      model,
      pageId,
      parsed.answers,
      body,
      model.orderErrors(pageId, merge(parsed.errors, model.validatePage(pageId, parsed.answers))),
    );
    keep(parsed.answers);
    if (errors.length > 0 || askAgain) {
      res.status(errors.length > 0 ? 422 : 200);
      renderPage(req, res, preview, pageId, parsed.answers, parsed.raw, errors, askAgain);
      return;
    }
    const next = model.nextPageId(pageId, parsed.answers);
    res.redirect(303, next ? `${base}/${next}` : `${base}/check-answers`);
  });

  const renderPage = (
    req: Request,
    res: Response,
    preview: Awaited<ReturnType<typeof previewOf>>,
    requested: string,
    answers: Record<string, unknown>,
    raw: Record<string, unknown>,
    errors: FieldError[],
    askAgain = false,
  ) => {
    const { model, base, formId } = preview;
    const pageId = shownPageId(model, answers, requested);
    const page = model.pages.find((candidate) => candidate.id === pageId);
    if (!page) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no such page');
    const previous = model.previousPageId(pageId, answers);
    pages.render(req, res, 'question', {
      title: page.title,
      form: model.definition,
      preview: previewBanner(formId),
      pageTitle: page.title,
      pageDescription: page.description,
      errors,
      errorList: errors.map((error) => ({ text: error.text, href: error.href })),
      fieldsHtml: renderQuestionFields({
        fields: model.fieldsFor(pageId, answers),
        answers,
        raw,
        errors,
        reveals: model.reveals(pageId),
        isShown: (pointer) => model.isShown(pointer, answers),
        isConditional: (pattern) => model.index.get(pattern)?.conditional === true,
        component: pages.component,
      }),
      askAgain: askAgain && errors.length === 0,
      // files are not kept in a preview: the page posts without them
      multipart: false,
      action: `${base}/${pageId}`,
      canSave: false,
      backLink: previous ? `${base}/${previous}` : `/admin/forms/${formId}/draft`,
    });
  };

  return router;
}

function previewBanner(formId: string) {
  return {
    html: `<p class="govuk-notification-banner__heading">This is a preview of the draft. Nothing you enter is saved or sent.</p><p class="govuk-body"><a class="govuk-notification-banner__link" href="/admin/forms/${escapeHtml(formId)}/draft">Back to the draft</a></p>`,
  };
}

function shownPageId(model: FormModel, answers: Record<string, unknown>, pageId: string): string {
  const page = model.pagesShown(answers).find((candidate) => candidate.id === pageId);
  if (!page) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no such page, or not shown');
  return page.id;
}

function merge(first: FieldError[], second: FieldError[]): FieldError[] {
  const seen = new Set(first.map((error) => error.path));
  return [...first, ...second.filter((error) => !seen.has(error.path))];
}
