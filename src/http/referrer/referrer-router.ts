import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { firstValue } from '../../forms/form-body.js';
import { isReferrerOf } from '../../auth/referrer-access.js';
import type { SessionUser } from '../request-context.js';
import { recordDecision } from '../workflow-pages/record-decision.js';
import type { ReferralPages, ReferralRow } from '../workflow-pages/referral-pages.js';
import {
  toHomeAnswerRows,
  doneMessageOf,
  maxText,
  paramOf,
  toOfferText,
  dateTime,
} from '../workflow-pages/workflow-page-texts.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** Who may use each route (checked by the route × role test). */
export const referrerAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/referrals/:reference', allow: ['referrer'] },
  { method: 'POST', path: '/referrals/:reference/decision', allow: ['referrer'] },
  { method: 'GET', path: '/referrals/:reference/update', allow: ['referrer'] },
  { method: 'POST', path: '/referrals/:reference/update', allow: ['referrer'] },
  { method: 'GET', path: '/referrals/:reference/homes/:homeId/answer', allow: ['referrer'] },
  { method: 'POST', path: '/referrals/:reference/homes/:homeId/answer', allow: ['referrer'] },
  { method: 'GET', path: '/referrals/:reference/homes/:homeId/decline-offer', allow: ['referrer'] },
  {
    method: 'POST',
    path: '/referrals/:reference/homes/:homeId/decline-offer',
    allow: ['referrer'],
  },
  { method: 'POST', path: '/referrals/:reference/review', allow: ['referrer'] },
  { method: 'GET', path: '/referrals/:reference/sent', allow: ['referrer'] },
  { method: 'GET', path: '/referrals/:reference/documents/:documentId', allow: ['referrer'] },
  { method: 'GET', path: '/referrals/:reference/withdraw', allow: ['referrer'] },
  { method: 'POST', path: '/referrals/:reference/withdraw', allow: ['referrer'] },
];
import { createReferrerConversationRouter } from './referrer-conversation-router.js';

/**
 * The referrer's pages (`/referrals/{reference}`): the referral's status, the homes' answers
 * and questions, the choice among offers, the two-weekly update, the start of the
 * three-monthly review (a prefilled draft of the form, recorded by `ReferralReviews`) and
 * withdrawal.
 */
