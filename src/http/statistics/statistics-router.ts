import { Router, type Request, type Response } from 'express';
import type { CensusRecordSource } from '../../census/census-record-source.js';
import { toCensusYear } from '../../census/census-year.js';
import { toStatisticsCsv } from '../../census/to-statistics-csv.js';
import {
  nationalName,
  toWorkforceStatistics,
  type StatisticsTable,
  type WorkforceStatistics,
} from '../../census/workforce-tables.js';
import { AppError } from '../../errors/app-error.js';
import type { Queryable } from '../../store/database.js';
import type { PageRenderer } from '../page-renderer.js';
import { loadStatisticsAccess, mayReadAuthority } from './statistics-access.js';
import { toTableView, type StatisticsTableView } from './to-table-view.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** Who may use each route (checked by the route × role test): analysts see every figure; an
 * authority's HR officers and data protection officer see their own authority's. */
export const statisticsAccessTable: readonly RouteAccess[] = [
  { method: 'GET', path: '/statistics', allow: ['analyst', 'hr-officer', 'authority-dpo'] },
  { method: 'GET', path: '/statistics/:year', allow: ['analyst'] },
  { method: 'GET', path: '/statistics/:year/tables/:file', allow: ['analyst'] },
  {
    method: 'GET',
    path: '/statistics/:year/authorities/:laCode',
    allow: ['analyst', 'authority-hr-officer', 'authority-dpo'],
  },
  {
    method: 'GET',
    path: '/statistics/:year/authorities/:laCode/tables/:file',
    allow: ['analyst', 'authority-hr-officer', 'authority-dpo'],
  },
];

/** What the statistics pages need. */
export interface StatisticsRouterOptions {
  /** Where counted census returns are read from; the statistics never write. */
  source: CensusRecordSource;
  /** For the LA code of an HR officer's or data protection officer's authority. */
  db: Queryable;
  pages: PageRenderer;
  /** How long a year's tables are kept before they are worked out again (default 60 s). */
  cacheMs?: number;
  now?: () => number;
}

const yearPattern = /^\d{4}$/;
const laCodePattern = /^\d{3}$/;
const csvPattern = /^([a-z-]{1,40})\.csv$/;

const notFound = () => new AppError('ERR_HTTP_NOT_FOUND', 'no such statistics page');

/**
 * The workforce statistics (`/statistics`): the national figures of a census year for
 * analysts, and one authority's figures for analysts and that authority's HR officers and data
 * protection officers. Every table is published suppressed, with its chart and CSV file.
 */
