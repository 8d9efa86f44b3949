import { Router, type Request, type Response } from 'express';
import { recordAudit } from '../../auth/audit.js';
import { addUser, upsertOrganisation } from '../../auth/people.js';
import { AppError } from '../../errors/app-error.js';
import type { HomeRecord } from '../../workflow/homes-store.js';
import { declareAccess, type RouteAccess } from '../route-access.js';
import type { SessionUser } from '../request-context.js';
import type { ReferralPages } from '../workflow-pages/referral-pages.js';
import { paramOf } from '../workflow-pages/workflow-page-texts.js';
import {
  checkHomeEntry,
  fromHomeRecord,
  homeNeeds,
  homeRegions,
  toHomeEntryValues,
  toHomeId,
  type EntryError,
  type HomeEntryValues,
} from './home-entry.js';

/** Who may use each route (checked by the route × role test). */
export const homesDirectoryAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/coordinator/directory', allow: ['coordinator'] },
  { method: 'GET', path: '/coordinator/directory/new', allow: ['coordinator'] },
  { method: 'POST', path: '/coordinator/directory/new', allow: ['coordinator'] },
  { method: 'GET', path: '/coordinator/directory/:homeId', allow: ['coordinator'] },
  { method: 'POST', path: '/coordinator/directory/:homeId', allow: ['coordinator'] },
];

const homeIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const fieldNames: (keyof HomeRecord)[] = [
  'name',
  'operator',
  'region',
  'email',
  'beds',
  'ageMin',
  'ageMax',
  'sexes',
  'needsMet',
];

/**
 * The homes directory, kept by coordinators in the browser (`/coordinator/directory`): list,
 * add and change a home (name, operator, region, ages, sexes, needs met, capacity, the address
 * packs go to, and its staff). The directory file is seed data only: an edited home is never
 * overwritten by it. Staff listed get the home-staff role in the home; staff removed lose it.
 * Every change is audited.
 */
