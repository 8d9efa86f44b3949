import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { recordAudit } from '../auth/audit.js';
import { AppError } from '../errors/app-error.js';
import { firstValue } from '../forms/form-body.js';
import type { FormRegistry } from '../forms/load-forms.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore } from '../ports/document-store.js';
import { statusLabels } from '../steps/set-status.js';
import type { Database } from '../store/database.js';
import type { WorkflowRuntime } from '../workflow/create-workflow-runtime.js';
import type { HomeAnswer, HomeRequest } from '../workflow/home-responses.js';
import { toDay } from '../workflow/homes-store.js';
import { readPointer } from '../workflow/read-pointer.js';
import type { WorkflowDefinition } from '../workflow/workflow-definition.js';
import type { PageRenderer } from './page-renderer.js';
import { escapeHtml } from '../forms/fields/escape-html.js';
import type { SessionUser } from './request-context.js';

/** What the workflow pages need. */
export interface WorkflowRouterOptions {
  db: Database;
  forms: FormRegistry;
  workflows: WorkflowRuntime;
  documents: DocumentStore;
  clock: Clock;
  pages: PageRenderer;
  /** Signed-in users with one of these emails see the coordinator console and bull-board. */
  coordinatorEmails: readonly string[];
  /** Queues shown read-only on bull-board at `/admin/queues`. */
  queues: readonly Queue[];
  /** The service's address, for the vacancy links coordinators hand out. */
  publicUrl: string;
}

/** True when `user` is signed in with a coordinator's email address. */
export function isCoordinator(
  user: SessionUser | undefined,
  coordinatorEmails: readonly string[],
): user is SessionUser {
  if (!user) return false;
  const email = user.email.toLowerCase();
  return coordinatorEmails.some((candidate) => candidate.toLowerCase() === email);
}

