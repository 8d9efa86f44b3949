import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { recordAudit } from '../auth/audit.js';
import { AppError } from '../errors/app-error.js';
import type { Database, Queryable } from '../store/database.js';
import type {
  CensusReturn,
  CensusReturnStore,
  CensusWorkerInput,
} from '../store/census-return-store.js';
import type { Actor } from '../submissions/actor.js';
import { collectionWindow, toCensusYear, toCollectionYear } from './census-year.js';
import { toCswwXml, type LaLevelVacancies } from './to-csww-xml.js';
import type { CensusRecord, ColumnKinds } from './to-census-record.js';
import {
  validateCensusFile,
  type CensusFileReport,
  type CensusForm,
} from './validate-census-file.js';
import { validateCensusReturn, type ReturnValidation } from './validate-census-return.js';
import { validateCswwXml } from './validate-csww-xml.js';
import { writeCensusErrorReport } from './write-census-error-report.js';

/** The census form as the return needs it: validation and its retention rule. */
export interface CensusReturnForm extends CensusForm {
  retainUntil: (answers: Record<string, unknown>, at: Date) => string;
}

/** What {@link CensusReturns} needs. */
export interface CensusReturnsOptions {
  db: Database;
  store: CensusReturnStore;
  formId: string;
  form: CensusReturnForm;
  kinds: ColumnKinds;
  clock: { now(): Date };
  /** Formwork's version, for the XML header. */
  release: string;
}

/** Which authority's return, and who is acting (for the audit trail). */
export interface CensusReturnKey {
  organisationId: string;
  laCode: string;
  year: number;
  actor: Actor;
}

/** What happened to an uploaded file. */
export type UploadOutcome =
  | { kind: 'stored'; report: CensusFileReport; added: number; replaced: number }
  | { kind: 'unreadable'; report: CensusFileReport }
  | { kind: 'errors'; report: CensusFileReport; uploadId: string };

/** The return with everything its page shows. */
export interface CensusReturnView {
  ret: CensusReturn | undefined;
  counts: { workers: number; leavers: number; agency: number; fromForm: number };
  validation: ReturnValidation;
}

// Pending uploads with errors are kept for a month at most.
const pendingUploadDays = 30;

/**
 * The census return's life: uploads, the form's records read in, whole-return validation,
 * sign-off and export. Every view and change is audited in the transaction that does it.
 */
export class CensusReturns {
  constructor(private readonly options: CensusReturnsOptions) {}

  private audit(
    q: Queryable,
    key: CensusReturnKey,
    action: string,
    subjectId: string,
    details = {},
  ) {
    return recordAudit(q, {
      actorType: key.actor.type,
      actorId: key.actor.id,
      action,
      subjectType: 'census-return',
      subjectId,
      organisationId: key.organisationId,
      details: { year: key.year, ...details },
    });
  }

  private retainUntil(record: CensusRecord = {}): string {
    return this.options.form.retainUntil(record, this.options.clock.now());
  }

  /** Opens (creating when needed) a return that may still change, within `tx`. */
  private async openForChange(tx: Queryable, key: CensusReturnKey): Promise<CensusReturn> {
    const ret = await this.options.store.open(tx, key.organisationId, key.year, this.retainUntil());
    if (ret.state === 'signed-off' || ret.state === 'exported')
      throw new AppError('ERR_CENSUS_RETURN_LOCKED', 'census return is signed off');
    return ret;
  }

  /**
   * Reads the census form's records entered one by one by the authority's people into the
   * return of the year being collected when they were sent, once each. A record with the SWENo
   * of one already in the return replaces it, as a re-upload does.
   */
  private async readFormRecords(tx: Queryable, key: CensusReturnKey, ret: CensusReturn) {
    if (ret.state !== 'open' && ret.state !== 'validated') return;
    if (key.year !== toCollectionYear(this.options.clock.now())) return;
    const unread = await this.options.store.unreadFormRecords(tx, {
      formId: this.options.formId,
      organisationId: key.organisationId,
      ...collectionWindow(key.year),
    });
    if (unread.length === 0) return;
    await this.options.store.putWorkers(
      tx,
      ret,
      unread.map((item) => ({ record: item.record, retainUntil: item.retainUntil })),
      'form',
    );
    await this.options.store.markFormRecordsRead(
      tx,
      ret.id,
      unread.map((item) => item.submissionId),
    );
    if (ret.state === 'validated') await this.options.store.setState(tx, ret.id, 'open');
    await this.audit(tx, key, 'census.return.form-records', ret.id, { records: unread.length });
  }

  /** The return, its counts and its validation, read (and audited) for its page. */
  async view(key: CensusReturnKey): Promise<CensusReturnView> {
    return this.options.db.transaction(async (tx) => {
      const { store } = this.options;
      let ret = await store.find(tx, key.organisationId, key.year);
      const collecting = key.year === toCollectionYear(this.options.clock.now());
      if (collecting && (ret === undefined || ret.state === 'open' || ret.state === 'validated')) {
        const opened = await store.open(tx, key.organisationId, key.year, this.retainUntil());
        await this.readFormRecords(tx, key, opened);
        ret = await store.find(tx, key.organisationId, key.year);
      }
      const counts = ret
        ? await store.counts(tx, ret.id)
        : { workers: 0, leavers: 0, agency: 0, fromForm: 0 };
      const validation = await this.validateIn(tx, key, ret);
      await this.audit(
        tx,
        key,
        'census.return.view',
        ret?.id ?? `${key.laCode}-${String(key.year)}`,
      );
      return { ret, counts, validation };
    });
  }

