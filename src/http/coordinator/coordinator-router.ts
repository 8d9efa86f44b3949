import { Router, type Request } from 'express';
import { recordAudit } from '../../auth/audit.js';
import { AppError } from '../../errors/app-error.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import type { FormModel } from '../../forms/form-model.js';
import { toAge } from '../../steps/route-rules.js';
import { toDay } from '../../workflow/homes-store.js';
import { readPointer } from '../../workflow/read-pointer.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';
import { createConsoleRouter } from './console-router.js';
import { loadHomeQuestions } from './home-questions.js';
import { createReviewActionsRouter, type RenderReview } from './review-actions-router.js';
import { toChangedAnswers } from '../workflow-pages/answer-sections.js';
import { recordDecision } from '../workflow-pages/record-decision.js';
import type { ReferralPages } from '../workflow-pages/referral-pages.js';
import {
  toHomeAnswerRows,
  dateOnly,
  dateTime,
  doneMessageOf,
  formatSize,
  paramOf,
  toLabel,
} from '../workflow-pages/workflow-page-texts.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** Who may use each route (checked by the route × role test). */
export const coordinatorAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/coordinator', allow: ['coordinator'] },
  { method: 'POST', path: '/coordinator/homes/:homeId/vacancy-link', allow: ['coordinator'] },
  { method: 'GET', path: '/coordinator/homes/:homeId/vacancy-link', allow: ['coordinator'] },
  { method: 'GET', path: '/coordinator/referrals/:reference', allow: ['coordinator'] },
  {
    method: 'GET',
    path: '/coordinator/referrals/:reference/documents/:documentId',
    allow: ['coordinator'],
  },
  { method: 'GET', path: '/coordinator/referrals/:reference/pack.pdf', allow: ['coordinator'] },
  { method: 'POST', path: '/coordinator/referrals/:reference/review', allow: ['coordinator'] },
  {
    method: 'POST',
    path: '/coordinator/referrals/:reference/flags/:flagId/resolve',
    allow: ['coordinator'],
  },
  {
    method: 'POST',
    path: '/coordinator/referrals/:reference/homes/:homeId/resend',
    allow: ['coordinator'],
  },
  { method: 'POST', path: '/coordinator/referrals/:reference/decision', allow: ['coordinator'] },
  {
    method: 'POST',
    path: '/coordinator/homes/:homeId/vacancy-link/email',
    allow: ['coordinator'],
  },
  {
    method: 'POST',
    path: '/coordinator/referrals/:reference/review/reroute',
    allow: ['coordinator'],
  },
  {
    method: 'POST',
    path: '/coordinator/referrals/:reference/review/confirm',
    allow: ['coordinator'],
  },
  { method: 'POST', path: '/coordinator/referrals/:reference/approach', allow: ['coordinator'] },
  {
    method: 'POST',
    path: '/coordinator/referrals/:reference/approach/confirm',
    allow: ['coordinator'],
  },
  {
    method: 'POST',
    path: '/coordinator/referrals/:reference/homes/:homeId/chase',
    allow: ['coordinator'],
  },
];

/**
 * The coordinator's pages: the console of every referral (`/coordinator`), a referral's review
 * and outcome (`/coordinator/referrals/{reference}`) and the homes' vacancy links.
 */