interface ReferralRow {
  submission_id: string;
  reference: string;
  form_id: string;
  organisation_id: string;
  data: Record<string, unknown>;
  user_id: string | null;
  submitted_at: Date | string;
  instance_id: string | null;
  state: string | null;
  status: string | null;
  current_step: string | null;
  workflow_id: string | null;
  workflow_version: string | null;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'Europe/London',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

const answerLabels: Record<string, string> = {
  awaiting: 'Waiting for an answer',
  accepted: 'Offered a place',
  declined: 'Declined',
  'more-information': 'Asked for more information',
  'timed-out': 'Did not answer in time',
  withdrawn: 'Referral withdrawn',
};

// Fixed texts for `?done=`: a query string can only choose one, never inject its own.
const doneMessages: Record<string, string> = {
  approved: 'The homes were approved. Referral packs are being sent.',
  resolved: 'The flag was marked as resolved.',
  decided: 'The decision was recorded.',
  updated: 'Your update was recorded. The search stays open.',
  withdrawn: 'The referral was withdrawn. The homes will be told.',
  answered: 'Your answer was recorded. Thank you.',
  declared: 'Your vacancies for today were recorded. Thank you.',
};

const referencePattern = /^[A-Z]{2,6}-\d{4}-\d{5}$/;
const maxText = 2000;

/**
 * The workflow's web pages: the coordinator console and review (`/coordinator`), the home's
 * pack and answer (`/respond/{token}`, also `/homes/respond/{token}` as the emails link it), the referrer's status page (`/referrals/{reference}`),
 * vacancy declarations (`/vacancies/{token}`) and bull-board (`/admin/queues`) for coordinators.
 */
export function createWorkflowRouter(options: WorkflowRouterOptions): Router {
  const { db, forms, workflows, pages, clock } = options;
  const router = Router();

  const requireUser = (req: Request): SessionUser => {
    const user = req.session?.user;
    if (!user) throw new AppError('ERR_AUTH_REQUIRED', 'sign-in needed');
    return user;
  };
  const requireCoordinator = (req: Request): SessionUser => {
    const user = requireUser(req);
    if (!isCoordinator(user, options.coordinatorEmails))
      throw new AppError('ERR_AUTH_FORBIDDEN', 'not a coordinator');
    return user;
  };
  const done = (req: Request): string | undefined =>
    typeof req.query.done === 'string' ? doneMessages[req.query.done] : undefined;

  const loadReferral = async (reference: string): Promise<ReferralRow | undefined> => {
    if (!referencePattern.test(reference)) return undefined;
    const { rows } = await db.query<ReferralRow>(
      `SELECT s.id AS submission_id, s.reference, s.form_id, s.organisation_id, s.data, s.user_id,
         s.submitted_at, i.id AS instance_id, i.state, i.status, i.current_step, i.workflow_id,
         i.workflow_version
       FROM submissions s LEFT JOIN workflow_instances i ON i.submission_id = s.id
       WHERE s.reference = $1`,
      [reference],
    );
    return rows[0];
  };
  const definitionOf = async (referral: ReferralRow): Promise<WorkflowDefinition | undefined> =>
    referral.workflow_id && referral.workflow_version
      ? workflows.catalog.version(referral.workflow_id, referral.workflow_version)
      : undefined;

  const auditView = (
    referral: ReferralRow,
    actor: { type: 'user' | 'home'; id: string },
    action = 'referral.view',
  ) =>
    recordAudit(db, {
      actorType: actor.type,
      actorId: actor.id,
      action,
      subjectType: 'submission',
      subjectId: referral.submission_id,
      organisationId: referral.organisation_id,
      details: { reference: referral.reference },
      at: clock.now(),
    });

  const timelineOf = async (referral: ReferralRow) => {
    const steps = await workflows.timeline(referral.submission_id);
    return [
      [
        { text: dateTime.format(new Date(referral.submitted_at)) },
        { text: 'Referral received' },
        { text: 'Done' },
      ],
      ...steps.map((step) => [
        { text: dateTime.format(step.at) },
        { text: step.title },
        { text: step.waiting ?? toLabel(step.state) },
      ]),
    ];
  };

  const homeRequestsOf = async (instanceId: string) => {
    const { rows } = await db.query<{
      home_id: string;
      name: string;
      state: string;
      reason: string | null;
      responded_at: Date | string | null;
    }>(
      `SELECT r.home_id, h.name, r.state, r.reason, r.responded_at FROM workflow_home_requests r
       JOIN homes h ON h.id = r.home_id WHERE r.instance_id = $1 ORDER BY h.name`,
      [instanceId],
    );
    return rows;
  };

  const statusLabel = (referral: ReferralRow) =>
    referral.status ? (statusLabels[referral.status] ?? toLabel(referral.status)) : 'Received';

  // ---- Coordinator console -------------------------------------------------------------------

  router.get('/coordinator', async (req, res) => {
    requireCoordinator(req);
    const { rows } = await db.query<{
      reference: string;
      status: string;
      submitted_at: Date | string;
      approached: string | number;
      offers: string | number;
      flags: string | number;
      open_reviews: string | number;
    }>(
      `SELECT s.reference, i.status, s.submitted_at,
         (SELECT count(*) FROM workflow_home_requests r WHERE r.instance_id = i.id) AS approached,
         (SELECT count(*) FROM workflow_home_requests r WHERE r.instance_id = i.id AND r.state = 'accepted') AS offers,
         (SELECT count(*) FROM workflow_flags f WHERE f.instance_id = i.id AND f.resolved_at IS NULL) AS flags,
         (SELECT count(*) FROM workflow_review_tasks t WHERE t.instance_id = i.id AND t.state = 'open') AS open_reviews
       FROM workflow_instances i JOIN submissions s ON s.id = i.submission_id
       ORDER BY s.submitted_at DESC LIMIT 500`,
    );
    const homes = await workflows.homes.list();
    const vacancies = await workflows.homes.vacancies(toDay(clock.now()));
    pages.render(req, res, 'workflow-console', {
      title: 'Referrals',
      referrals: rows.map((row) => [
        {
          html: `<a class="govuk-link" href="/coordinator/referrals/${escapeHtml(row.reference)}">${escapeHtml(row.reference)}</a>`,
        },
        { text: statusLabels[row.status] ?? toLabel(row.status) },
        { text: Number(row.open_reviews) > 0 ? 'Needs review' : '' },
        { text: String(Number(row.approached)), format: 'numeric' },
        { text: String(Number(row.offers)), format: 'numeric' },
        { text: String(Number(row.flags)), format: 'numeric' },
      ]),
      homes: homes.map((home) => ({
        id: home.id,
        name: home.name,
        vacancies: vacancies.get(home.id),
      })),
      vacancyLink: typeof req.query.link === 'string' ? req.query.link : undefined,
    });
  });

  router.post('/coordinator/homes/:homeId/vacancy-link', async (req, res) => {
    const user = requireCoordinator(req);
    const home = await workflows.homes.get(paramOf(req, 'homeId'));
    if (!home) throw new AppError('ERR_HTTP_NOT_FOUND', 'no such home');
    const token = await workflows.homes.issueVacancyToken(home.id);
    await recordAudit(db, {
      actorType: 'user',
      actorId: user.id,
      action: 'home.vacancy-link.issue',
      subjectType: 'home',
      subjectId: home.id,
      organisationId: 'swcu',
      at: clock.now(),
    });
    // Shown once, on the page the coordinator copies it from; only its hash is stored.
    pages.render(req, res, 'workflow-vacancy-link', {
      title: `Vacancy link for ${home.name}`,
      homeName: home.name,
      link: `${options.publicUrl.replace(/\/$/, '')}/vacancies/${token}`,
      backLink: '/coordinator',
    });
  });

  const renderReview = async (
    req: Request,
    res: Response,
    referral: ReferralRow,
    state: { errors?: { text: string; href: string }[]; checked?: string[] } = {},
  ) => {
    const task = await workflows.reviews.forReference(referral.reference);
    const homes = await workflows.homes.list();
    const instanceId = referral.instance_id;
    const requests = instanceId ? await homeRequestsOf(instanceId) : [];
    const { rows: flags } = instanceId
      ? await db.query<{ id: string; message: string; created_at: Date | string }>(
          `SELECT id, message, created_at FROM workflow_flags WHERE instance_id = $1
           AND resolved_at IS NULL ORDER BY id`,
          [instanceId],
        )
      : { rows: [] };
    const offers = instanceId ? await workflows.decisions.offers(instanceId) : [];
    const reasonsOf = new Map(task?.proposed.map((home) => [home.homeId, home]) ?? []);
    const checked = new Set(state.checked ?? task?.selected ?? []);
    const errors = state.errors ?? [];
    pages.render(req, res, 'review-referral', {
      title: `Referral ${referral.reference}`,
      errors,
      errorList: errors,
      done: done(req),
      reference: referral.reference,
      status: statusLabel(referral),
      timeline: await timelineOf(referral),
      routing: (task?.proposed ?? []).map((home) => [
        { text: home.name },
        { text: home.chosen ? 'Proposed' : 'Excluded' },
        { text: home.reasons.join('; ') || '–' },
      ]),
      task:
        task?.state === 'open'
          ? {
              id: task.id,
              items: homes.map((home) => ({
                value: home.id,
                text: home.name,
                checked: checked.has(home.id),
                hint: {
                  text: reasonsOf.get(home.id)?.reasons.join('; ') ?? 'Not considered by routing',
                },
              })),
            }
          : undefined,
      approved: task && task.state !== 'open' ? { state: toLabel(task.state) } : undefined,
      requests: requests.map((request) => [
        { text: request.name },
        { text: answerLabels[request.state] ?? toLabel(request.state) },
        { text: request.reason ?? '' },
      ]),
      offers,
      canDecide: referral.current_step !== null && (await isWaitingOn(referral, 'await-decision')),
      flags: flags.map((flag) => ({
        id: flag.id,
        message: flag.message,
        at: dateTime.format(new Date(flag.created_at)),
      })),
      backLink: '/coordinator',
    });
  };

  const isWaitingOn = async (referral: ReferralRow, stepType: string): Promise<boolean> => {
    if (referral.state !== 'waiting' || !referral.current_step) return false;
    const definition = await definitionOf(referral);
    return definition?.steps[referral.current_step]?.type === stepType;
  };

  const coordinatorReferral = async (req: Request) => {
    const user = requireCoordinator(req);
    const referral = await loadReferral(paramOf(req, 'reference'));
    if (!referral?.instance_id) throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'no referral');
    return { user, referral, instanceId: referral.instance_id };
  };