  private async validateIn(
    tx: Queryable,
    key: CensusReturnKey,
    ret: CensusReturn | undefined,
  ): Promise<ReturnValidation> {
    const { store } = this.options;
    const previous = await store.find(tx, key.organisationId, key.year - 1);
    return validateCensusReturn({
      form: this.options.form,
      year: toCensusYear(key.year),
      records: ret ? await store.workers(tx, ret.id) : [],
      previous: previous ? await store.workers(tx, previous.id) : undefined,
      vacancies: ret?.vacancies,
    });
  }

  /**
   * Validates an uploaded CSV as it streams from disk. A file without errors is stored (queries
   * do not stop it): each worker replaces the one with the same SWENo. A file with errors stores
   * no worker: it is kept, with its report, until the officer keeps its valid rows or uploads
   * again.
   */
  async upload(
    key: CensusReturnKey,
    file: { path: string; filename: string },
  ): Promise<UploadOutcome> {
    const year = toCensusYear(key.year);
    const check = { form: this.options.form, kinds: this.options.kinds, year };
    const report = await validateCensusFile(createReadStream(file.path), check);
    return this.options.db.transaction(async (tx) => {
      const ret = await this.openForChange(tx, key);
      const details = {
        rows: report.rows,
        errors: report.errorCount,
        queries: report.queryCount,
      };
      if (report.fileProblems.length > 0 || report.rows === 0) {
        await this.audit(tx, key, 'census.upload.refused', ret.id, details);
        return { kind: 'unreadable', report };
      }
      if (report.errorCount > 0) {
        const uploadId = await this.options.store.saveUpload(tx, {
          returnId: ret.id,
          organisationId: key.organisationId,
          userId: key.actor.type === 'user' ? key.actor.id : undefined,
          filename: file.filename,
          content: await readFile(file.path),
          report,
          retainUntil: addDays(this.options.clock.now(), pendingUploadDays),
        });
        await this.audit(tx, key, 'census.upload.held', ret.id, { ...details, uploadId });
        return { kind: 'errors', report, uploadId };
      }
      const stored = await this.storeRows(tx, ret, createReadStream(file.path), 'all');
      await this.audit(tx, key, 'census.upload.stored', ret.id, { ...details, ...stored });
      return { kind: 'stored', report, ...stored };
    });
  }

  /** Reads a file again and stores its rows (`valid`: only those without errors). */
  private async storeRows(
    tx: Queryable,
    ret: CensusReturn,
    input: Readable,
    which: 'all' | 'valid',
  ): Promise<{ added: number; replaced: number }> {
    let added = 0;
    let replaced = 0;
    let batch: CensusWorkerInput[] = [];
    const flush = async () => {
      const result = await this.options.store.putWorkers(tx, ret, batch, 'upload');
      added += result.added;
      replaced += result.replaced;
      batch = [];
    };
    await validateCensusFile(input, {
      form: this.options.form,
      kinds: this.options.kinds,
      year: toCensusYear(ret.year),
      onRow: async (row) => {
        if (which === 'valid' && row.issues.some((issue) => issue.severity === 'error')) return;
        batch.push({
          record: row.record,
          retainUntil: this.retainUntil(row.record),
        });
        if (batch.length >= 1000) await flush();
      },
    });
    await flush();
    if (ret.state === 'validated') await this.options.store.setState(tx, ret.id, 'open');
    return { added, replaced };
  }

  /** A pending upload's report (audited), or undefined. */
  async uploadReport(key: CensusReturnKey, uploadId: string) {
    return this.options.db.transaction(async (tx) => {
      const ret = await this.options.store.find(tx, key.organisationId, key.year);
      const upload = ret ? await this.options.store.findUpload(tx, ret.id, uploadId) : undefined;
      if (!ret || !upload) return undefined;
      await this.audit(tx, key, 'census.upload.report.view', ret.id, { uploadId });
      return { ...upload, report: upload.report as CensusFileReport };
    });
  }

  /** Streams the error report CSV of a pending upload (audited); false when there is none. */
  async writeErrorReport(key: CensusReturnKey, uploadId: string, out: Writable): Promise<boolean> {
    const upload = await this.options.db.transaction(async (tx) => {
      const ret = await this.options.store.find(tx, key.organisationId, key.year);
      const found = ret ? await this.options.store.findUpload(tx, ret.id, uploadId) : undefined;
      if (!ret || !found?.content) return undefined;
      await this.audit(tx, key, 'census.upload.error-report.download', ret.id, { uploadId });
      return found;
    });
    if (!upload?.content) return false;
    await writeCensusErrorReport(Readable.from([upload.content]), out, {
      form: this.options.form,
      kinds: this.options.kinds,
      year: toCensusYear(key.year),
    });
    return true;
  }

