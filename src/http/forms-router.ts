import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors/app-error.js';
import type { FieldError } from '../forms/field-error.js';
import type { FormModel } from '../forms/form-model.js';
import type { FormRegistry } from '../forms/load-forms.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { Database } from '../store/database.js';
import type { DraftOwner, DraftStore, Draft } from '../submissions/draft-store.js';
import type { SubmissionStore } from '../submissions/submission-store.js';
import { toAnonymousActor } from '../submissions/actor.js';
import { UploadStore } from '../submissions/upload-store.js';
import { referencedDocumentIds } from '../submissions/referenced-documents.js';
import { nameDocuments } from '../submissions/name-documents.js';
import { readPageUploads } from './page-uploads.js';
import { unstorableAnswerErrors } from './unstorable-answers.js';
import { renderQuestionFields } from '../render/question-page-view.js';
import { holdBackUnasked } from '../forms/hold-back-unasked.js';
import { groupBySection, isFirstPageOfSection, nextPageInSection } from '../forms/form-sections.js';
import { toTaskListView } from '../render/task-list-view.js';
import { valueAt } from '../forms/value-at.js';
import type { PageRenderer } from './page-renderer.js';
import { declareAccess, type RouteAccess } from './route-access.js';
import { mayFillIn, toFillersSentence } from '../auth/form-fillers.js';
import { isReferrerOf } from '../auth/referrer-access.js';
import type { ReferralReviews } from '../workflow/referral-reviews.js';

/** What the journey needs. */
export interface FormsRouterOptions {
  forms: FormRegistry;
  drafts: DraftStore;
  submissions: SubmissionStore;
  documents: DocumentStore;
  db: Database;
  pages: PageRenderer;
  /** Called after a submission commits. */
  onSubmitted: () => void;
  /** Records a sent review draft against the referral it reviews (absent: no workflows). */
  reviews?: Pick<ReferralReviews, 'record' | 'referenceForDraft'> | undefined;
}

const actionAdd = 'add:';
const actionRemove = 'remove:';

/** Who may use each route (checked by the route × role test). */
export const formsAccess: readonly RouteAccess[] = [
  // Signed in without one of the form's roles: a 403 saying who can fill it in.
  { method: 'GET', path: '/forms/:formId', allow: ['signed-out', 'form-filler'] },
  { method: 'GET', path: '/forms/:formId/privacy', allow: ['anyone'] },
  // A signed-in form; a form's own allowedEmailDomains narrow this further, `public` widens it.
  { method: 'POST', path: '/forms/:formId/start', allow: ['form-filler'] },
  { method: 'GET', path: '/forms/:formId/:draftId/check-answers', allow: ['draft-owner'] },
  { method: 'POST', path: '/forms/:formId/:draftId/check-answers', allow: ['draft-owner'] },
  { method: 'GET', path: '/forms/:formId/:draftId/confirmation', allow: ['draft-owner'] },
  { method: 'GET', path: '/forms/:formId/:draftId/saved', allow: ['draft-owner'] },
  { method: 'GET', path: '/forms/:formId/:draftId/task-list', allow: ['draft-owner'] },
  { method: 'GET', path: '/forms/:formId/:draftId/:pageId', allow: ['draft-owner'] },
  { method: 'POST', path: '/forms/:formId/:draftId/:pageId', allow: ['draft-owner'] },
];

/**
 * The form journey: start page → question pages → check your answers → confirmation.
 * Post/redirect/get throughout; every draft is reached only through its owner.
 */
