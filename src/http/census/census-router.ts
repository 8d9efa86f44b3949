import { open } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { findOrganisation } from '../../auth/people.js';
import { toCollectionYear } from '../../census/census-year.js';
import type { CensusReturnKey, CensusReturns } from '../../census/census-returns.js';
import { AppError } from '../../errors/app-error.js';
import { firstValue } from '../../forms/form-body.js';
import type { Database } from '../../store/database.js';
import type { PageRenderer } from '../page-renderer.js';
import { paramOf } from '../workflow-pages/workflow-page-texts.js';
import {
  canSeeCensus,
  censusAccess,
  requireChange,
  requireUser,
  type CensusAccess,
} from './census-access.js';
import { censusUploadBytes } from './census-upload-limit.js';
import { toQueryRules, toReportCounts, toReturnIssueRows, toReturnSummary } from './census-view.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** Who may use each route (checked by the route × role test): the authority's HR officers change
 * its return, its data protection officer reads it. */
export const censusAccessTable: readonly RouteAccess[] = [
  { method: 'GET', path: '/census', allow: ['hr-officer', 'authority-dpo'] },
  {
    method: 'GET',
    path: '/census/:laCode/:year',
    allow: ['authority-hr-officer', 'authority-dpo'],
  },
  { method: 'POST', path: '/census/:laCode/:year/upload', allow: ['authority-hr-officer'] },
  {
    method: 'GET',
    path: '/census/:laCode/:year/uploads/:uploadId',
    allow: ['authority-hr-officer', 'authority-dpo'],
  },
  {
    method: 'GET',
    path: '/census/:laCode/:year/uploads/:uploadId/errors.csv',
    allow: ['authority-hr-officer', 'authority-dpo'],
  },
  {
    method: 'POST',
    path: '/census/:laCode/:year/uploads/:uploadId/keep',
    allow: ['authority-hr-officer'],
  },
  { method: 'POST', path: '/census/:laCode/:year/vacancies', allow: ['authority-hr-officer'] },
  { method: 'POST', path: '/census/:laCode/:year/validate', allow: ['authority-hr-officer'] },
  { method: 'POST', path: '/census/:laCode/:year/sign-off', allow: ['authority-hr-officer'] },
  { method: 'POST', path: '/census/:laCode/:year/reopen', allow: ['authority-hr-officer'] },
  { method: 'POST', path: '/census/:laCode/:year/export', allow: ['authority-hr-officer'] },
];

/** What the census pages need. */
export interface CensusRouterOptions {
  db: Database;
  returns: CensusReturns;
  pages: PageRenderer;
  clock: { now(): Date };
}

interface PageError {
  text: string;
  href: string;
}

const doneMessages: Record<string, string> = {
  uploaded: 'The file had no errors. Its workers are saved in the return.',
  kept: 'The valid rows are saved in the return. The rows with errors were left out.',
  vacancies: 'The authority-level items are saved.',
  validated: 'The return is validated. It can now be signed off.',
  'signed-off': 'The return is signed off. It can now be exported.',
  reopened: 'The return is open again.',
};

const vacancyFields = [
  { name: 'numberOfVacancies', label: 'Vacant posts (FTE)', kind: 'decimal' },
  { name: 'agencyFte', label: 'Agency workers (FTE)', kind: 'decimal' },
  { name: 'agencyHeadcount', label: 'Agency workers (headcount)', kind: 'integer' },
] as const;

/**
 * The HR officer's census pages: the authority's return for a census year, CSV upload and its
 * report, the authority-level items, validation, sign-off and export. Only the authority's HR
 * officers (who change) and its data protection officer (who reads) can open them.
 */