export function createStatisticsRouter(options: StatisticsRouterOptions): Router {
  const router = Router();
  const cacheMs = options.cacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  // Suppression needs every authority's return, even for one authority's page.
  const cache = new Map<number, { at: number; statistics: Promise<YearTables> }>();

  const statisticsOf = (year: number): Promise<YearTables> => {
    const known = cache.get(year);
    if (known && now() - known.at < cacheMs) return known.statistics;
    const statistics = options.source
      .loadReturns(year)
      .then((returns) => toYearTables(toWorkforceStatistics(returns, toCensusYear(year))));
    cache.set(year, { at: now(), statistics });
    statistics.catch(() => cache.delete(year));
    return statistics;
  };

  /** A year's tables with their views, each built once per year and kept with the tables. */
  interface YearTables extends WorkforceStatistics {
    nationalViews: StatisticsTableView[];
    authorityViews: Map<string, StatisticsTableView[]>;
  }
  const toYearTables = (statistics: WorkforceStatistics): YearTables => {
    const base = `/statistics/${String(statistics.year.year)}`;
    const viewsOf = (tables: readonly StatisticsTable[], at: string) =>
      tables.map((table) =>
        toTableView(table, `${at}/tables/${table.id}.csv`, options.pages.component),
      );
    return {
      ...statistics,
      nationalViews: viewsOf([...statistics.national, statistics.byAuthority], base),
      authorityViews: new Map(),
    };
  };
  const authorityViewsOf = (statistics: YearTables, laCode: string, tables: StatisticsTable[]) => {
    let views = statistics.authorityViews.get(laCode);
    if (!views) {
      const at = `/statistics/${String(statistics.year.year)}/authorities/${laCode}`;
      views = tables.map((table) =>
        toTableView(table, `${at}/tables/${table.id}.csv`, options.pages.component),
      );
      statistics.authorityViews.set(laCode, views);
    }
    return views;
  };

  const accessOf = async (req: Request) => {
    const user = req.session?.user;
    if (!user) throw new AppError('ERR_AUTH_REQUIRED', 'sign-in needed');
    const access = await loadStatisticsAccess(options.db, user);
    if (!access.national && access.laCodes.size === 0)
      throw new AppError('ERR_AUTH_FORBIDDEN', 'no statistics role');
    return access;
  };

  /** The year in the path, when it has counted returns. */
  const yearOf = async (req: Request): Promise<number> => {
    const text = String(req.params.year ?? '');
    if (!yearPattern.test(text)) throw notFound();
    const year = Number(text);
    if (!(await options.source.listYears()).includes(year)) throw notFound();
    return year;
  };

  const laCodeOf = (req: Request): string => {
    const laCode = String(req.params.laCode ?? '');
    if (!laCodePattern.test(laCode)) throw notFound();
    return laCode;
  };

  const sendCsv = (res: Response, table: StatisticsTable | undefined, name: string) => {
    if (!table) throw notFound();
    res
      .type('text/csv; charset=utf-8')
      .attachment(`${name}-${table.id}.csv`)
      .send(toStatisticsCsv(table));
  };

  router.get('/statistics', async (req, res) => {
    const access = await accessOf(req);
    const years = await options.source.listYears();
    const links = await Promise.all(
      years.map(async (year) => {
        const authorities = access.national
          ? []
          : (await options.source.listAuthorities(year)).filter((a) =>
              access.laCodes.has(a.laCode),
            );
        return {
          year,
          links: access.national
            ? [{ href: `/statistics/${String(year)}`, text: `National figures, ${String(year)}` }]
            : authorities.map((a) => ({
                href: `/statistics/${String(year)}/authorities/${a.laCode}`,
                text: `${a.name}, ${String(year)}`,
              })),
        };
      }),
    );
    options.pages.render(req, res, 'statistics/index', {
      title: 'Workforce statistics',
      years: links.filter((entry) => entry.links.length > 0),
    });
  });

  router.get('/statistics/:year', async (req, res) => {
    const access = await accessOf(req);
    if (!access.national) throw new AppError('ERR_AUTH_FORBIDDEN', 'national figures: analysts');
    const year = await yearOf(req);
    const statistics = await statisticsOf(year);
    const base = `/statistics/${String(year)}`;
    options.pages.render(req, res, 'statistics/area', {
      title: `Children’s social work workforce, ${nationalName.toLowerCase()}, year to 30 September ${String(year)}`,
      heading: 'Children’s social work workforce',
      caption: `${nationalName}, year to 30 September ${String(year)}`,
      backLink: '/statistics',
      returns: statistics.authorities.length,
      tables: statistics.nationalViews,
      authorities: statistics.authorities.map((a) => ({
        href: `${base}/authorities/${a.laCode}`,
        text: a.name,
      })),
    });
  });

  router.get('/statistics/:year/tables/:file', async (req, res) => {
    const access = await accessOf(req);
    if (!access.national) throw new AppError('ERR_AUTH_FORBIDDEN', 'national figures: analysts');
    const year = await yearOf(req);
    const id = csvPattern.exec(req.params.file)?.[1];
    const statistics = await statisticsOf(year);
    const table = [...statistics.national, statistics.byAuthority].find((t) => t.id === id);
    sendCsv(res, table, `workforce-${String(year)}-national`);
  });

  /** The tables of the authority in the path, when its holder may see them. */
  const authorityTables = async (req: Request) => {
    const access = await accessOf(req);
    const laCode = laCodeOf(req);
    if (!mayReadAuthority(access, laCode))
      throw new AppError('ERR_AUTH_FORBIDDEN', "another authority's statistics");
    const year = await yearOf(req);
    const statistics = await statisticsOf(year);
    const tables = statistics.authority.get(laCode);
    if (!tables) throw notFound();
    const name = statistics.authorities.find((a) => a.laCode === laCode)?.name ?? laCode;
    return { access, year, laCode, name, tables, statistics };
  };

  router.get('/statistics/:year/authorities/:laCode', async (req, res) => {
    const { access, year, laCode, name, tables, statistics } = await authorityTables(req);
    options.pages.render(req, res, 'statistics/area', {
      title: `Children’s social work workforce, ${name}, year to 30 September ${String(year)}`,
      heading: 'Children’s social work workforce',
      caption: `${name}, year to 30 September ${String(year)}`,
      backLink: access.national ? `/statistics/${String(year)}` : '/statistics',
      tables: authorityViewsOf(statistics, laCode, tables),
      authorities: [],
    });
  });

  router.get('/statistics/:year/authorities/:laCode/tables/:file', async (req, res) => {
    const { year, laCode, tables } = await authorityTables(req);
    const id = csvPattern.exec(req.params.file)?.[1];
    sendCsv(
      res,
      tables.find((t) => t.id === id),
      `workforce-${String(year)}-${laCode}`,
    );
  });

  return declareAccess(router, statisticsAccessTable);
}
