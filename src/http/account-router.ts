import { Router } from 'express';
import type { FormRegistry } from '../forms/load-forms.js';
import type { DraftStore } from '../submissions/draft-store.js';
import type { SubmissionStore } from '../submissions/submission-store.js';
import { escapeHtml } from '../forms/fields/escape-html.js';
import type { PageRenderer } from './page-renderer.js';
import { declareAccess, type RouteAccess } from './route-access.js';

/** What the account pages need. */
export interface AccountRouterOptions {
  forms: FormRegistry;
  drafts: DraftStore;
  submissions: SubmissionStore;
  pages: PageRenderer;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

/** Who may use each route (checked by the route × role test). */
export const accountAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/', allow: ['anyone'] },
  { method: 'GET', path: '/my-forms', allow: ['signed-in'] },
  { method: 'GET', path: '/sign-out', allow: ['anyone'] },
  { method: 'GET', path: '/accessibility', allow: ['anyone'] },
];

/** The list of forms, a person's saved and sent forms, sign-out and the accessibility statement. */
export function createAccountRouter(options: AccountRouterOptions): Router {
  const { forms, pages } = options;
  const router = Router();

  router.get('/', (req, res) => {
    pages.render(req, res, 'home', {
      title: 'Forms',
      forms: forms.list().map((form) => ({ id: form.definition.id, title: form.definition.title })),
    });
  });

  router.get('/my-forms', async (req, res) => {
    const user = req.session?.user;
    if (!user) {
      res.redirect(303, '/sign-in?return=%2Fmy-forms');
      return;
    }
    const titleOf = (formId: string) => forms.get(formId)?.definition.title ?? formId;
    const [drafts, sent] = await Promise.all([
      options.drafts.listForUser(user.id),
      options.submissions.listForUser(user.id),
    ]);
    pages.render(req, res, 'my-forms', {
      title: 'Your forms',
      drafts: drafts
        .filter((draft) => forms.get(draft.formId))
        .map((draft) => [
          { text: titleOf(draft.formId) },
          { text: dateFormat.format(draft.updatedAt) },
          {
            html: `<a class="govuk-link" href="/forms/${draft.formId}/${draft.id}/check-answers">Continue<span class="govuk-visually-hidden"> ${escapeHtml(titleOf(draft.formId))} saved on ${dateFormat.format(draft.updatedAt)}</span></a>`,
          },
        ]),
      sent: sent.map((submission) => [
        { text: submission.reference },
        { text: titleOf(submission.formId) },
        { text: dateFormat.format(submission.submittedAt) },
        { text: submission.status },
      ]),
    });
  });

  router.get('/sign-out', (req, res) => {
    pages.render(req, res, 'sign-out', { title: 'Sign out' });
  });

  router.get('/accessibility', (req, res) => {
    pages.render(req, res, 'accessibility', { title: 'Accessibility statement' });
  });

  return declareAccess(router, accountAccess);
}