export function createFormsRouter(options: FormsRouterOptions): Router {
  const { forms, drafts, submissions, pages } = options;
  const uploads = new UploadStore(options.db, options.documents);
  const router = Router();

  const formFor = (req: Request): FormModel => {
    const form = forms.get(String(req.params.formId));
    if (!form) throw new AppError('ERR_FORM_NOT_FOUND', 'no such form');
    return form;
  };

  /** Sends a person who must sign in to the sign-in page; true when they were sent. */
  const needsSignIn = (req: Request, res: Response, form: FormModel): boolean => {
    if (form.definition.access === 'public') return false;
    const user = req.session?.user;
    if (!user) {
      res.redirect(303, `/sign-in?return=${encodeURIComponent(`/forms/${form.definition.id}`)}`);
      return true;
    }
    // Signing in for another form does not open this one to a domain it does not allow.
    const domains = form.definition.allowedEmailDomains;
    const domain = user.email.slice(user.email.lastIndexOf('@') + 1);
    if (domains && domains.length > 0 && !domains.includes(domain)) {
      throw new AppError('ERR_AUTH_FORBIDDEN', 'email domain not allowed for this form', {
        userMessage: `You cannot use this form with an email address ending in @${domain}. Sign out and sign in with your work email address.`,
      });
    }
    return refusedByRole(req, res, form);
  };

  /**
   * Answers a signed-in person who holds none of the form's `roles` with a 403 page saying who
   * can fill it in; true when they were refused.
   */
  const refusedByRole = (req: Request, res: Response, form: FormModel): boolean => {
    const user = req.session?.user;
    const roles = form.definition.roles;
    if (!user || !roles || mayFillIn(user, roles)) return false;
    const requestId: unknown = res.locals.requestId;
    res.status(403);
    pages.render(req, res, 'error', {
      title: 'You cannot fill in this form',
      heading: 'You cannot fill in this form',
      paragraphs: [
        `You are signed in as ${user.email}, which cannot fill in “${form.definition.title}”.`,
        toFillersSentence(roles),
        'If you think you should be able to, ask your organisation’s Formwork administrator to give you the right role.',
      ],
      showHomeLink: true,
      status: 403,
      ...(typeof requestId === 'string' ? { requestId } : {}),
    });
    return true;
  };

  const ownerOf = (req: Request): DraftOwner => {
    if (req.session?.user) return { userId: req.session.user.id };
    if (!req.session) throw new AppError('ERR_AUTH_REQUIRED', 'no session');
    return { sessionIdHash: req.session.idHash };
  };

  const draftFor = async (req: Request, form: FormModel): Promise<Draft> => {
    const draft = await drafts.find(String(req.params.draftId), form.definition.id, ownerOf(req));
    // Someone else's draft looks exactly like no draft.
    if (!draft) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'draft not found for this owner');
    return draft;
  };

  const base = (form: FormModel, draft: Draft) => `/forms/${form.definition.id}/${draft.id}`;

  /**
   * The form and the person's draft, or undefined when they were sent to sign in. A draft goes
   * on with the version it began on, whatever has been published since.
   */
  const journey = async (req: Request, res: Response) => {
    const current = formFor(req);
    if (needsSignIn(req, res, current)) return undefined;
    const draft = await draftFor(req, current);
    const form =
      draft.formVersion === current.version
        ? current
        : ((await forms.atVersion(current.definition.id, draft.formVersion)) ?? current);
    return { form, draft };
  };

  /** As {@link journey}, for a draft still being filled in: a sent one shows its confirmation. */
  const unsentJourney = async (req: Request, res: Response) => {
    const found = await journey(req, res);
    if (found?.draft.submissionId) {
      res.redirect(303, `${base(found.form, found.draft)}/confirmation`);
      return undefined;
    }
    return found;
  };

  router.get('/forms/:formId', (req, res) => {
    const form = formFor(req);
    if (refusedByRole(req, res, form)) return;
    pages.render(req, res, 'start', {
      title: form.definition.title,
      form: form.definition,
      firstPageTitle: form.pages[0]?.title,
      signedIn: Boolean(req.session?.user),
    });
  });

  router.get('/forms/:formId/privacy', (req, res) => {
    const form = formFor(req);
    const notice = form.definition.privacyNotice;
    if (!notice) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'form has no privacy notice');
    pages.render(req, res, 'privacy', {
      title: notice.title,
      form: form.definition,
      paragraphs: notice.body.split(/\n\s*\n/),
      backLink: `/forms/${form.definition.id}`,
    });
  });

  router.post('/forms/:formId/start', async (req, res) => {
    const form = formFor(req);
    if (needsSignIn(req, res, form)) return;
    const draft = await drafts.create({
      formId: form.definition.id,
      formVersion: form.version,
      organisationId: form.definition.organisation,
      owner: ownerOf(req),
    });
    if (form.definition.sections) {
      res.redirect(303, `${base(form, draft)}/task-list`);
      return;
    }
    const first = form.pagesShown({})[0];
    res.redirect(
      303,
      first ? `${base(form, draft)}/${first.id}` : `${base(form, draft)}/check-answers`,
    );
  });

  router.get('/forms/:formId/:draftId/check-answers', async (req, res) => {
    const found = await unsentJourney(req, res);
    if (!found) return;
    const { form, draft } = found;
    const result = form.validate(draft.data);
    if (result.errors.length > 0) {
      const pageId = firstPageWithError(form, draft.data, result.errors);
      // Every page was answered, so a later answer revealed a question on an earlier page: ask
      // it, then come straight back. Otherwise carry on where the person left off.
      const answeredAll = form
        .pagesShown(draft.data)
        .every((page) => draft.completedPages.includes(page.id));
      res.redirect(
        303,
        `${base(form, draft)}/${pageId}${answeredAll ? '?return=check-answers' : ''}`,
      );
      return;
    }
    pages.render(req, res, 'check-answers', {
      title: 'Check your answers before sending',
      form: form.definition,
      sections: groupBySection(
        form,
        nameDocuments(
          form,
          result.data,
          form.summary(result.data),
          await uploads.namesForDraft(draft.id),
        ).map((section) => ({
          pageId: section.pageId,
          title: section.title,
          rows: section.rows.map((row) => ({
            key: { text: row.key },
            value: { html: row.valueHtml },
            actions: {
              items: [
                {
                  href: `${base(form, draft)}/${section.pageId}?return=check-answers#${row.pointer.slice(1).replaceAll('/', '-')}`,
                  text: 'Change',
                  visuallyHiddenText: row.key.toLowerCase(),
                },
              ],
            },
          })),
        })),
      ),
      action: `${base(form, draft)}/check-answers`,
      backLink: lastPageLink(form, draft),
    });
  });

  router.post('/forms/:formId/:draftId/check-answers', async (req, res) => {
    const found = await journey(req, res);
    if (!found) return;
    const { form, draft } = found;
    const result = form.validate(draft.data);
    if (!draft.submissionId && result.errors.length > 0) {
      res.redirect(
        303,
        `${base(form, draft)}/${firstPageWithError(form, draft.data, result.errors)}`,
      );
      return;
    }
    const user = req.session?.user;
    const documentIds = referencedDocumentIds(form, result.data);
    if (draft.reviewOf !== null) {
      await sendReview(req, res, { form, draft, data: result.data, documentIds });
      return;
    }
    // The draft id makes the submission idempotent: a double click or a resend stores one.
    await submissions.submit({
      formId: form.definition.id,
      formVersion: draft.formVersion,
      referencePrefix: form.definition.referencePrefix,
      organisationId: form.definition.organisation,
      data: result.data,
      retainUntil: form.retainUntil(result.data, new Date()),
      actor: user
        ? { type: 'user', id: user.id, organisationId: user.organisationId }
        : toAnonymousActor(sessionOf(req).idHash, form.definition.organisation),
      source: 'web',
      draftId: draft.id,
      documentIds,
    });
    // Files the final answers do not name (a hidden question's, say) are not kept.
    await uploads.deleteUnreferenced(draft.id, documentIds);
    options.onSubmitted();
    res.redirect(303, `${base(form, draft)}/confirmation`);
  });

  /** A review is recorded against the referral it reviews: no submission, no second workflow. */
  const sendReview = async (
    req: Request,
    res: Response,
    sent: { form: FormModel; draft: Draft; data: Record<string, unknown>; documentIds: string[] },
  ) => {
    const user = req.session?.user;
    if (!options.reviews || !user) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no reviews');
    // The powers that let them start the review may have gone since (a move to another team).
    const reviewed = (
      await options.db.query<{ user_id: string | null; submitter_organisation_id: string | null }>(
        'SELECT user_id, submitter_organisation_id FROM submissions WHERE id = $1',
        [sent.draft.reviewOf],
      )
    ).rows[0];
    if (
      !reviewed ||
      !isReferrerOf(user, {
        userId: reviewed.user_id,
        submitterOrganisationId: reviewed.submitter_organisation_id,
      })
    ) {
      throw new AppError('ERR_AUTH_FORBIDDEN', 'no referrer powers over the reviewed referral', {
        userMessage:
          'You can no longer send this review: only the referring authority’s social workers and team managers can. Your answers are saved.',
      });
    }
    const recorded = await options.reviews.record({
      draft: sent.draft,
      data: sent.data,
      documentIds: sent.documentIds,
      userId: user.id,
    });
    if (!recorded) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'The search is not open',
        heading: 'The search is not open',
        paragraphs: [
          'The referral you are reviewing has no open search any more, so the review was not sent. Your answers are saved.',
        ],
        link: { href: '/my-forms', text: 'Back to your forms' },
      });
      return;
    }
    await uploads.deleteUnreferenced(sent.draft.id, sent.documentIds);
    res.redirect(303, `${base(sent.form, sent.draft)}/confirmation`);
  };

  router.get('/forms/:formId/:draftId/confirmation', async (req, res) => {
    const found = await journey(req, res);
    if (!found) return;
    const { form, draft } = found;
    if (draft.reviewOf !== null) {
      const reviewed = await options.reviews?.referenceForDraft(draft.id);
      if (!reviewed) {
        res.redirect(303, `${base(form, draft)}/check-answers`);
        return;
      }
      pages.render(req, res, 'confirmation', {
        title: 'Review sent',
        form: form.definition,
        reference: reviewed,
        review: { link: `/referrals/${reviewed}` },
        signedIn: true,
      });
      return;
    }
    const reference = await submissions.referenceForDraft(draft.id);
    if (!reference) {
      res.redirect(303, `${base(form, draft)}/check-answers`);
      return;
    }
    pages.render(req, res, 'confirmation', {
      title: 'Form sent',
      form: form.definition,
      reference,
      signedIn: Boolean(req.session?.user),
    });
  });

  router.get('/forms/:formId/:draftId/saved', async (req, res) => {
    const found = await journey(req, res);
    if (!found) return;
    const { form, draft } = found;
    pages.render(req, res, 'saved', {
      title: 'Your answers have been saved',
      form: form.definition,
      continueLink: lastPageLink(form, draft),
    });
  });

  router.get('/forms/:formId/:draftId/task-list', async (req, res, next) => {
    const found = await unsentJourney(req, res);
    if (!found) return;
    // the draft's own version decides whether it has a task list
    if (!found.form.definition.sections) {
      next();
      return;
    }
    const { form, draft } = found;
    pages.render(req, res, 'task-list', {
      title: form.definition.title,
      form: form.definition,
      ...toTaskListView(form, draft.data, draft.completedPages, base(form, draft)),
    });
  });

  router.get('/forms/:formId/:draftId/:pageId', async (req, res) => {
    const found = await unsentJourney(req, res);
    if (!found) return;
    const { form, draft } = found;
    const page = shownPage(form, draft.data, req.params.pageId);
    await renderQuestionPage(req, res, {
      form,
      draft,
      pageId: page.id,
      answers: draft.data,
      raw: {},
      errors: [],
    });
  });

  router.post('/forms/:formId/:draftId/:pageId', async (req, res) => {
    const found = await unsentJourney(req, res);
    if (!found) return;
    const { form, draft } = found;
    const page = shownPage(form, draft.data, req.params.pageId);
    const uploaded = await readPageUploads(req, { form, draft, pageId: page.id, uploads });
    const { body, errors: unstorable } = unstorableAnswerErrors(
      form,
      page.id,
      draft.data,
      uploaded.body,
    );
    const fileErrors = uploaded.errors;
    const action = body.get('_action')?.[0] ?? 'continue';
    const parsed = form.parsePage(page.id, body, draft.data);
    const answers = parsed.answers;
    if (unstorable.length > 0) {
      // nothing is saved: the page comes back with what was typed, less the characters
      res.status(422);
      const errors = form.orderErrors(page.id, mergeErrors(unstorable, fileErrors));
      return renderQuestionPage(req, res, {
        form,
        draft,
        pageId: page.id,
        answers,
        raw: parsed.raw,
        errors,
      });
    }
    const returnTo = req.query.return === 'check-answers' ? '?return=check-answers' : '';
    const save = async (completedPages: string[]) => {
      await drafts.save({ id: draft.id, data: answers, completedPages });
      // A file removed or replaced on this page goes now, row and bytes.
      if (form.documentPointers(page.id, draft.data).length > 0) {
        await uploads.deleteUnreferenced(draft.id, referencedDocumentIds(form, answers));
      }
    };

    if (action === 'save' && fileErrors.length === 0) {
      await save(draft.completedPages);
      res.redirect(303, `${base(form, draft)}/saved`);
      return;
    }
    const rowAction = action.startsWith(actionAdd) || action.startsWith(actionRemove);
    const rowPointer = action.startsWith(actionAdd)
      ? action.slice(actionAdd.length)
      : action.slice(actionRemove.length).replace(/\/\d+$/, '');
    if (
      rowAction &&
      fileErrors.length === 0 &&
      form.rowLists(page.id, answers).includes(rowPointer)
    ) {
      // the field added or removed the row itself: show the page again with what was typed
      await save(draft.completedPages.filter((id) => id !== page.id));
      return renderQuestionPage(req, res, {
        form,
        draft,
        pageId: page.id,
        answers,
        raw: parsed.raw,
        errors: [],
      });
    }
    if (action.startsWith(actionRemove) && !form.rowLists(page.id, answers).includes(rowPointer)) {
      throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no such list on this page');
    }
    if (action.startsWith(actionAdd) && fileErrors.length === 0) {
      const pointer = action.slice(actionAdd.length);
      const added = form.addItem(page.id, pointer, answers);
      await drafts.save({ id: draft.id, data: added, completedPages: draft.completedPages });
      res.redirect(303, `${base(form, draft)}/${page.id}${returnTo}`);
      return;
    }
    const { errors, askAgain } = holdBackUnasked(
      form,
      page.id,
      answers,
      body,
      form.orderErrors(
        page.id,
        mergeErrors([...fileErrors, ...parsed.errors], form.validatePage(page.id, answers)),
      ),
    );
    if (errors.length > 0 || askAgain) {
      // Keep what was typed, even when wrong, so nothing has to be entered twice.
      await save(draft.completedPages.filter((id) => id !== page.id));
      res.status(errors.length > 0 ? 422 : 200);
      return renderQuestionPage(req, res, {
        form,
        draft,
        pageId: page.id,
        answers,
        raw: parsed.raw,
        errors,
        askAgain,
      });
    }
    await save([...new Set([...draft.completedPages, page.id])]);
    const next = nextPageInSection(form, page.id, answers);
    if (returnTo || !next) {
      const end = form.definition.sections && !returnTo ? 'task-list' : 'check-answers';
      res.redirect(303, `${base(form, draft)}/${end}`);
      return;
    }
    res.redirect(303, `${base(form, draft)}/${next}`);
  });

  const renderQuestionPage = async (
    req: Request,
    res: Response,
    state: {
      form: FormModel;
      draft: Draft;
      pageId: string;
      answers: Record<string, unknown>;
      raw: Record<string, unknown>;
      errors: FieldError[];
      /** Questions now apply that were not on screen: say so above them. */
      askAgain?: boolean;
    },
  ) => {
    const { form, draft, pageId, answers, errors } = state;
    const page = form.pages.find((candidate) => candidate.id === pageId);
    if (!page) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no such page');
    const fields = form.fieldsFor(pageId, answers);
    const documentPointers = form.documentPointers(pageId, answers);
    // Only a page that asks for files needs the names of those already uploaded.
    const documentNames =
      documentPointers.length > 0
        ? await uploads.namesForDraft(draft.id)
        : new Map<string, string>();
    const raw: Record<string, unknown> = { ...state.raw };
    for (const pointer of documentPointers) {
      const ids = [valueAt(answers, pointer)].flat().filter((id) => typeof id === 'string');
      raw[pointer] = ids.map((id) => ({ id, filename: documentNames.get(id) ?? 'Uploaded file' }));
    }
    const previous = form.previousPageId(pageId, answers);
    const returnTo = req.query.return === 'check-answers';
    pages.render(req, res, 'question', {
      title: page.title,
      form: form.definition,
      pageTitle: page.title,
      pageDescription: page.description,
      errors,
      errorList: errors.map((error) => ({ text: error.text, href: error.href })),
      fieldsHtml: renderQuestionFields({
        fields,
        answers,
        raw,
        errors,
        reveals: form.reveals(pageId),
        isShown: (pointer) => form.isShown(pointer, answers),
        isConditional: (pattern) => form.index.get(pattern)?.conditional === true,
        component: pages.component,
      }),
      askAgain: state.askAgain === true && errors.length === 0,
      multipart: documentPointers.length > 0,
      action: `${base(form, draft)}/${pageId}${returnTo ? '?return=check-answers' : ''}`,
      canSave: Boolean(req.session?.user),
      backLink: returnTo
        ? `${base(form, draft)}/check-answers`
        : isFirstPageOfSection(form, pageId, answers)
          ? `${base(form, draft)}/task-list`
          : previous
            ? `${base(form, draft)}/${previous}`
            : `/forms/${form.definition.id}`,
    });
  };

  return declareAccess(router, formsAccess);
}