export function createCensusRouter(options: CensusRouterOptions): Router {
  const { db, returns, pages, clock } = options;
  const router = Router();
  const latestYear = () => toCollectionYear(clock.now()) + 1;
  const base = (access: CensusAccess) =>
    `/census/${access.authority.laCode}/${String(access.year)}`;
  const keyOf = (access: CensusAccess): CensusReturnKey => ({
    organisationId: access.authority.id,
    laCode: access.authority.laCode,
    year: access.year,
    actor: { type: 'user', id: access.user.id, organisationId: access.user.organisationId },
  });
  const field = (req: Request, name: string) =>
    (firstValue(req.formBody ?? new Map(), name) ?? '').trim();

  router.get('/census', async (req, res) => {
    const user = requireUser(req);
    const ids = [...new Set((user.roles ?? []).map((grant) => grant.organisationId))].filter((id) =>
      canSeeCensus(user, id),
    );
    // a data protection officer of the unit or of DfE holds the role, but no authority's return
    const found = (await Promise.all(ids.map((id) => findOrganisation(db, id)))).filter(
      (organisation) => organisation?.kind === 'local-authority' && organisation.laCode,
    );
    if (found.length === 0)
      throw new AppError('ERR_AUTH_FORBIDDEN', 'census index without a census role', {
        userMessage:
          'Only a local authority’s HR officers and data protection officer can see its census return.',
      });
    const year = toCollectionYear(clock.now());
    const authorities = [];
    for (const organisation of found) {
      if (!organisation?.laCode) continue;
      const { rows } = await db.query<{ year: number | string }>(
        'SELECT year FROM census_returns WHERE organisation_id = $1 AND year < $2 ORDER BY year DESC',
        [organisation.id, year],
      );
      const laCode = organisation.laCode;
      authorities.push({
        name: organisation.name,
        href: `/census/${laCode}/${String(year)}`,
        earlier: rows.map((row) => ({
          text: `${String(row.year)} return`,
          href: `/census/${laCode}/${String(row.year)}`,
        })),
      });
    }
    pages.render(req, res, 'census/index', {
      title: 'Workforce census returns',
      year,
      authorities,
    });
  });

  const renderReturn = async (
    req: Request,
    res: Response,
    access: CensusAccess,
    state: { errors?: PageError[]; sent?: Record<string, string> } = {},
  ) => {
    const view = await returns.view(keyOf(access));
    const ret = view.ret;
    const status = ret?.state ?? 'open';
    const vacancies = ret?.vacancies;
    const sent = state.sent ?? {};
    const errorFor = (href: string) => state.errors?.find((error) => error.href === href);
    pages.render(req, res, 'census/return', {
      title: `Workforce census return ${String(access.year)}: ${access.authority.name}`,
      authorityName: access.authority.name,
      year: access.year,
      base: base(access),
      done: typeof req.query.done === 'string' ? doneMessages[req.query.done] : undefined,
      errors: state.errors ?? [],
      canChange: access.canChange && (status === 'open' || status === 'validated'),
      canReopen: access.canChange && (status === 'signed-off' || status === 'exported'),
      canSignOff: access.canChange && status === 'validated',
      canExport: access.canChange && (status === 'signed-off' || status === 'exported'),
      status,
      summary: toReturnSummary(view),
      maxMegabytes: censusUploadBytes / (1024 * 1024),
      fileError: errorFor('#census-file'),
      vacancyInputs: vacancyFields.map((item) => ({
        ...item,
        value:
          sent[item.name] ??
          (vacancies
            ? String(
                item.name === 'numberOfVacancies'
                  ? vacancies.numberOfVacancies
                  : item.name === 'agencyFte'
                    ? vacancies.agencyFte
                    : vacancies.agencyHeadcount,
              )
            : ''),
        error: errorFor(`#${item.name}`),
      })),
      validation: {
        errorCount: view.validation.errorCount,
        queryCount: view.validation.queryCount,
        errors: toReturnIssueRows(view.validation.errors),
        queries: toReturnIssueRows(view.validation.queries),
      },
      queryRules: toQueryRules(view, sent).map((rule) => ({
        ...rule,
        error: errorFor(`#${rule.name}`),
      })),
      signOffName: sent.signOffName ?? '',
      signOffNameError: errorFor('#signOffName'),
      signOffConfirmError: errorFor('#signOffConfirm'),
    });
  };

  router.get('/census/:laCode/:year', async (req, res) => {
    await renderReturn(req, res, await censusAccess(db, req, latestYear()));
  });

  router.post('/census/:laCode/:year/upload', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    const file = (req.uploads ?? []).find((upload) => upload.field === 'censusFile');
    const problem = file
      ? file.tooLarge
        ? `The selected file must be smaller than ${String(censusUploadBytes / (1024 * 1024))} MB`
        : file.sizeBytes === 0
          ? 'The selected file is empty'
          : await notCsv(file.path)
      : 'Select a CSV file of the return’s workers';
    if (problem || !file) {
      res.status(422);
      await renderReturn(req, res, access, {
        errors: [{ text: problem ?? 'Select a CSV file', href: '#census-file' }],
      });
      return;
    }
    const outcome = await returns.upload(keyOf(access), file);
    if (outcome.kind === 'unreadable') {
      res.status(422);
      const problems = outcome.report.fileProblems.map((item) => item.message);
      await renderReturn(req, res, access, {
        errors: (problems.length > 0 ? problems : ['The file has no rows of workers']).map(
          (text) => ({ text, href: '#census-file' }),
        ),
      });
      return;
    }
    if (outcome.kind === 'errors') {
      res.redirect(303, `${base(access)}/uploads/${outcome.uploadId}`);
      return;
    }
    res.redirect(303, `${base(access)}?done=uploaded`);
  });

  router.get('/census/:laCode/:year/uploads/:uploadId', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    const upload = await returns.uploadReport(keyOf(access), paramOf(req, 'uploadId'));
    if (!upload) throw new AppError('ERR_HTTP_NOT_FOUND', 'no such census upload');
    pages.render(req, res, 'census/report', {
      title: `The file has errors: ${String(access.year)} census return`,
      authorityName: access.authority.name,
      year: access.year,
      base: base(access),
      uploadPath: `${base(access)}/uploads/${upload.id}`,
      pending: upload.state === 'pending',
      kept: upload.state === 'kept',
      canChange: access.canChange,
      ...toReportCounts(upload.report),
      backLink: base(access),
    });
  });

  router.get('/census/:laCode/:year/uploads/:uploadId/errors.csv', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    const key = keyOf(access);
    const uploadId = paramOf(req, 'uploadId');
    if (!(await returns.uploadReport(key, uploadId)))
      throw new AppError('ERR_HTTP_NOT_FOUND', 'no such census upload');
    res.type('text/csv; charset=utf-8');
    res.attachment(`census-${access.authority.laCode}-${String(access.year)}-errors.csv`);
    const found = await returns.writeErrorReport(key, uploadId, res);
    if (!found && !res.headersSent) throw new AppError('ERR_HTTP_NOT_FOUND', 'upload file gone');
    if (!found) res.end();
  });

  router.post('/census/:laCode/:year/uploads/:uploadId/keep', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    const kept = await returns.keepValidRows(keyOf(access), paramOf(req, 'uploadId'));
    if (!kept) throw new AppError('ERR_HTTP_NOT_FOUND', 'no pending census upload');
    res.redirect(303, `${base(access)}?done=kept`);
  });

  router.post('/census/:laCode/:year/vacancies', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    const sent: Record<string, string> = {};
    const errors: PageError[] = [];
    const values: Record<string, number> = {};
    for (const item of vacancyFields) {
      const raw = field(req, item.name).slice(0, 20);
      sent[item.name] = raw;
      const pattern = item.kind === 'integer' ? /^\d{1,6}$/ : /^\d{1,6}(?:\.\d{1,2})?$/;
      if (raw === '')
        errors.push({ text: `Enter ${item.label.toLowerCase()}`, href: `#${item.name}` });
      else if (!pattern.test(raw))
        errors.push({
          text:
            item.kind === 'integer'
              ? `${item.label} must be a whole number, like 4`
              : `${item.label} must be a number with up to 2 decimal places, like 3.5`,
          href: `#${item.name}`,
        });
      else values[item.name] = Number(raw);
    }
    if (errors.length > 0) {
      res.status(422);
      await renderReturn(req, res, access, { errors, sent });
      return;
    }
    await returns.setVacancies(keyOf(access), {
      numberOfVacancies: values.numberOfVacancies ?? 0,
      agencyFte: values.agencyFte ?? 0,
      agencyHeadcount: values.agencyHeadcount ?? 0,
    });
    res.redirect(303, `${base(access)}?done=vacancies`);
  });

  router.post('/census/:laCode/:year/validate', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    const sent: Record<string, string> = {};
    for (const [name, values] of req.formBody ?? new Map<string, string[]>()) {
      const id = /^explanation-(CSWW-[A-Z]\d{2})$/.exec(name)?.[1];
      if (id) sent[id] = (values[0] ?? '').slice(0, 2000);
    }
    const result = await returns.markValidated(keyOf(access), sent);
    if (result.validation.errorCount > 0 || result.missing.length > 0) {
      res.status(422);
      const errors: PageError[] = [];
      if (result.validation.errorCount > 0)
        errors.push({
          text: `The return has ${String(result.validation.errorCount)} ${result.validation.errorCount === 1 ? 'error' : 'errors'}: fix them, then validate again`,
          href: '#return-errors',
        });
      for (const id of result.missing)
        errors.push({ text: `Explain the queries of rule ${id}`, href: `#explanation-${id}` });
      await renderReturn(req, res, access, { errors, sent });
      return;
    }
    res.redirect(303, `${base(access)}?done=validated`);
  });

  router.post('/census/:laCode/:year/sign-off', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    const name = field(req, 'signOffName').slice(0, 200);
    const errors: PageError[] = [];
    if (name === '') errors.push({ text: 'Enter your full name', href: '#signOffName' });
    if (field(req, 'signOffConfirm') !== 'yes')
      errors.push({
        text: 'Confirm that the return is complete and correct',
        href: '#signOffConfirm',
      });
    if (errors.length > 0) {
      res.status(422);
      await renderReturn(req, res, access, { errors, sent: { signOffName: name } });
      return;
    }
    await returns.signOff(keyOf(access), name);
    res.redirect(303, `${base(access)}?done=signed-off`);
  });

  router.post('/census/:laCode/:year/reopen', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    await returns.reopen(keyOf(access));
    res.redirect(303, `${base(access)}?done=reopened`);
  });

  router.post('/census/:laCode/:year/export', async (req, res) => {
    const access = await censusAccess(db, req, latestYear());
    requireChange(access);
    const { xml, filename } = await returns.export(keyOf(access));
    // a download, never a file in a web-served folder
    res.type('application/xml; charset=utf-8');
    res.attachment(filename);
    res.send(xml);
  });

  return declareAccess(router, censusAccessTable);
}

/** Why a file is not a CSV, judged by its first bytes, or undefined when it may be one. */
async function notCsv(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b)
      return 'The selected file is a spreadsheet workbook: save it as CSV UTF-8 (comma delimited) and upload that';
    if (head.includes(0)) return 'The selected file must be a CSV file';
    return undefined;
  } finally {
    await handle.close();
  }
}
