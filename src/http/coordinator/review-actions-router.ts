import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { firstValue } from '../../forms/form-body.js';
import { toDay } from '../../workflow/homes-store.js';
import type { ReferralPages, ReferralRow } from '../workflow-pages/referral-pages.js';
import type { SessionUser } from '../request-context.js';
import { maxText, paramOf } from '../workflow-pages/workflow-page-texts.js';

/** Renders the coordinator's referral page, with errors and the homes ticked, if any. */
export type RenderReview = (
  req: Request,
  res: Response,
  referral: ReferralRow,
  state?: {
    errors?: { text: string; href: string }[];
    checked?: string[];
    approachErrors?: { text: string; href: string }[];
  },
) => Promise<void>;

type Loaded = { user: SessionUser; referral: ReferralRow };

/**
 * What a coordinator does to the homes of a referral from its page: route it again, approve the
 * homes after a confirmation page (a home without a declared vacancy needs a reason), approach
 * more homes while answers are awaited, and chase a home. Each is audited where it happens.
 */
export function createReviewActionsRouter(
  shared: ReferralPages,
  load: (req: Request) => Promise<Loaded>,
  renderReview: RenderReview,
): Router {
  const { workflows, pages, clock } = shared.options;
  const router = Router();
  const base = (referral: ReferralRow) => `/coordinator/referrals/${referral.reference}`;
  const bodyOf = (req: Request) => req.formBody ?? new Map<string, readonly string[]>();
  const chosenOf = (req: Request) => [...new Set(bodyOf(req).get('homes') ?? [])];

  const closedReview = (req: Request, res: Response, referral: ReferralRow) => {
    res.status(409);
    pages.render(req, res, 'workflow-message', {
      title: 'This review is closed',
      heading: 'This review is closed',
      paragraphs: [
        'The homes for this referral were already approved, or the referral was withdrawn. Nothing was changed.',
      ],
      link: { href: base(referral), text: 'Back to the referral' },
    });
  };

  /** The chosen homes by name, and which of them have not declared a free bed today. */
  const describeChoice = async (chosen: readonly string[]) => {
    const homes = await workflows.homes.list();
    const vacancies = await workflows.homes.vacancies(toDay(clock.now()));
    const known = homes.filter((home) => chosen.includes(home.id));
    const rows = known.map((home) => {
      const free = vacancies.get(home.id);
      return {
        id: home.id,
        name: home.name,
        vacancy: free === undefined ? 'No vacancies declared today' : `${String(free)} free today`,
        noVacancy: free === undefined || free === 0,
      };
    });
    return { rows, unknown: chosen.length !== known.length };
  };

  const renderConfirm = async (
    req: Request,
    res: Response,
    referral: ReferralRow,
    what: { kind: 'review' | 'approach'; chosen: string[]; taskId?: string; error?: string },
  ) => {
    const { rows } = await describeChoice(what.chosen);
    const errors = what.error ? [{ text: what.error, href: '#reason' }] : [];
    if (errors.length > 0) res.status(422);
    pages.render(req, res, 'coordinator/confirm-homes', {
      title:
        what.kind === 'review'
          ? 'Send the referral pack to these homes?'
          : 'Send the referral pack to more homes?',
      errors,
      errorList: errors,
      reference: referral.reference,
      action: `${base(referral)}/${what.kind}/confirm`,
      taskId: what.taskId,
      homes: rows,
      withoutVacancy: rows.filter((row) => row.noVacancy).map((row) => row.name),
      reason: (firstValue(bodyOf(req), 'reason') ?? '').slice(0, maxText),
      backLink: base(referral),
    });
  };

  router.post('/coordinator/referrals/:reference/review/reroute', async (req, res) => {
    const { user, referral } = await load(req);
    const task = await workflows.reviews.forReference(referral.reference);
    if (!task || task.state !== 'open' || !(await workflows.reviews.reroute(task, user))) {
      closedReview(req, res, referral);
      return;
    }
    res.redirect(303, `${base(referral)}?done=rerouted#review`);
  });

  // The first step of approving: the homes are checked, then confirmed on their own page.
  router.post('/coordinator/referrals/:reference/review', async (req, res) => {
    const { referral } = await load(req);
    const chosen = chosenOf(req);
    const { unknown } = await describeChoice(chosen);
    const problem =
      chosen.length === 0
        ? 'Select at least one home to send the referral to'
        : unknown
          ? 'Select homes from the list'
          : undefined;
    if (problem) {
      res.status(422);
      await renderReview(req, res, referral, {
        errors: [{ text: problem, href: '#homes' }],
        checked: chosen,
      });
      return;
    }
    const task = await workflows.reviews.forReference(referral.reference);
    const taskId = firstValue(bodyOf(req), 'taskId');
    if (task?.state !== 'open' || task.id !== taskId) {
      closedReview(req, res, referral);
      return;
    }
    await renderConfirm(req, res, referral, { kind: 'review', chosen, taskId });
  });

  router.post('/coordinator/referrals/:reference/review/confirm', async (req, res) => {
    const { user, referral } = await load(req);
    const chosen = chosenOf(req);
    const { rows, unknown } = await describeChoice(chosen);
    if (chosen.length === 0 || unknown) throw new AppError('ERR_HTTP_BODY_MALFORMED', 'bad homes');
    const taskId = firstValue(bodyOf(req), 'taskId') ?? '';
    const reason = (firstValue(bodyOf(req), 'reason') ?? '').trim().slice(0, maxText);
    const withoutVacancy = rows.filter((row) => row.noVacancy);
    if (withoutVacancy.length > 0 && reason === '') {
      await renderConfirm(req, res, referral, {
        kind: 'review',
        chosen,
        taskId,
        error: 'Enter why the pack goes to homes that have not declared a vacancy',
      });
      return;
    }
    const task = await workflows.reviews.forReference(referral.reference);
    const approved =
      task !== undefined &&
      task.id === taskId &&
      (await workflows.reviews.approve(task.id, chosen, user, {
        homesWithoutVacancy: withoutVacancy.map((row) => row.id),
        reason,
      }));
    if (!approved) {
      closedReview(req, res, referral);
      return;
    }
    res.redirect(303, `${base(referral)}?done=approved`);
  });

  router.post('/coordinator/referrals/:reference/approach', async (req, res) => {
    const { referral } = await load(req);
    const chosen = chosenOf(req);
    const approached = new Set(
      referral.instance_id
        ? (await shared.homeRequestsOf(referral.instance_id)).map((row) => row.home_id)
        : [],
    );
    const { unknown } = await describeChoice(chosen);
    const problem =
      chosen.length === 0
        ? 'Select at least one more home to send the referral to'
        : unknown || chosen.some((id) => approached.has(id))
          ? 'Select homes from the list'
          : undefined;
    if (problem) {
      res.status(422);
      await renderReview(req, res, referral, {
        approachErrors: [{ text: problem, href: '#approach' }],
      });
      return;
    }
    await renderConfirm(req, res, referral, { kind: 'approach', chosen });
  });

  router.post('/coordinator/referrals/:reference/approach/confirm', async (req, res) => {
    const { user, referral } = await load(req);
    const chosen = chosenOf(req);
    const { rows, unknown } = await describeChoice(chosen);
    if (chosen.length === 0 || unknown) throw new AppError('ERR_HTTP_BODY_MALFORMED', 'bad homes');
    const reason = (firstValue(bodyOf(req), 'reason') ?? '').trim().slice(0, maxText);
    if (rows.some((row) => row.noVacancy) && reason === '') {
      await renderConfirm(req, res, referral, {
        kind: 'approach',
        chosen,
        error: 'Enter why the pack goes to homes that have not declared a vacancy',
      });
      return;
    }
    const result = await workflows.followUps.approach({
      reference: referral.reference,
      homeIds: chosen,
      coordinator: user,
      ...(reason === '' ? {} : { reason }),
    });
    if (!result.ok && result.problem === 'not-found')
      throw new AppError('ERR_HTTP_NOT_FOUND', 'no such referral or home');
    res.redirect(303, `${base(referral)}?done=${result.ok ? 'approached' : 'not-approached'}`);
  });

  router.post('/coordinator/referrals/:reference/homes/:homeId/chase', async (req, res) => {
    const { user, referral } = await load(req);
    const result = await workflows.followUps.chase({
      reference: referral.reference,
      homeId: paramOf(req, 'homeId'),
      coordinator: user,
    });
    if (!result.ok && result.problem === 'not-found')
      throw new AppError('ERR_HTTP_NOT_FOUND', 'the referral was not sent to that home');
    res.redirect(303, `${base(referral)}?done=${result.ok ? 'chased' : 'not-chased'}`);
  });

  return router;
}