function sessionOf(req: Request) {
  if (!req.session) throw new AppError('ERR_AUTH_REQUIRED', 'no session');
  return req.session;
}

function shownPage(form: FormModel, answers: Record<string, unknown>, pageId: string) {
  const page = form.pagesShown(answers).find((candidate) => candidate.id === pageId);
  if (!page) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no such page, or not shown');
  return page;
}

/** The first page, in the form's order, that asks a question with an error. */
function firstPageWithError(
  form: FormModel,
  answers: Record<string, unknown>,
  errors: readonly FieldError[],
): string {
  // errors about no one question are shown on the last page: never back to check answers
  return form.pageWithErrors(answers, errors) ?? 'check-answers';
}

function lastPageLink(form: FormModel, draft: Draft): string {
  if (form.definition.sections) return `/forms/${form.definition.id}/${draft.id}/task-list`;
  const shown = form.pagesShown(draft.data);
  const firstIncomplete = shown.find((page) => !draft.completedPages.includes(page.id));
  const target = firstIncomplete ?? shown[shown.length - 1];
  return `/forms/${form.definition.id}/${draft.id}/${target ? target.id : 'check-answers'}`;
}

/** Conversion errors ("must be a real date") win over schema errors for the same answer. */
function mergeErrors(first: FieldError[], second: FieldError[]): FieldError[] {
  const seen = new Set(first.map((error) => error.path));
  return [...first, ...second.filter((error) => !seen.has(error.path))];
}
