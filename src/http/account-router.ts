import { Router } from 'express';
import type { FormRegistry } from '../forms/load-forms.js';
import type { DraftStore } from '../submissions/draft-store.js';
import type { SubmissionStore } from '../submissions/submission-store.js';
import { escapeHtml } from '../forms/fields/escape-html.js';
import type { PageRenderer } from './page-renderer.js';
import { mayFillIn } from '../auth/form-fillers.js';
import { declareAccess, type RouteAccess } from './route-access.js';
import type { DocumentStore } from '../ports/document-store.js';
import { statusLabelOf, statusLabels, toCurrentStatus } from '../steps/set-status.js';
import { valueAt } from '../forms/value-at.js';
import { firstValue } from '../forms/form-body.js';
import type { Draft } from '../submissions/draft-store.js';

/** What the account pages need. */
export interface AccountRouterOptions {
  forms: FormRegistry;
  drafts: DraftStore;
  submissions: SubmissionStore;
  pages: PageRenderer;
  /** Where a deleted draft's uploaded files are removed from. */
  documents?: DocumentStore;
}

/** How many of the authority's referrals "Your forms" lists; a line says how many more. */
export const authorityReferralLimit = 50;

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
  { method: 'GET', path: '/my-forms/drafts/:draftId/delete', allow: ['draft-owner'] },
  { method: 'POST', path: '/my-forms/drafts/:draftId/delete', allow: ['draft-owner'] },
  { method: 'GET', path: '/sign-out', allow: ['anyone'] },
  { method: 'GET', path: '/accessibility', allow: ['anyone'] },
];