  router.get('/coordinator/referrals/:reference', async (req, res) => {
    const { user, referral } = await coordinatorReferral(req);
    await auditView(referral, { type: 'user', id: user.id });
    await renderReview(req, res, referral);
  });

  router.post('/coordinator/referrals/:reference/review', async (req, res) => {
    const { user, referral } = await coordinatorReferral(req);
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const chosen = [...new Set(body.get('homes') ?? [])];
    const known = new Set((await workflows.homes.list()).map((home) => home.id));
    const problem =
      chosen.length === 0
        ? 'Select at least one home to send the referral to'
        : chosen.some((id) => !known.has(id))
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
    const taskId = firstValue(body, 'taskId');
    const approved =
      task !== undefined &&
      task.id === taskId &&
      (await workflows.reviews.approve(task.id, chosen, { id: user.id }));
    if (!approved) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'This review is closed',
        heading: 'This review is closed',
        paragraphs: [
          'The homes for this referral were already approved, or the referral was withdrawn. Nothing was changed.',
        ],
        link: {
          href: `/coordinator/referrals/${referral.reference}`,
          text: 'Back to the referral',
        },
      });
      return;
    }
    res.redirect(303, `/coordinator/referrals/${referral.reference}?done=approved`);
  });

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

  router.post('/coordinator/referrals/:reference/decision', async (req, res) => {
    const { user, referral, instanceId } = await coordinatorReferral(req);
    await decide(
      req,
      res,
      referral,
      instanceId,
      user,
      `/coordinator/referrals/${referral.reference}`,
    );
  });

  // ---- Decisions (coordinator and referrer) --------------------------------------------------

  const decide = async (
    req: Request,
    res: Response,
    referral: ReferralRow,
    instanceId: string,
    user: SessionUser,
    back: string,
  ) => {
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const choice = firstValue(body, 'choice') ?? '';
    const details = (firstValue(body, 'alternativeDetails') ?? '').trim().slice(0, maxText);
    const offers = await workflows.decisions.offers(instanceId);
    const problem =
      choice === ''
        ? 'Select the home you choose, or record an alternative placement'
        : choice === 'alternative' && details === ''
          ? 'Enter the details of the alternative placement'
          : choice !== 'alternative' && !offers.some((offer) => offer.homeId === choice)
            ? 'Select a home that offered a place'
            : undefined;
    if (problem) {
      res.status(422);
      pages.render(req, res, 'workflow-message', {
        title: 'There is a problem',
        heading: 'There is a problem',
        errors: [{ text: problem, href: '#choice' }],
        errorList: [{ text: problem, href: `${back}#choice` }],
        paragraphs: ['Nothing was changed.'],
        link: { href: back, text: 'Go back and choose' },
      });
      return;
    }
    const decided = await workflows.decisions.decide(
      instanceId,
      choice === 'alternative'
        ? { choice: 'alternative', details }
        : { choice: 'placed', homeId: choice },
      { id: user.id },
    );
    if (!decided) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'No decision is waiting',
        heading: 'No decision is waiting',
        paragraphs: [
          'A decision was already recorded for this referral, or it is no longer open. Nothing was changed.',
        ],
        link: { href: back, text: 'Back to the referral' },
      });
      return;
    }
    res.redirect(303, `${back}?done=decided`);
  };

  // ---- Referrer's status page ----------------------------------------------------------------

  /** The referral, if `user` made it: submitted it while signed in, or is its referrer. */
  const referrersReferral = async (req: Request) => {
    const user = requireUser(req);
    const referral = await loadReferral(paramOf(req, 'reference'));
    // Someone else's referral looks exactly like no referral.
    if (!referral || !(await isReferrer(referral, user)))
      throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'not the referrer');
    return { user, referral };
  };

  const isReferrer = async (referral: ReferralRow, user: SessionUser): Promise<boolean> => {
    if (referral.user_id !== null && referral.user_id === user.id) return true;
    const definition = await definitionOf(referral);
    for (const pointer of referrerPointers(definition)) {
      const email = readPointer(referral.data, pointer);
      if (typeof email === 'string' && email.toLowerCase() === user.email.toLowerCase())
        return true;
    }
    return false;
  };

  router.get('/referrals/:reference', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    await auditView(referral, { type: 'user', id: user.id });
    const instanceId = referral.instance_id;
    const waitingForDecision = await isWaitingOn(referral, 'await-decision');
    const offers =
      instanceId && waitingForDecision ? await workflows.decisions.offers(instanceId) : [];
    const requests = instanceId ? await homeRequestsOf(instanceId) : [];
    const open =
      referral.state !== null &&
      !['completed', 'failed', 'withdrawn'].includes(referral.state) &&
      referral.status !== 'withdrawn';
    pages.render(req, res, 'referral-status', {
      title: `Referral ${referral.reference}`,
      done: done(req),
      reference: referral.reference,
      status: statusLabel(referral),
      timeline: await timelineOf(referral),
      homes: requests.map((request) => [
        { text: request.name },
        { text: answerLabels[request.state] ?? toLabel(request.state) },
      ]),
      offers,
      canDecide: waitingForDecision,
      canUpdate: referral.state === 'waiting' && open,
      canWithdraw: instanceId !== null && open,
    });
  });

  router.post('/referrals/:reference/decision', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    if (!referral.instance_id) throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'no workflow');
    await decide(
      req,
      res,
      referral,
      referral.instance_id,
      user,
      `/referrals/${referral.reference}`,
    );
  });

  router.post('/referrals/:reference/update', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    const updated =
      referral.instance_id !== null &&
      (await workflows.engine.recordUpdate(referral.instance_id, { type: 'user', id: user.id }));
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
    pages.render(req, res, 'referral-withdraw', {
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
      pages.render(req, res, 'referral-withdraw', {
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

  // ---- Home response -------------------------------------------------------------------------

  /** The request a link opens, for the home signed in as its directory address. */
  const homesRequest = async (req: Request): Promise<HomeRequest> => {
    const user = requireUser(req);
    const request = await workflows.responses.byToken(paramOf(req, 'token'));
    if (!request) throw new AppError('ERR_HTTP_NOT_FOUND', 'no request for this token');
    if (request.homeEmail.toLowerCase() !== user.email.toLowerCase())
      throw new AppError('ERR_AUTH_FORBIDDEN', 'signed in as someone other than the home');
    return request;
  };

  const renderResponse = async (
    req: Request,
    res: Response,
    request: HomeRequest,
    state: { errors?: { text: string; href: string }[]; values?: Record<string, string> } = {},
  ) => {
    const referral = await loadReferral(request.reference);
    if (!referral) throw new AppError('ERR_HTTP_NOT_FOUND', 'referral vanished');
    const form = forms.get(referral.form_id);
    const definition = await definitionOf(referral);
    const names = await documentNames(referral.submission_id);
    const expired = request.expiresAt !== null && request.expiresAt <= clock.now();
    const canAnswer =
      !expired &&
      (request.state === 'awaiting' || request.state === 'more-information') &&
      (await isWaitingOn(referral, 'await-responses'));
    const errors = state.errors ?? [];
    const token = paramOf(req, 'token');
    pages.render(req, res, 'home-response', {
      title: `Referral ${request.reference}`,
      errors,
      errorList: errors,
      done: done(req),
      reference: request.reference,
      homeName: request.homeName,
      answer: answerLabels[request.state] ?? toLabel(request.state),
      reason: request.reason,
      expired,
      expires: request.expiresAt ? dateTime.format(request.expiresAt) : undefined,
      canAnswer,
      action: `${respondBase(req)}/${token}`,
      packLink: request.packKey ? `${respondBase(req)}/${token}/pack.pdf` : undefined,
      declineReasons: declineReasonsOf(definition),
      values: state.values ?? {},
      sections: (form?.summary(referral.data) ?? []).map((section) => ({
        title: section.title,
        rows: section.rows.map((row) => ({
          key: { text: row.key },
          value: {
            html: row.valueHtml.replace(/doc_[0-9a-f]{30}/g, (id) =>
              escapeHtml(names.get(id) ?? 'Attached document'),
            ),
          },
        })),
      })),
    });
  };

  const documentNames = async (submissionId: string) => {
    const { rows } = await db.query<{ id: string; filename: string }>(
      `SELECT id, filename FROM documents WHERE submission_id = $1`,
      [submissionId],
    );
    return new Map(rows.map((row) => [row.id, row.filename]));
  };

  router.get(['/respond/:token', '/homes/respond/:token'], async (req, res) => {
    const request = await homesRequest(req);
    await recordAudit(db, {
      actorType: 'home',
      actorId: request.homeId,
      action: 'referral.view',
      subjectType: 'submission',
      subjectId: request.submissionId,
      organisationId: request.organisationId,
      details: { reference: request.reference },
      at: clock.now(),
    });
    await renderResponse(req, res, request);
  });

  router.get(['/respond/:token/pack.pdf', '/homes/respond/:token/pack.pdf'], async (req, res) => {
    const request = await homesRequest(req);
    if (!request.packKey) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'no pack yet');
    const pack = await options.documents.get(request.packKey);
    if (!pack) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'pack missing from the store');
    await recordAudit(db, {
      actorType: 'home',
      actorId: request.homeId,
      action: 'referral.pack.download',
      subjectType: 'submission',
      subjectId: request.submissionId,
      organisationId: request.organisationId,
      details: { reference: request.reference },
      at: clock.now(),
    });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${request.reference}-referral-pack.pdf"`,
    );
    res.send(pack.content);
  });

  router.post(['/respond/:token', '/homes/respond/:token'], async (req, res) => {
    const request = await homesRequest(req);
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const answer = firstValue(body, 'answer') ?? '';
    const declineReason = firstValue(body, 'declineReason') ?? '';
    const declineDetails = (firstValue(body, 'declineDetails') ?? '').trim().slice(0, maxText);
    const moreInformation = (firstValue(body, 'moreInformation') ?? '').trim().slice(0, maxText);
    const values = { answer, declineReason, declineDetails, moreInformation };
    const referral = await loadReferral(request.reference);
    const reasons = declineReasonsOf(referral ? await definitionOf(referral) : undefined);
    const errors: { text: string; href: string }[] = [];
    if (!isHomeAnswer(answer)) {
      errors.push({ text: 'Select whether you can offer a place', href: '#answer' });
    } else if (answer === 'declined') {
      if (reasons.length > 0 && !reasons.includes(declineReason))
        errors.push({ text: 'Select why you cannot offer a place', href: '#declineReason' });
      else if (reasons.length === 0 && declineDetails === '')
        errors.push({ text: 'Enter why you cannot offer a place', href: '#declineDetails' });
    } else if (answer === 'more-information' && moreInformation === '') {
      errors.push({ text: 'Enter what information you need', href: '#moreInformation' });
    }
    if (errors.length > 0 || !isHomeAnswer(answer)) {
      res.status(422);
      await renderResponse(req, res, request, { errors, values });
      return;
    }
    const reason =
      answer === 'declined'
        ? [declineReason, declineDetails].filter((part) => part !== '').join(': ')
        : answer === 'more-information'
          ? moreInformation
          : undefined;
    const result = await workflows.responses.respond({
      requestId: request.id,
      homeEmail: request.homeEmail,
      answer,
      reason,
    });
    if (!result.ok) {
      const texts: Record<string, [number, string, string]> = {
        'already-answered': [
          409,
          'You have already answered',
          'You have already answered this referral. Your earlier answer stands and nothing was changed.',
        ],
        expired: [
          410,
          'This link has expired',
          'The time to answer this referral has passed. Nothing was changed. Contact the Secure Welfare Coordination Unit if you can still offer a place.',
        ],
        closed: [
          409,
          'This referral is no longer open',
          'The referral is no longer waiting for answers (it may have been withdrawn or decided). Nothing was changed.',
        ],
        'not-found': [
          404,
          'Page not found',
          'This link is not for your home. Nothing was changed.',
        ],
        'reason-required': [422, 'There is a problem', 'Give a reason. Nothing was changed.'],
      };
      const [status, heading, text] = texts[result.problem] ?? [409, 'There is a problem', ''];
      res.status(status);
      pages.render(req, res, 'workflow-message', {
        title: heading,
        heading,
        paragraphs: [text],
        link: {
          href: `${respondBase(req)}/${paramOf(req, 'token')}`,
          text: 'Back to the referral',
        },
      });
      return;
    }
    res.redirect(303, `${respondBase(req)}/${paramOf(req, 'token')}?done=answered`);
  });

  // ---- Vacancy declaration -------------------------------------------------------------------

  const vacancyHome = async (req: Request) => {
    const home = await workflows.homes.byVacancyToken(paramOf(req, 'token'));
    if (!home) throw new AppError('ERR_HTTP_NOT_FOUND', 'no home for this vacancy token');
    return home;
  };

  const renderVacancies = async (
    req: Request,
    res: Response,
    home: { id: string; name: string },
    state: { error?: string; value?: string } = {},
  ) => {
    const today = toDay(clock.now());
    const declared = (await workflows.homes.vacancies(today)).get(home.id);
    const errors = state.error ? [{ text: state.error, href: '#vacancies' }] : [];
    pages.render(req, res, 'home-vacancies', {
      title: `Declare today’s vacancies for ${home.name}`,
      errors,
      errorList: errors,
      done: done(req),
      homeName: home.name,
      today: dateOnly.format(new Date(`${today}T00:00:00Z`)),
      declared,
      value: state.value ?? (declared === undefined ? '' : String(declared)),
      action: `/vacancies/${paramOf(req, 'token')}`,
    });
  };

  router.get('/vacancies/:token', async (req, res) => {
    await renderVacancies(req, res, await vacancyHome(req));
  });

  router.post('/vacancies/:token', async (req, res) => {
    const home = await vacancyHome(req);
    const raw = (firstValue(req.formBody ?? new Map(), 'vacancies') ?? '').trim();
    const error =
      raw === ''
        ? 'Enter the number of free welfare beds today'
        : !/^\d+$/.test(raw)
          ? 'Number of free welfare beds must be a whole number, like 2'
          : Number(raw) > 50
            ? 'Number of free welfare beds must be 50 or fewer'
            : undefined;
    if (error) {
      res.status(422);
      await renderVacancies(req, res, home, { error, value: raw.slice(0, 20) });
      return;
    }
    const now = clock.now();
    await workflows.homes.declare(home.id, toDay(now), Number(raw), now, 'vacancy-link');
    res.redirect(303, `/vacancies/${paramOf(req, 'token')}?done=declared`);
  });

  // ---- bull-board ----------------------------------------------------------------------------

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Formwork queues' } },
  });
  router.use(
    '/admin/queues',
    (req: Request, res: Response, next: NextFunction) => {
      requireCoordinator(req);
      // bull-board's page carries inline styles and a JSON config block and loads Google fonts;
      // this relaxed policy applies to its own path only, every other page keeps the strict one.
      res.setHeader(
        'Content-Security-Policy',
        [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
          "font-src 'self' https://fonts.gstatic.com",
          "img-src 'self' data:",
          "connect-src 'self'",
          "form-action 'self'",
          "frame-ancestors 'none'",
          "base-uri 'self'",
          "object-src 'none'",
        ].join('; '),
      );
      next();
    },
    board.getRouter() as Router,
  );

  return router;
}

