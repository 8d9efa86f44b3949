import { Router, type Request } from 'express';
import { recordAudit } from '../../auth/audit.js';
import { AppError } from '../../errors/app-error.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import { referralStatuses, statusLabelOf } from '../../steps/set-status.js';
import { liveRequestStates } from '../../workflow/home-follow-ups.js';
import { toDay } from '../../workflow/homes-store.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';
import type { ReferralPages } from '../workflow-pages/referral-pages.js';
import { dateOnly, doneMessageOf, paramOf } from '../workflow-pages/workflow-page-texts.js';
import {
  compareUrgency,
  matchesFilters,
  toConsoleReferral,
  type ConsoleFilters,
  type ConsoleReferral,
  type ConsoleRow,
} from './referral-console.js';

/** How many referrals one page of the console lists. */
export const consolePageSize = 50;

/** The statuses a referral can have, in the order the console counts them. */
const consoleStatuses = [...referralStatuses] as string[];

/**
 * The coordinator's console (`/coordinator`): every referral, most urgent first, filtered by
 * status, referring authority and whether it needs action, with a count per status; and the
 * homes' vacancy links, shown once and emailed to the home.
 */
export function createConsoleRouter(shared: ReferralPages): Router {
  const { db, workflows, pages, clock, publicUrl } = shared.options;
  const router = Router();

  router.get('/coordinator', async (req, res) => {
    shared.requireCoordinator(req);
    const { rows } = await db.query<
      ConsoleRow & {
        form_id: string;
        workflow_id: string | null;
        workflow_version: string | null;
      }
    >(
      `SELECT s.reference, s.form_id, s.data, s.submitted_at, i.status, i.state, i.context, i.workflow_id, i.workflow_version,
         (SELECT count(*) FROM workflow_home_requests r WHERE r.instance_id = i.id) AS approached,
         (SELECT count(*) FROM workflow_home_requests r WHERE r.instance_id = i.id AND r.state IN ('accepted', 'placed', 'offer-declined')) AS offers,
         (SELECT count(*) FROM workflow_home_requests r WHERE r.instance_id = i.id AND r.state = 'more-information') AS questions,
         (SELECT count(*) FROM workflow_flags f WHERE f.instance_id = i.id AND f.resolved_at IS NULL) AS flags,
         (SELECT count(*) FROM workflow_review_tasks t WHERE t.instance_id = i.id AND t.state = 'open') AS open_reviews,
         (SELECT count(*) FROM workflow_home_requests r WHERE r.instance_id = i.id AND r.state = ANY($2::text[])) AS live_requests,
         i.current_step AS waiting_step
       FROM submissions s LEFT JOIN workflow_instances i ON i.submission_id = s.id
       WHERE i.id IS NOT NULL OR s.form_id = ANY($1::text[])
       ORDER BY s.submitted_at DESC`,
      // a referral just submitted is listed before its workflow has started
      [workflows.catalog.list().map((loaded) => loaded.definition.form), liveRequestStates],
    );
    const definitions = new Map<string, WorkflowDefinition | undefined>();
    const current = new Map(
      workflows.catalog.list().map((loaded) => [loaded.definition.form, loaded.definition]),
    );
    const referrals: ConsoleReferral[] = [];
    for (const row of rows) {
      const key = `${row.workflow_id ?? row.form_id}@${row.workflow_version ?? ''}`;
      if (!definitions.has(key))
        definitions.set(
          key,
          row.workflow_id && row.workflow_version
            ? await workflows.catalog.version(row.workflow_id, row.workflow_version)
            : current.get(row.form_id),
        );
      referrals.push(toConsoleReferral(row, definitions.get(key)));
    }
    referrals.sort(compareUrgency);

    const authorities = [
      ...new Set(referrals.flatMap((referral) => referral.authority ?? [])),
    ].sort();
    const { filters, errors } = filtersOf(req, authorities);
    if (errors.length > 0) res.status(400);
    const matching = referrals.filter((referral) => matchesFilters(referral, filters));
    const paging = pageOf(req, matching.length, filters);
    const shown = matching.slice(paging.first - 1, paging.last);
    const counts = consoleStatuses
      .map((status) => ({
        status,
        text: statusLabelOf(status),
        count: referrals.filter((referral) => referral.status === status).length,
      }))
      .filter((entry) => entry.count > 0);

    const today = toDay(clock.now());
    const homes = await workflows.homes.list();
    const vacancies = await workflows.homes.vacancies(today);
    pages.render(req, res, 'coordinator/console', {
      title: 'Referrals',
      errors,
      errorList: errors,
      done: doneMessageOf(req),
      total: referrals.length,
      needingAction: referrals.filter((referral) => referral.actions.length > 0).length,
      counts,
      filtered: filters.status !== undefined || filters.authority !== undefined || filters.action,
      matching: matching.length,
      paging,
      filters: {
        status: filters.status ?? '',
        authority: filters.authority ?? '',
        action: filters.action === true,
        statusItems: [
          { value: '', text: 'Any status' },
          ...consoleStatuses.map((status) => ({ value: status, text: statusLabelOf(status) })),
        ],
        authorityItems: [
          { value: '', text: 'Any authority' },
          ...authorities.map((authority) => ({ value: authority, text: authority })),
        ],
      },
      referrals: shown.map((referral) => ({
        ...referral,
        // an open referral whose bed was needed before today
        overdue: referral.open && referral.neededBy !== undefined && referral.neededBy < today,
        neededByText: referral.neededBy
          ? dateOnly.format(new Date(`${referral.neededBy}T00:00:00Z`))
          : 'Not given',
      })),
      homes: homes.map((home) => ({
        id: home.id,
        name: home.name,
        vacancies: vacancies.get(home.id),
        // The accessible name starts with the visible text, so voice users can say it.
        buttonHtml: `Create link<span class="govuk-visually-hidden"> for ${escapeHtml(home.name)}</span>`,
      })),
    });
  });

  const vacancyLinkKey = (homeId: string) => `vacancyLink:${homeId}`;
  const vacancyHome = async (req: Request) => {
    const home = await workflows.homes.get(paramOf(req, 'homeId'));
    if (!home || !req.session) throw new AppError('ERR_HTTP_NOT_FOUND', 'no such home');
    return { home, session: req.session };
  };

  // A new link replaces the home's old one, so only a POST issues one; the GET page after it
  // shows the same link on every refresh, from this coordinator's server-side session.
  router.post('/coordinator/homes/:homeId/vacancy-link', async (req, res) => {
    const user = shared.requireCoordinator(req);
    const { home, session } = await vacancyHome(req);
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
    session.data[vacancyLinkKey(home.id)] = token;
    res.redirect(303, `/coordinator/homes/${home.id}/vacancy-link`);
  });

  router.get('/coordinator/homes/:homeId/vacancy-link', async (req, res) => {
    shared.requireCoordinator(req);
    const { home, session } = await vacancyHome(req);
    const token = session.data[vacancyLinkKey(home.id)];
    pages.render(req, res, 'coordinator/vacancy-link', {
      title: `Vacancy link for ${home.name}`,
      done: doneMessageOf(req),
      homeName: home.name,
      homeId: home.id,
      homeEmail: home.email,
      homeNameHtml: escapeHtml(home.name),
      link: typeof token === 'string' ? vacancyUrl(publicUrl, token) : undefined,
      backLink: '/coordinator',
    });
  });

  // Emails the link shown on the page (issuing one first if this session has none), so the
  // link the home already has and the one it is sent are the same.
  router.post('/coordinator/homes/:homeId/vacancy-link/email', async (req, res) => {
    const user = shared.requireCoordinator(req);
    const { home, session } = await vacancyHome(req);
    const known = session.data[vacancyLinkKey(home.id)];
    const token =
      typeof known === 'string' ? known : await workflows.homes.issueVacancyToken(home.id);
    session.data[vacancyLinkKey(home.id)] = token;
    const { services } = workflows.engine;
    await services.mailer.send({
      to: home.email,
      ...services.renderEmail('vacancy-link', {
        homeName: home.name,
        link: vacancyUrl(publicUrl, token),
      }),
    });
    await recordAudit(db, {
      actorType: 'user',
      actorId: user.id,
      action: 'home.vacancy-link.email',
      subjectType: 'home',
      subjectId: home.id,
      organisationId: 'swcu',
      details: { template: 'vacancy-link', newLink: typeof known !== 'string' },
      at: clock.now(),
    });
    res.redirect(303, `/coordinator/homes/${home.id}/vacancy-link?done=vacancy-link-emailed`);
  });

  return router;
}

function vacancyUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/vacancies/${token}`;
}

/**
 * Which page of `count` referrals the query string asks for, with the GOV.UK pagination
 * links that keep the filters. A page past the end shows the last; one that is not a number,
 * the first.
 */
function pageOf(req: Request, count: number, filters: ConsoleFilters) {
  const pages = Math.max(1, Math.ceil(count / consolePageSize));
  const asked = Number(typeof req.query.page === 'string' ? req.query.page : '1');
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
  const hrefOf = (number: number) => {
    const query = new URLSearchParams();
    if (filters.status !== undefined) query.set('status', filters.status);
    if (filters.authority !== undefined) query.set('authority', filters.authority);
    if (filters.action) query.set('action', 'yes');
    if (number > 1) query.set('page', String(number));
    const text = query.toString();
    return text === '' ? '/coordinator#referrals' : `/coordinator?${text}#referrals`;
  };
  // the first, the last, and the pages either side of this one; gaps become ellipses
  const numbers = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((number) => number >= 1 && number <= pages)
    .sort((a, b) => a - b);
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (const number of numbers) {
    const previous = items.at(-1);
    if (previous && 'number' in previous && number > previous.number + 1)
      items.push({ ellipsis: true });
    items.push({ number, href: hrefOf(number), current: number === page });
  }
  return {
    page,
    pages,
    first: count === 0 ? 0 : (page - 1) * consolePageSize + 1,
    last: Math.min(count, page * consolePageSize),
    pagination:
      pages > 1
        ? {
            landmarkLabel: 'Pages of referrals',
            items,
            ...(page > 1 ? { previous: { href: hrefOf(page - 1) } } : {}),
            ...(page < pages ? { next: { href: hrefOf(page + 1) } } : {}),
          }
        : undefined,
  };
}

/** The console's filters from the query string; a value not on offer is an error, not ignored. */
function filtersOf(
  req: Request,
  authorities: readonly string[],
): { filters: ConsoleFilters; errors: { text: string; href: string }[] } {
  const one = (name: string) => {
    const value: unknown = req.query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const errors: { text: string; href: string }[] = [];
  let status = one('status');
  let authority = one('authority');
  const action = one('action');
  if (status !== undefined && !consoleStatuses.includes(status)) {
    errors.push({ text: 'Select a status from the list', href: '#status' });
    status = undefined;
  }
  if (authority !== undefined && !authorities.includes(authority)) {
    errors.push({ text: 'Select a referring authority from the list', href: '#authority' });
    authority = undefined;
  }
  if (action !== undefined && action !== 'yes') {
    errors.push({ text: 'Select whether to show only referrals needing action', href: '#action' });
  }
  return { filters: { status, authority, action: action === 'yes' }, errors };
}