export function createReferrerRouter(shared: ReferralPages): Router {
  const { workflows, pages } = shared.options;
  const router = Router();

  const isReferrer = (referral: ReferralRow, user: SessionUser): boolean =>
    isReferrerOf(user, {
      userId: referral.user_id,
      submitterOrganisationId: referral.submitter_organisation_id,
    });

  /** The referral, if the user made it or works for the authority that submitted it. */
  const referrersReferral = async (req: Request) => {
    const user = shared.requireUser(req);
    const referral = await shared.loadReferral(paramOf(req, 'reference'));
    // Someone else's referral looks exactly like no referral.
    if (!referral || !isReferrer(referral, user))
      throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'not the referrer');
    return { user, referral };
  };

  router.get('/referrals/:reference', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    await shared.auditView(referral, { type: 'user', id: user.id });
    const instanceId = referral.instance_id;
    const waitingForDecision = await shared.isWaitingOn(referral, 'await-decision');
    // An offer can be taken up as soon as it is made, while other homes are still answering.
    const waitingForHomes = await shared.isWaitingOn(referral, 'await-responses');
    const offers =
      instanceId && (waitingForDecision || waitingForHomes)
        ? await workflows.decisions.offers(instanceId)
        : [];
    const requests = instanceId ? await shared.homeRequestsOf(instanceId) : [];
    const reviewable = await reviewOf(referral);
    const reviews =
      reviewable && instanceId ? await workflows.referralReviews.listFor(instanceId) : [];
    const lastReview = reviews.at(-1);
    const last = lastReview ? dateTime.format(lastReview.recordedAt) : undefined;
    const open = isOpen(referral);
    pages.render(req, res, 'referrer/status', {
      title: `Referral ${referral.reference}`,
      done: doneMessageOf(req),
      reference: referral.reference,
      status: shared.statusLabel(referral),
      timeline: await shared.timelineOf(referral),
      // A home's question (or reason) in full: the referrer is the one who can answer it.
      homes: toHomeAnswerRows(requests),
      // Each question asked and not yet followed by an offer or a decline, with a link to answer.
      questions: open
        ? requests
            .filter((request) => request.state === 'more-information')
            .map((request) => ({
              homeId: request.home_id,
              name: request.name,
              question: request.reason ?? '',
              answered: request.latest_answer,
            }))
        : [],
      offers: offers.map((offer) => ({ ...offer, details: toOfferText(offer) })),
      canDecide: waitingForDecision || (waitingForHomes && offers.length > 0),
      canUpdate: referral.state === 'waiting' && open,
      review: reviewable ? { title: reviewable.title ?? 'Three-monthly review', last } : undefined,
      canWithdraw: instanceId !== null && open,
    });
  });

  /** The workflow's review, when the referral's search is open to one. */
  const reviewOf = async (referral: ReferralRow) => {
    if (referral.state !== 'waiting' || referral.status === 'withdrawn') return undefined;
    return (await shared.definitionOf(referral))?.review;
  };

  router.post('/referrals/:reference/review', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    const review = await reviewOf(referral);
    const form = shared.options.forms.get(referral.form_id);
    if (!review || !form) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'The search is not open',
        heading: 'The search is not open',
        paragraphs: ['There is no open search to review for this referral. Nothing was changed.'],
        link: { href: `/referrals/${referral.reference}`, text: 'Back to the referral' },
      });
      return;
    }
    await shared.auditView(referral, { type: 'user', id: user.id }, 'referral.review.start');
    const draft = await workflows.referralReviews.startDraft({
      form,
      review,
      referral: {
        submissionId: referral.submission_id,
        reference: referral.reference,
        data: referral.data,
      },
      userId: user.id,
      today: shared.options.clock.now(),
    });
    const next = form.definition.sections ? 'task-list' : (form.pages[0]?.id ?? 'check-answers');
    res.redirect(303, `/forms/${form.definition.id}/${draft.id}/${next}`);
  });

  router.use(createReferrerConversationRouter(shared, referrersReferral));

  router.post('/referrals/:reference/decision', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    if (!referral.instance_id) throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'no workflow');
    await recordDecision(shared, req, res, {
      instanceId: referral.instance_id,
      user,
      back: `/referrals/${referral.reference}`,
    });
  });

  const renderUpdate = (
    req: Request,
    res: Response,
    referral: ReferralRow,
    state: { errors?: { text: string; href: string }[]; values?: Record<string, string> } = {},
  ) => {
    const errors = state.errors ?? [];
    pages.render(req, res, 'referrer/update', {
      title: `Update on referral ${referral.reference}`,
      errors,
      errorList: errors,
      reference: referral.reference,
      values: state.values ?? {},
      backLink: `/referrals/${referral.reference}`,
    });
  };

  router.get('/referrals/:reference/update', async (req, res) => {
    const { referral } = await referrersReferral(req);
    renderUpdate(req, res, referral);
  });

  router.post('/referrals/:reference/update', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const stillNeeded = firstValue(body, 'stillNeeded') ?? '';
    const changes = (firstValue(body, 'changes') ?? '').trim().slice(0, maxText);
    if (stillNeeded !== 'yes' && stillNeeded !== 'no') {
      res.status(422);
      const error = {
        text: 'Select whether the child still needs a secure welfare placement',
        href: '#stillNeeded',
      };
      renderUpdate(req, res, referral, { errors: [error], values: { changes } });
      return;
    }
    // Not needed any more: withdrawing is its own, confirmed, step.
    if (stillNeeded === 'no') {
      res.redirect(303, `/referrals/${referral.reference}/withdraw`);
      return;
    }
    const updated =
      referral.instance_id !== null &&
      (await workflows.engine.recordUpdate(
        referral.instance_id,
        { type: 'user', id: user.id },
        { changes: changes === '' ? null : changes },
      ));
    if (!updated) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'The search is not open',
        heading: 'The search is not open',
        paragraphs: ['There is no open search to update for this referral. Nothing was changed.'],
        link: { href: `/referrals/${referral.reference}`, text: 'Back to the referral' },
      });
      return;
    }
    res.redirect(303, `/referrals/${referral.reference}?done=updated`);
  });

  router.get('/referrals/:reference/withdraw', async (req, res) => {
    const { referral } = await referrersReferral(req);
    // Back to the form after withdrawing, or a referral already placed: nothing to confirm.
    if (referral.instance_id === null || !isOpen(referral)) {
      pages.render(req, res, 'workflow-message', {
        title: `Referral ${referral.reference} is closed`,
        heading: `Referral ${referral.reference} is closed`,
        paragraphs: [
          `There is nothing to withdraw: the referral’s status is “${shared.statusLabel(referral)}”.`,
        ],
        link: { href: `/referrals/${referral.reference}`, text: 'Back to the referral' },
      });
      return;
    }
    pages.render(req, res, 'referrer/withdraw', {
      title: `Withdraw referral ${referral.reference}`,
      reference: referral.reference,
      backLink: `/referrals/${referral.reference}`,
    });
  });

  router.post('/referrals/:reference/withdraw', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    const body = req.formBody ?? new Map<string, readonly string[]>();
    if (firstValue(body, 'confirm') !== 'yes') {
      res.status(422);
      pages.render(req, res, 'referrer/withdraw', {
        title: `Withdraw referral ${referral.reference}`,
        reference: referral.reference,
        errors: [{ text: 'Confirm that you want to withdraw the referral', href: '#confirm' }],
        errorList: [{ text: 'Confirm that you want to withdraw the referral', href: '#confirm' }],
        backLink: `/referrals/${referral.reference}`,
      });
      return;
    }
    const reason = (firstValue(body, 'reason') ?? '').trim().slice(0, maxText);
    const withdrawn =
      referral.instance_id !== null &&
      (await workflows.engine.withdraw(
        referral.instance_id,
        { type: 'user', id: user.id },
        reason || undefined,
      ));
    if (!withdrawn) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'The referral is closed',
        heading: 'The referral is closed',
        paragraphs: ['This referral has already finished or was withdrawn. Nothing was changed.'],
        link: { href: `/referrals/${referral.reference}`, text: 'Back to the referral' },
      });
      return;
    }
    res.redirect(303, `/referrals/${referral.reference}?done=withdrawn`);
  });

  return declareAccess(router, referrerAccess);
}

/** True while a referral's search is open: its workflow neither ended nor was withdrawn. */
function isOpen(referral: { state: string | null; status: string | null }): boolean {
  return (
    referral.state !== null &&
    !['completed', 'failed', 'withdrawn'].includes(referral.state) &&
    referral.status !== 'withdrawn'
  );
}