export function createHomesDirectoryRouter(shared: ReferralPages): Router {
  const { db, pages, clock, workflows } = shared.options;
  const router = Router();

  const staffOf = async (homeId: string): Promise<string[]> => {
    const { rows } = await db.query<{ email: string }>(
      `SELECT u.email FROM user_roles r JOIN users u ON u.id = r.user_id
       WHERE r.role = 'home-staff' AND r.organisation_id = $1 ORDER BY u.email`,
      [homeId],
    );
    return rows.map((row) => row.email);
  };

  const renderForm = (
    req: Request,
    res: Response,
    model: { homeId?: string; values: HomeEntryValues; errors?: EntryError[] },
  ) => {
    const errors = model.errors ?? [];
    const errorOf = (href: string) => {
      const found = errors.find((error) => error.href === href);
      return found ? { text: found.text } : undefined;
    };
    pages.render(req, res, 'directory/home', {
      title: model.homeId ? `Change ${model.values.name}` : 'Add a home',
      heading: model.homeId ? model.values.name || 'Change a home' : 'Add a home',
      action: model.homeId
        ? `/coordinator/directory/${model.homeId}`
        : '/coordinator/directory/new',
      errors,
      errorOf,
      values: model.values,
      regions: homeRegions.map((region) => ({
        value: region,
        text: region,
        selected: region === model.values.region,
      })),
      sexes: [
        { value: 'female', text: 'Girls', checked: model.values.sexes.includes('female') },
        { value: 'male', text: 'Boys', checked: model.values.sexes.includes('male') },
      ],
      needs: homeNeeds.map((need) => ({
        ...need,
        checked: model.values.needsMet.includes(need.value),
      })),
    });
  };

  router.get('/coordinator/directory', async (req, res) => {
    shared.requireCoordinator(req);
    const homes = await workflows.homes.list();
    pages.render(req, res, 'directory/homes', {
      title: 'Homes directory',
      done:
        typeof req.query.done === 'string' && req.query.done === 'saved'
          ? 'The home was saved'
          : undefined,
      rows: homes.map((home) => ({
        key: { text: home.name },
        value: {
          text: `${home.region}. Ages ${String(home.ageMin)} to ${String(home.ageMax)}. ${home.sexes
            .map((sex) => (sex === 'female' ? 'Girls' : 'Boys'))
            .join(' and ')}. ${String(home.beds)} beds.`,
        },
        actions: {
          items: [
            {
              href: `/coordinator/directory/${home.id}`,
              text: 'Change',
              visuallyHiddenText: home.name,
            },
          ],
        },
      })),
    });
  });

  router.get('/coordinator/directory/new', (req, res) => {
    shared.requireCoordinator(req);
    renderForm(req, res, {
      values: {
        name: '',
        operator: '',
        region: '',
        ageMin: '10',
        ageMax: '17',
        sexes: [],
        needsMet: [],
        beds: '',
        email: '',
        staff: '',
      },
    });
  });

  router.post('/coordinator/directory/new', async (req, res) => {
    const user = shared.requireCoordinator(req);
    const values = toHomeEntryValues(req.formBody);
    const checked = checkHomeEntry(values);
    const id = toHomeId(values.name);
    if (checked.ok && (await workflows.homes.get(id))) {
      res.status(422);
      renderForm(req, res, {
        values,
        errors: [{ text: 'A home with this name is already in the directory', href: '#name' }],
      });
      return;
    }
    if (!checked.ok) {
      res.status(422);
      renderForm(req, res, { values, errors: checked.errors });
      return;
    }
    await save(user, { ...checked.home, id, postcodeDistrict: null }, checked.staff, undefined);
    res.redirect(303, '/coordinator/directory?done=saved');
  });

  router.get('/coordinator/directory/:homeId', async (req, res) => {
    shared.requireCoordinator(req);
    const home = await homeOf(req);
    renderForm(req, res, { homeId: home.id, values: fromHomeRecord(home, await staffOf(home.id)) });
  });

  router.post('/coordinator/directory/:homeId', async (req, res) => {
    const user = shared.requireCoordinator(req);
    const before = await homeOf(req);
    const values = toHomeEntryValues(req.formBody);
    const checked = checkHomeEntry(values);
    if (!checked.ok) {
      res.status(422);
      renderForm(req, res, { homeId: before.id, values, errors: checked.errors });
      return;
    }
    await save(
      user,
      { ...checked.home, id: before.id, postcodeDistrict: before.postcodeDistrict },
      checked.staff,
      before,
    );
    res.redirect(303, '/coordinator/directory?done=saved');
  });

  const homeOf = async (req: Request): Promise<HomeRecord> => {
    const id = paramOf(req, 'homeId');
    const home = homeIdPattern.test(id) ? await workflows.homes.get(id) : undefined;
    if (!home) throw new AppError('ERR_HTTP_NOT_FOUND', 'no such home');
    return home;
  };

  /** Stores the home and its organisation, then brings its staff's roles in line, audited. */
  const save = async (
    user: SessionUser,
    home: HomeRecord,
    staff: readonly string[],
    before: HomeRecord | undefined,
  ) => {
    const now = clock.now();
    const changed = before
      ? fieldNames.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(home[name]))
      : fieldNames;
    await db.transaction(async (tx) => {
      await workflows.homes.saveEdit(home, user.id, now, tx);
      await upsertOrganisation(tx, {
        id: home.id,
        kind: 'secure-home',
        name: home.name,
        laCode: null,
      });
      await recordAudit(tx, {
        actorType: 'user',
        actorId: user.id,
        action: before ? 'home.update' : 'home.create',
        subjectType: 'home',
        subjectId: home.id,
        organisationId: home.id,
        details: { changed },
        at: now,
      });
    });
    const current = before ? await staffOf(home.id) : [];
    for (const email of staff.filter((address) => !current.includes(address))) {
      await addUser(db, { email, role: 'home-staff', organisation: home.id, grantedBy: user.id });
    }
    for (const email of current.filter((address) => !staff.includes(address))) {
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ user_id: string }>(
          `DELETE FROM user_roles WHERE role = 'home-staff' AND organisation_id = $1
             AND user_id = (SELECT id FROM users WHERE email = $2) RETURNING user_id`,
          [home.id, email],
        );
        for (const row of rows) {
          await recordAudit(tx, {
            actorType: 'user',
            actorId: user.id,
            action: 'user.role.revoke',
            subjectType: 'user',
            subjectId: row.user_id,
            organisationId: home.id,
            details: { role: 'home-staff' },
            at: now,
          });
        }
      });
    }
  };

  return declareAccess(router, homesDirectoryAccess);
}