export function createCoordinatorRouter(shared: ReferralPages): Router {
  const { db, forms, workflows, pages, clock, documents } = shared.options;
  const router = Router();

  router.use(createConsoleRouter(shared));

  const renderReview: RenderReview = async (req, res, referral, state = {}) => {
    const task = await workflows.reviews.forReference(referral.reference);
    const homes = await workflows.homes.list();
    const instanceId = referral.instance_id;
    const requests = instanceId ? await shared.homeRequestsOf(instanceId) : [];
    const { rows: flags } = instanceId
      ? await db.query<{ id: string; message: string; created_at: Date | string }>(
          `SELECT id, message, created_at FROM workflow_flags WHERE instance_id = $1
           AND resolved_at IS NULL ORDER BY id`,
          [instanceId],
        )
      : { rows: [] };
    const offers = instanceId ? await workflows.decisions.offers(instanceId) : [];
    const form = forms.get(referral.form_id);
    const definition = await shared.definitionOf(referral);
    const plain = toPlainReasons(form, definition);
    const documentList = await shared.documentsOf(referral.submission_id);
    const base = `/coordinator/referrals/${referral.reference}`;
    const documentLink = (id: string, filename: string) =>
      `<a class="govuk-link" href="${base}/documents/${escapeHtml(id)}">${escapeHtml(filename)}</a>`;
    const names = new Map(documentList.map((doc) => [doc.id, doc.filename]));
    const withLinks = (html: string) =>
      html.replace(/doc_[0-9a-z]{20,40}/g, (id) => {
        const filename = names.get(id);
        return filename ? documentLink(id, filename) : 'Attached document';
      });
    const latestReview = instanceId
      ? await workflows.referralReviews.latestFor(instanceId)
      : undefined;
    const age = ageOf(referral.data, definition, toDay(clock.now()));
    const reasonsOf = new Map(task?.proposed.map((home) => [home.homeId, home]) ?? []);
    const checked = new Set(state.checked ?? task?.selected ?? []);
    const errors = state.errors ?? [];
    const approachErrors = state.approachErrors ?? [];
    const vacancies = await workflows.homes.vacancies(toDay(clock.now()));
    const vacancyText = (homeId: string) => {
      const free = vacancies.get(homeId);
      return free === undefined ? 'no vacancies declared today' : `${String(free)} free today`;
    };
    const awaitingAnswers = await shared.isWaitingOn(referral, 'await-responses');
    // alongside the homes still answering, or (every home declined) as a new search
    const approachMode = await workflows.followUps.approachMode(referral.reference);
    // beside each home: today's vacancies, then what routing decided and why, in plain words
    const routingHint = (homeId: string) => {
      const decision = reasonsOf.get(homeId);
      const why = decision
        ? `${decision.chosen ? 'Proposed' : 'Excluded'}: ${plain(decision.reasons.join('; '))}`
        : 'Not considered by routing';
      return `${capitalise(vacancyText(homeId))}. ${why}`;
    };
    const approached = new Set(requests.map((request) => request.home_id));
    pages.render(req, res, 'coordinator/referral', {
      title: `Referral ${referral.reference}`,
      errors,
      errorList: [...errors, ...approachErrors],
      approachErrors,
      done: doneMessageOf(req),
      reference: referral.reference,
      status: shared.statusLabel(referral),
      timeline: await shared.timelineOf(referral),
      summary: [
        ...(age === undefined ? [] : [{ key: { text: 'Age' }, value: { text: String(age) } }]),
        ...(form?.keySummary(referral.data) ?? []).map((row) => ({
          key: { text: row.key },
          value: { html: row.valueHtml },
        })),
      ],
      sections: (form?.reviewSummary(referral.data) ?? []).map((section) => ({
        title: section.title,
        rows: section.rows.map((row) => ({
          key: { text: row.key },
          value: { html: withLinks(row.valueHtml) },
        })),
      })),
      reviewChanges:
        latestReview && form
          ? {
              sentOn: dateOnly.format(latestReview.recordedAt),
              rows: toChangedAnswers(form, referral.data, latestReview.data).map((row) => ({
                key: { text: row.key },
                value: {
                  html: `${withLinks(row.nowHtml)}<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">Before: ${withLinks(row.beforeHtml)}</p>`,
                },
              })),
            }
          : undefined,
      documents: documentList.map((doc) => ({
        key: { html: documentLink(doc.id, doc.filename) },
        value: { text: `${doc.media_type}, ${formatSize(doc.size_bytes)}` },
      })),
      packLink: typeof referral.context?.packKey === 'string' ? `${base}/pack.pdf` : undefined,
      routing: (task?.proposed ?? []).map((home) => [
        { text: home.name },
        { text: home.chosen ? 'Proposed' : 'Excluded' },
        { text: plain(home.reasons.join('; ')) || '–' },
      ]),
      task:
        task?.state === 'open'
          ? {
              id: task.id,
              items: homes.map((home) => ({
                value: home.id,
                text: home.name,
                checked: checked.has(home.id),
                hint: { text: routingHint(home.id) },
              })),
            }
          : undefined,
      approved: task && task.state !== 'open' ? { state: toLabel(task.state) } : undefined,
      // a home still to answer can be sent its pack email again (same link, new message)
      resendable: requests
        .filter((request) => request.state === 'awaiting')
        .map((request) => ({ homeId: request.home_id, name: request.name })),
      // while the homes' answers are awaited: chase a home
      chaseable: awaitingAnswers
        ? requests
            .filter((request) => ['awaiting', 'more-information'].includes(request.state))
            .map((request) => ({ homeId: request.home_id, name: request.name }))
        : [],
      approachMode,
      approach: approachMode
        ? homes
            .filter((home) => !approached.has(home.id))
            .map((home) => ({
              value: home.id,
              text: home.name,
              hint: { text: routingHint(home.id) },
            }))
        : [],
      requests: toHomeAnswerRows(requests),
      questions: instanceId ? await loadHomeQuestions(db, instanceId, documentLink) : [],
      offers,
      canDecide:
        referral.current_step !== null && (await shared.isWaitingOn(referral, 'await-decision')),
      flags: flags.map((flag) => ({
        id: flag.id,
        message: flag.message,
        at: dateTime.format(new Date(flag.created_at)),
      })),
      backLink: '/coordinator',
    });
  };

  const coordinatorReferral = async (req: Request) => {
    const user = shared.requireCoordinator(req);
    const referral = await shared.loadReferral(paramOf(req, 'reference'));
    if (!referral?.instance_id) throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'no referral');
    return { user, referral, instanceId: referral.instance_id };
  };

  router.get('/coordinator/referrals/:reference', async (req, res) => {
    const { user, referral } = await coordinatorReferral(req);
    await shared.auditView(referral, { type: 'user', id: user.id });
    await renderReview(req, res, referral);
  });

  router.get('/coordinator/referrals/:reference/documents/:documentId', async (req, res) => {
    const { user, referral } = await coordinatorReferral(req);
    await shared.sendDocument(
      res,
      referral,
      { type: 'user', id: user.id },
      paramOf(req, 'documentId'),
    );
  });

  router.get('/coordinator/referrals/:reference/pack.pdf', async (req, res) => {
    const { user, referral } = await coordinatorReferral(req);
    const packKey = referral.context?.packKey;
    const pack = typeof packKey === 'string' ? await documents.get(packKey) : undefined;
    if (!pack) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'no pack for this referral yet');
    await shared.auditView(referral, { type: 'user', id: user.id }, 'referral.pack.download');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${referral.reference}-referral-pack.pdf"`,
    );
    res.send(pack.content);
  });

  router.use(createReviewActionsRouter(shared, coordinatorReferral, renderReview));

  router.post('/coordinator/referrals/:reference/flags/:flagId/resolve', async (req, res) => {
    const { user, referral, instanceId } = await coordinatorReferral(req);
    const flagId = paramOf(req, 'flagId');
    if (!/^\d{1,18}$/.test(flagId)) throw new AppError('ERR_HTTP_NOT_FOUND', 'bad flag id');
    const now = clock.now();
    await db.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE workflow_flags SET resolved_at = $3, resolved_by = $4
         WHERE id = $1 AND instance_id = $2 AND resolved_at IS NULL`,
        [flagId, instanceId, now.toISOString(), user.id],
      );
      if (updated.rowCount === 0) return;
      await recordAudit(tx, {
        actorType: 'user',
        actorId: user.id,
        action: 'referral.flag.resolve',
        subjectType: 'submission',
        subjectId: referral.submission_id,
        organisationId: referral.organisation_id,
        details: { flagId },
        at: now,
      });
    });
    res.redirect(303, `/coordinator/referrals/${referral.reference}?done=resolved`);
  });

  router.post('/coordinator/referrals/:reference/homes/:homeId/resend', async (req, res) => {
    const { user, referral } = await coordinatorReferral(req);
    const result = await workflows.packEmails.resend({
      reference: referral.reference,
      homeId: paramOf(req, 'homeId'),
      coordinator: { id: user.id },
    });
    if (!result.ok && result.problem === 'not-found')
      throw new AppError('ERR_HTTP_NOT_FOUND', 'the referral was not sent to that home');
    res.redirect(
      303,
      `/coordinator/referrals/${referral.reference}?done=${result.ok ? 'resent' : 'not-resent'}`,
    );
  });

  router.post('/coordinator/referrals/:reference/decision', async (req, res) => {
    const { user, referral, instanceId } = await coordinatorReferral(req);
    await recordDecision(shared, req, res, {
      instanceId,
      user,
      back: `/coordinator/referrals/${referral.reference}`,
    });
  });

  return declareAccess(router, coordinatorAccess);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The child's age today, from the date of birth the workflow's route step points at. */
function ageOf(
  data: Record<string, unknown>,
  definition: WorkflowDefinition | undefined,
  today: string,
): number | undefined {
  for (const step of Object.values(definition?.steps ?? {})) {
    const child = (step.options as { child?: { dateOfBirth?: unknown } } | undefined)?.child;
    if (step.type !== 'route' || typeof child?.dateOfBirth !== 'string') continue;
    const dateOfBirth = readPointer(data, child.dateOfBirth);
    if (typeof dateOfBirth === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth))
      return toAge(dateOfBirth, today);
  }
  return undefined;
}

/**
 * Routing reasons in plain words: each need the route step names by its key
 * (`criminalExploitation`) reads as its question group's title in the form.
 */
function toPlainReasons(
  form: FormModel | undefined,
  definition: WorkflowDefinition | undefined,
): (reasons: string) => string {
  const titles = new Map<string, string>();
  for (const step of Object.values(definition?.steps ?? {})) {
    const needs = (step.options as { needs?: Record<string, unknown> } | undefined)?.needs;
    if (step.type !== 'route' || !needs) continue;
    for (const [key, pointer] of Object.entries(needs)) {
      if (typeof pointer !== 'string' || !form) continue;
      const parent = pointer.split('/').slice(0, -1).join('/');
      const label = parent ? form.describe(parent).label : undefined;
      if (label) titles.set(key, label.charAt(0).toLowerCase() + label.slice(1));
    }
  }
  if (titles.size === 0) return (reasons) => reasons;
  const pattern = new RegExp(
    `\\b(${[...titles.keys()].map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`,
    'g',
  );
  return (reasons) => reasons.replace(pattern, (key) => titles.get(key) ?? key);
}
