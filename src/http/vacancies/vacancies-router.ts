import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { firstValue } from '../../forms/form-body.js';
import { toDay } from '../../workflow/homes-store.js';
import type { ReferralPages } from '../workflow-pages/referral-pages.js';
import { dateOnly, doneMessageOf, paramOf } from '../workflow-pages/workflow-page-texts.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** Who may use each route (checked by the route × role test). */
export const vacanciesAccess: readonly RouteAccess[] = [
  // The single-purpose link a coordinator hands a home is the capability: no sign-in.
  { method: 'GET', path: '/vacancies/:token', allow: ['anyone'] },
  { method: 'POST', path: '/vacancies/:token', allow: ['anyone'] },
];

/** A home's daily vacancy declaration from its vacancy link (`/vacancies/{token}`). */
export function createVacanciesRouter(shared: ReferralPages): Router {
  const { workflows, pages, clock } = shared.options;
  const router = Router();

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
    pages.render(req, res, 'vacancies/declare', {
      title: `Declare today’s vacancies for ${home.name}`,
      errors,
      errorList: errors,
      done: doneMessageOf(req),
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

  return declareAccess(router, vacanciesAccess);
}
