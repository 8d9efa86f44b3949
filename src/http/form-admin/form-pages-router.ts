import { Router, type Request, type Response } from 'express';
import { questionTypes, type QuestionType } from '../../forms/editor/question-nodes.js';
import { EditRefused, toChoices, withPages } from '../../forms/editor/structured-edits.js';
import { addPage, movePage, removePage, updatePage } from '../../forms/editor/page-edits.js';
import { fieldOf, type FormAdminContext } from './form-admin-context.js';
import { createDraftEdits, draftPath, type FieldProblem } from './draft-edits.js';

/** The structured editor's pages of a draft: add, change, remove and move a page. */
export function createFormPagesRouter(context: FormAdminContext): Router {
  const { pages } = context.options;
  const { saveEdit, backToDraft } = createDraftEdits(context);
  const router = Router();

  const renderPage = async (
    req: Request,
    res: Response,
    formId: string,
    state: { pageId?: string; values: Record<string, string>; errors: FieldProblem[] },
  ) => {
    await context.draftOf(formId);
    pages.render(req, res, 'form-admin/page', {
      title: state.pageId ? 'Change the page' : 'Add a page',
      formId,
      adding: state.pageId === undefined,
      values: state.values,
      errors: state.errors,
      errorList: state.errors,
      errorFor: (field: string) => state.errors.find((error) => error.href === `#${field}`)?.text,
      types: Object.entries(questionTypes).map(([value, text]) => ({ value, text })),
      action: state.pageId
        ? `/admin/forms/${formId}/draft/pages/${state.pageId}`
        : `/admin/forms/${formId}/draft/pages`,
      backLink: draftPath(formId),
    });
  };

  router.get('/admin/forms/:formId/draft/pages/new', async (req, res) => {
    context.requireAdmin(req);
    await renderPage(req, res, req.params.formId, {
      values: { questionType: 'text' },
      errors: [],
    });
  });

  router.post('/admin/forms/:formId/draft/pages', async (req, res) => {
    const formId = req.params.formId;
    await saveEdit(
      req,
      res,
      formId,
      (draft) => {
        const title = fieldOf(req, 'pageTitle');
        if (!title) throw new EditRefused('Enter the page title', 'pageTitle');
        const questionTitle = fieldOf(req, 'questionTitle');
        if (!questionTitle) throw new EditRefused('Enter the first question', 'questionTitle');
        const type = fieldOf(req, 'questionType');
        if (!(type in questionTypes))
          throw new EditRefused('Choose the type of answer', 'questionType');
        const added = addPage(draft, title, {
          title: questionTitle,
          hint: '',
          type: type as QuestionType,
          required: true,
          choices: toChoices(req.formBody?.get('choices')?.[0] ?? ''),
        });
        return { definition: added.definition, change: 'page.add', at: added.pageId };
      },
      (errors) =>
        renderPage(req, res, formId, {
          values: {
            pageTitle: fieldOf(req, 'pageTitle'),
            questionTitle: fieldOf(req, 'questionTitle'),
            questionType: fieldOf(req, 'questionType'),
            choices: req.formBody?.get('choices')?.[0] ?? '',
          },
          errors,
        }),
    );
  });

  router.get('/admin/forms/:formId/draft/pages/:pageId', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const draft = await context.draftOf(formId);
    const page = withPages(draft.definition).pages.find((item) => item.id === req.params.pageId);
    if (!page) {
      res.status(404);
      await backToDraft(req, res, formId, [
        { text: 'That page is not on this form', href: '#edit' },
      ]);
      return;
    }
    await renderPage(req, res, formId, {
      pageId: page.id,
      values: { pageTitle: page.title, pageDescription: page.description ?? '' },
      errors: [],
    });
  });

  router.post('/admin/forms/:formId/draft/pages/:pageId', async (req, res) => {
    const formId = req.params.formId;
    const pageId = req.params.pageId;
    await saveEdit(
      req,
      res,
      formId,
      (draft) => {
        const title = fieldOf(req, 'pageTitle');
        if (!title) throw new EditRefused('Enter the page title', 'pageTitle');
        if (!withPages(draft).pages.some((page) => page.id === pageId))
          throw new EditRefused('That page is not on this form');
        return {
          definition: updatePage(draft, pageId, title, fieldOf(req, 'pageDescription')),
          change: 'page.change',
          at: pageId,
        };
      },
      (errors) =>
        renderPage(req, res, formId, {
          pageId,
          values: {
            pageTitle: fieldOf(req, 'pageTitle'),
            pageDescription: fieldOf(req, 'pageDescription'),
          },
          errors,
        }),
    );
  });

  router.post('/admin/forms/:formId/draft/pages/:pageId/remove', async (req, res) => {
    const formId = req.params.formId;
    const pageId = req.params.pageId;
    await saveEdit(
      req,
      res,
      formId,
      (draft) => ({ definition: removePage(draft, pageId), change: 'page.remove', at: pageId }),
      (errors) => backToDraft(req, res, formId, errors),
    );
  });

  router.post('/admin/forms/:formId/draft/pages/:pageId/move', async (req, res) => {
    const formId = req.params.formId;
    const pageId = req.params.pageId;
    const direction = fieldOf(req, 'direction') === 'up' ? 'up' : 'down';
    await saveEdit(
      req,
      res,
      formId,
      (draft) => ({
        definition: movePage(draft, pageId, direction),
        change: `page.move-${direction}`,
        at: pageId,
      }),
      (errors) => backToDraft(req, res, formId, errors),
    );
  });

  return router;
}