function isHomeAnswer(value: string): value is HomeAnswer {
  return value === 'accepted' || value === 'declined' || value === 'more-information';
}

/** Where the referrer's email is in the submission, as the workflow's steps declare it. */
function referrerPointers(definition: WorkflowDefinition | undefined): string[] {
  const pointers = new Set<string>();
  for (const step of Object.values(definition?.steps ?? {})) {
    const stepOptions = (step.options ?? {}) as Record<string, unknown>;
    if (step.type === 'await-decision' && typeof stepOptions.referrerEmail === 'string')
      pointers.add(stepOptions.referrerEmail);
    if (step.type === 'notify' && typeof stepOptions.to === 'string') pointers.add(stepOptions.to);
  }
  return [...pointers];
}

function declineReasonsOf(definition: WorkflowDefinition | undefined): string[] {
  for (const step of Object.values(definition?.steps ?? {})) {
    const stepOptions = (step.options ?? {}) as Record<string, unknown>;
    if (step.type === 'await-responses' && Array.isArray(stepOptions.declineReasons))
      return stepOptions.declineReasons.filter((reason) => typeof reason === 'string');
  }
  return [];
}

function toLabel(id: string): string {
  const words = id.replaceAll(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function paramOf(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** The emailed links use `/homes/respond/…`; both spellings serve the same pages. */
function respondBase(req: Request): string {
  return req.path.startsWith('/homes/') ? '/homes/respond' : '/respond';
}