  /** Stores the rows of a pending upload that have no errors; the rest are left out. */
  async keepValidRows(key: CensusReturnKey, uploadId: string) {
    return this.options.db.transaction(async (tx) => {
      const ret = await this.openForChange(tx, key);
      const upload = await this.options.store.findUpload(tx, ret.id, uploadId);
      if (upload?.state !== 'pending' || !upload.content) return undefined;
      const stored = await this.storeRows(tx, ret, Readable.from([upload.content]), 'valid');
      await this.options.store.closeUpload(tx, upload.id, 'kept');
      await this.audit(tx, key, 'census.upload.kept', ret.id, { uploadId, ...stored });
      return stored;
    });
  }

  /** Records the authority-level items. */
  async setVacancies(key: CensusReturnKey, vacancies: LaLevelVacancies): Promise<void> {
    await this.options.db.transaction(async (tx) => {
      const ret = await this.openForChange(tx, key);
      await this.options.store.setVacancies(tx, ret.id, vacancies);
      await this.audit(tx, key, 'census.return.vacancies', ret.id);
    });
  }

  /**
   * Marks the return validated when it has no errors and every rule with queries has an
   * explanation; otherwise returns what is missing and changes nothing.
   */
  async markValidated(
    key: CensusReturnKey,
    explanations: Record<string, string>,
  ): Promise<{ validation: ReturnValidation; missing: string[] }> {
    return this.options.db.transaction(async (tx) => {
      const ret = await this.openForChange(tx, key);
      const validation = await this.validateIn(tx, key, ret);
      const kept: Record<string, string> = {};
      const missing: string[] = [];
      for (const rule of validation.queryRules) {
        const text = (explanations[rule.id] ?? '').trim();
        if (text === '') missing.push(rule.id);
        else kept[rule.id] = text.slice(0, 2000);
      }
      if (validation.errorCount > 0 || missing.length > 0) return { validation, missing };
      await this.options.store.setState(tx, ret.id, 'validated', { queryExplanations: kept });
      await this.audit(tx, key, 'census.return.validated', ret.id, {
        queries: validation.queryCount,
      });
      return { validation, missing };
    });
  }

  /** Signs off a validated return in a named person's name. */
  async signOff(key: CensusReturnKey, name: string): Promise<void> {
    await this.options.db.transaction(async (tx) => {
      const ret = await this.openForChange(tx, key);
      if (ret.state !== 'validated' || key.actor.type !== 'user')
        throw new AppError('ERR_CENSUS_RETURN_STATE', 'sign-off of a return not validated');
      const validation = await this.validateIn(tx, key, ret);
      if (validation.errorCount > 0)
        throw new AppError('ERR_CENSUS_RETURN_STATE', 'sign-off of a return with errors');
      await this.options.store.setState(tx, ret.id, 'signed-off', {
        signedOff: { userId: key.actor.id, name },
      });
      await this.audit(tx, key, 'census.return.sign-off', ret.id);
    });
  }

  /** Takes a signed-off return back to open, so it can change. */
  async reopen(key: CensusReturnKey): Promise<void> {
    await this.options.db.transaction(async (tx) => {
      const ret = await this.options.store.find(tx, key.organisationId, key.year);
      if (!ret) throw new AppError('ERR_CENSUS_RETURN_STATE', 'reopen of no return');
      await this.options.store.setState(tx, ret.id, 'open');
      await this.audit(tx, key, 'census.return.reopen', ret.id);
    });
  }

  /**
   * The CSWW XML of a signed-off return, validated against the XSD before it is given out, and
   * audited. The return is then `exported`; each export has the next serial number.
   */
  async export(key: CensusReturnKey): Promise<{ xml: string; filename: string }> {
    return this.options.db.transaction(async (tx) => {
      const { store } = this.options;
      const ret = await store.find(tx, key.organisationId, key.year);
      if (!ret || (ret.state !== 'signed-off' && ret.state !== 'exported') || !ret.vacancies)
        throw new AppError('ERR_CENSUS_RETURN_STATE', 'export of a return not signed off', {
          userMessage: 'The return must be signed off before it can be exported.',
        });
      const serialNo = ret.exportCount + 1;
      const xml = toCswwXml({
        laCode: key.laCode,
        year: toCensusYear(key.year),
        vacancies: ret.vacancies,
        workers: await store.workers(tx, ret.id),
        release: this.options.release,
        serialNo,
        generatedAt: this.options.clock.now(),
      });
      const verdict = await validateCswwXml(xml);
      if (!verdict.valid)
        throw new AppError('ERR_CENSUS_EXPORT_INVALID', 'census XML failed the XSD', {
          details: { errors: verdict.errors.length },
        });
      await store.setState(tx, ret.id, 'exported', { exported: true });
      await this.audit(tx, key, 'census.return.export', ret.id, { serialNo });
      return { xml, filename: `csww-${key.laCode}-${String(key.year)}-${String(serialNo)}.xml` };
    });
  }
}

function addDays(date: Date, days: number): string {
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