/** The list of forms, a person's saved and sent forms, sign-out and the accessibility statement. */
export function createAccountRouter(options: AccountRouterOptions): Router {
  const { forms, pages } = options;
  const router = Router();
  const titleOf = (formId: string) => forms.get(formId)?.definition.title ?? formId;
  const nameOf = (draft: Draft) => {
    const pointer = forms.get(draft.formId)?.definition.draftLabel;
    const label = pointer === undefined ? undefined : valueAt(draft.data, pointer);
    return typeof label === 'string' && label.trim() !== ''
      ? `${titleOf(draft.formId)}: ${label.trim()}`
      : titleOf(draft.formId);
  };

  router.get('/', (req, res) => {
    pages.render(req, res, 'home', {
      title: 'Forms',
      // a signed-in person sees only the forms they may fill in; before sign-in, every form
      forms: forms
        .list()
        .filter((form) => {
          const user = req.session?.user;
          return !user || mayFillIn(user, form.definition.roles);
        })
        .map((form) => ({ id: form.definition.id, title: form.definition.title })),
    });
  });

  router.get('/my-forms', async (req, res) => {
    const user = req.session?.user;
    if (!user) {
      res.redirect(303, '/sign-in?return=%2Fmy-forms');
      return;
    }
    // the local authorities whose referrals this person acts on as referrer (isReferrerOf)
    const authorities = [
      ...new Set(
        (user.roles ?? [])
          .filter((grant) => grant.role === 'social-worker' || grant.role === 'team-manager')
          .map((grant) => grant.organisationId),
      ),
    ];
    const [drafts, sent, fromAuthority] = await Promise.all([
      options.drafts.listForUser(user.id),
      options.submissions.listForUser(user.id),
      options.submissions.listWorkflowReferralsOf(authorities, authorityReferralLimit),
    ]);
    const localIdOf = (formId: string, data: unknown) => {
      const pointer = forms.get(formId)?.definition.draftLabel;
      const label = pointer === undefined ? undefined : valueAt(data, pointer);
      return typeof label === 'string' ? label.trim() : '';
    };
    pages.render(req, res, 'my-forms', {
      title: 'Your forms',
      deleted: req.query.deleted === '1',
      drafts: drafts
        .filter((draft) => {
          const form = forms.get(draft.formId);
          return form !== undefined && mayFillIn(user, form.definition.roles);
        })
        .map((draft) => [
          { text: nameOf(draft) },
          { text: dateFormat.format(draft.updatedAt) },
          {
            html:
              `<a class="govuk-link" href="/forms/${draft.formId}/${draft.id}/check-answers">Continue<span class="govuk-visually-hidden"> ${escapeHtml(nameOf(draft))} saved on ${dateFormat.format(draft.updatedAt)}</span></a>` +
              ` <a class="govuk-link govuk-!-margin-left-2" href="/my-forms/drafts/${draft.id}/delete">Delete<span class="govuk-visually-hidden"> ${escapeHtml(nameOf(draft))} saved on ${dateFormat.format(draft.updatedAt)}</span></a>`,
          },
        ]),
      sent: sent.map((submission) => [
        { text: submission.reference },
        { text: titleOf(submission.formId) },
        { text: dateFormat.format(submission.submittedAt) },
        { text: statusLabels[submission.status] ?? submission.status },
      ]),
      authority:
        authorities.length === 0
          ? undefined
          : {
              rows: fromAuthority.referrals.map((referral) => [
                {
                  html: `<a class="govuk-link" href="/referrals/${encodeURIComponent(referral.reference)}">${escapeHtml(referral.reference)}</a>`,
                },
                { text: localIdOf(referral.formId, referral.data) },
                { text: dateFormat.format(referral.submittedAt) },
                { text: statusLabelOf(toCurrentStatus(referral.status, referral.context)) },
              ]),
              more: fromAuthority.total - fromAuthority.referrals.length,
            },
    });
  });

  router.get('/my-forms/drafts/:draftId/delete', async (req, res) => {
    const user = req.session?.user;
    if (!user) {
      res.redirect(303, '/sign-in?return=%2Fmy-forms');
      return;
    }
    const draftId = typeof req.params.draftId === 'string' ? req.params.draftId : '';
    const draft = await options.drafts.findForUser(draftId, user.id);
    if (!draft) {
      res.status(404);
      pages.render(req, res, 'error', {
        title: 'Page not found',
        heading: 'Page not found',
        paragraphs: ['There is no saved form at this address. It may have been deleted or sent.'],
      });
      return;
    }
    pages.render(req, res, 'delete-draft', {
      title: 'Delete a saved form',
      backLink: '/my-forms',
      name: nameOf(draft),
      saved: dateFormat.format(draft.updatedAt),
      action: `/my-forms/drafts/${draft.id}/delete`,
    });
  });

  router.post('/my-forms/drafts/:draftId/delete', async (req, res) => {
    const user = req.session?.user;
    if (!user) {
      res.redirect(303, '/sign-in?return=%2Fmy-forms');
      return;
    }
    const draftId = typeof req.params.draftId === 'string' ? req.params.draftId : '';
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const notFound = () => {
      res.status(404);
      pages.render(req, res, 'error', {
        title: 'Page not found',
        heading: 'Page not found',
        paragraphs: ['There is no saved form at this address. Nothing was deleted.'],
      });
    };
    // someone else's draft is not there at all, whatever was chosen
    if (!(await options.drafts.findForUser(draftId, user.id))) {
      notFound();
      return;
    }
    if (firstValue(body, 'confirm') !== 'yes') {
      res.redirect(303, '/my-forms');
      return;
    }
    const keys = await options.drafts.deleteForUser(draftId, user.id);
    if (!keys) {
      notFound();
      return;
    }
    for (const key of keys) await options.documents?.delete(key);
    res.redirect(303, '/my-forms?deleted=1');
  });

  router.get('/sign-out', (req, res) => {
    pages.render(req, res, 'sign-out', { title: 'Sign out' });
  });

  router.get('/accessibility', (req, res) => {
    pages.render(req, res, 'accessibility', { title: 'Accessibility statement' });
  });

  return declareAccess(router, accountAccess);
}
