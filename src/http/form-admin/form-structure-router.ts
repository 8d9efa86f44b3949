import { Router, type Request, type Response } from 'express';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import { questionTypes, type QuestionType } from '../../forms/editor/question-nodes.js';
import {
  addQuestion,
  EditRefused,
  findQuestion,
  fromChoices,
  moveQuestion,
  pageContainer,
  pageQuestions,
  removeQuestion,
  toChoices,
  toConditionValue,
  updateQuestion,
  withPages,
  type QuestionFields,
} from '../../forms/editor/structured-edits.js';
import type { RawFormDefinition } from '../../forms/form-definition.js';
import { fieldOf, type FormAdminContext } from './form-admin-context.js';
import { createDraftEdits, draftPath, type FieldProblem } from './draft-edits.js';

const savedNotices: Record<string, string> = {
  saved: 'The draft was saved',
  imported: 'The file was imported as the draft',
};

/**
 * The structured editor of a form's draft: its overview, and its questions changed one form post
 * at a time (pages: form-pages-router.ts).
 */
export function createFormStructureRouter(context: FormAdminContext): Router {
  const { pages } = context.options;
  const store = context.formVersions;
  const { saveEdit, backToDraft } = createDraftEdits(context);
  const router = Router();

  router.get('/admin/forms/:formId/draft', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const draft = await context.draftOf(formId);
    const definition = withPages(draft.definition);
    const published = await store.published(formId);
    const notice =
      typeof req.query.notice === 'string' ? savedNotices[req.query.notice] : undefined;
    pages.render(req, res, 'form-admin/draft', {
      title: `Draft of ${definition.title}`,
      formId,
      notice,
      publishedNumber: published?.number,
      escape: escapeHtml,
      pages: definition.pages.map((page, index) => ({
        id: page.id,
        title: page.title,
        first: index === 0,
        last: index === definition.pages.length - 1,
        questions: pageQuestions(definition, page).map((question, at, all) => ({
          ...question,
          typeLabel: question.type === 'other' ? 'Edited as JSON' : questionTypes[question.type],
          first: at === 0,
          last: at === all.length - 1,
          conditionText: question.condition
            ? `Shown when “${all.find((item) => item.name === question.condition?.controller)?.title ?? question.condition.controller}” is ${describeValue(question.condition.value)}`
            : '',
        })),
      })),
      backLink: `/admin/forms/${formId}`,
    });
  });

  /** Saves an edited definition when it passes the checks; otherwise says why, changing nothing. */

  const renderQuestion = async (
    req: Request,
    res: Response,
    state: {
      formId: string;
      pageId: string;
      pointer?: string;
      values: Record<string, string | boolean>;
      errors: FieldProblem[];
    },
  ) => {
    const draft = await context.draftOf(state.formId);
    const definition = withPages(draft.definition);
    const page = definition.pages.find((item) => item.id === state.pageId);
    const others = page
      ? pageQuestions(definition, page).filter(
          (question) => question.pointer !== state.pointer && !question.condition,
        )
      : [];
    const editing = state.pointer !== undefined;
    pages.render(req, res, 'form-admin/question', {
      title: editing ? 'Change the question' : 'Add a question',
      formId: state.formId,
      pageTitle: page?.title ?? '',
      values: state.values,
      errors: state.errors,
      errorList: state.errors,
      errorFor: (field: string) => state.errors.find((error) => error.href === `#${field}`)?.text,
      types: Object.entries(questionTypes).map(([value, text]) => ({ value, text })),
      canRetype: state.values.type !== 'other',
      controllers: others.map((question) => ({ value: question.name, text: question.title })),
      action: editing
        ? `/admin/forms/${state.formId}/draft/question?at=${encodeURIComponent(state.pointer ?? '')}`
        : `/admin/forms/${state.formId}/draft/pages/${state.pageId}/questions`,
      backLink: draftPath(state.formId),
    });
  };

  const readQuestion = (
    req: Request,
    draft: RawFormDefinition,
    container: string,
  ): QuestionFields => {
    const type = fieldOf(req, 'type');
    const title = fieldOf(req, 'title');
    if (!title) throw new EditRefused('Enter the question', 'title');
    if (type !== 'other' && !(type in questionTypes))
      throw new EditRefused('Choose the type of answer', 'type');
    const controller = fieldOf(req, 'conditionQuestion');
    return {
      title,
      hint: fieldOf(req, 'hint'),
      type: type as QuestionType,
      required: fieldOf(req, 'required') === 'yes',
      choices: toChoices(req.formBody?.get('choices')?.[0] ?? ''),
      condition: controller
        ? {
            controller,
            value: toConditionValue(draft, container, controller, fieldOf(req, 'conditionValue')),
          }
        : undefined,
    };
  };

  const postedValues = (req: Request) => ({
    title: fieldOf(req, 'title'),
    hint: fieldOf(req, 'hint'),
    type: fieldOf(req, 'type'),
    required: fieldOf(req, 'required') === 'yes',
    choices: req.formBody?.get('choices')?.[0] ?? '',
    conditionQuestion: fieldOf(req, 'conditionQuestion'),
    conditionValue: fieldOf(req, 'conditionValue'),
  });

  router.get('/admin/forms/:formId/draft/pages/:pageId/questions/new', async (req, res) => {
    context.requireAdmin(req);
    await renderQuestion(req, res, {
      formId: req.params.formId,
      pageId: req.params.pageId,
      values: { type: 'text', required: true },
      errors: [],
    });
  });

  router.post('/admin/forms/:formId/draft/pages/:pageId/questions', async (req, res) => {
    const formId = req.params.formId;
    const pageId = req.params.pageId;
    await saveEdit(
      req,
      res,
      formId,
      (draft) => {
        const page = withPages(draft).pages.find((item) => item.id === pageId);
        if (!page) throw new EditRefused('That page is not on this form');
        const container = pageContainer(withPages(draft), page);
        const added = addQuestion(draft, pageId, readQuestion(req, draft, container));
        return { definition: added.definition, change: 'question.add', at: added.pointer };
      },
      (errors) => renderQuestion(req, res, { formId, pageId, values: postedValues(req), errors }),
    );
  });

  const pageOfPointer = (draft: RawFormDefinition, pointer: string) => {
    const top = pointer.split('/')[1] ?? '';
    return (
      withPages(draft).pages.find((page) =>
        page.properties.includes(top.replace(/~1/g, '/').replace(/~0/g, '~')),
      )?.id ?? ''
    );
  };

  router.get('/admin/forms/:formId/draft/question', async (req, res) => {
    context.requireAdmin(req);
    const formId = req.params.formId;
    const pointer = typeof req.query.at === 'string' ? req.query.at : '';
    const draft = await context.draftOf(formId);
    const question = (() => {
      try {
        return findQuestion(draft.definition, pointer);
      } catch {
        return undefined;
      }
    })();
    if (!question) {
      res.status(404);
      await backToDraft(req, res, formId, [
        { text: 'That question is not on this form', href: '#edit' },
      ]);
      return;
    }
    await renderQuestion(req, res, {
      formId,
      pageId: pageOfPointer(draft.definition, pointer),
      pointer,
      values: {
        title: question.title,
        hint: question.hint,
        type: question.type,
        required: question.required,
        choices: fromChoices(question.choices),
        conditionQuestion: question.condition?.controller ?? '',
        conditionValue: question.condition ? describeValue(question.condition.value, false) : '',
      },
      errors: [],
    });
  });

  router.post('/admin/forms/:formId/draft/question', async (req, res) => {
    const formId = req.params.formId;
    const pointer = typeof req.query.at === 'string' ? req.query.at : '';
    const draft = await context.draftOf(formId);
    await saveEdit(
      req,
      res,
      formId,
      (definition) => {
        const container = findQuestion(definition, pointer).container;
        return {
          definition: updateQuestion(definition, pointer, readQuestion(req, definition, container)),
          change: 'question.change',
          at: pointer,
        };
      },
      (errors) =>
        renderQuestion(req, res, {
          formId,
          pageId: pageOfPointer(draft.definition, pointer),
          pointer,
          values: postedValues(req),
          errors,
        }),
    );
  });

  router.post('/admin/forms/:formId/draft/question/remove', async (req, res) => {
    const formId = req.params.formId;
    const pointer = fieldOf(req, 'at');
    await saveEdit(
      req,
      res,
      formId,
      (draft) => ({
        definition: removeQuestion(draft, pointer),
        change: 'question.remove',
        at: pointer,
      }),
      (errors) => backToDraft(req, res, formId, errors),
    );
  });

  router.post('/admin/forms/:formId/draft/question/move', async (req, res) => {
    const formId = req.params.formId;
    const pointer = fieldOf(req, 'at');
    const direction = fieldOf(req, 'direction') === 'up' ? 'up' : 'down';
    await saveEdit(
      req,
      res,
      formId,
      (draft) => ({
        definition: moveQuestion(draft, pointer, direction),
        change: `question.move-${direction}`,
        at: pointer,
      }),
      (errors) => backToDraft(req, res, formId, errors),
    );
  });

  return router;
}

/** A condition's value as a person reads it (`yes`, `no`, `emergency`). */
function describeValue(value: unknown, quoted = true): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return quoted ? `“${String(value)}”` : String(value);
}
