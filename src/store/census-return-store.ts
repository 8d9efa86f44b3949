import { randomUUID } from 'node:crypto';
import type { CensusRecord } from '../census/to-census-record.js';
import type { LaLevelVacancies } from '../census/to-csww-xml.js';
import type { Queryable } from './database.js';
import { toDateString } from './to-date-string.js';

/** Where a return is: open → validated → signed off → exported. */
export type CensusReturnState = 'open' | 'validated' | 'signed-off' | 'exported';

/** A census return as stored. */
export interface CensusReturn {
  id: string;
  organisationId: string;
  year: number;
  state: CensusReturnState;
  vacancies: LaLevelVacancies | undefined;
  queryExplanations: Record<string, string>;
  signedOff: { userId: string; name: string; at: Date } | undefined;
  exportedAt: Date | undefined;
  exportCount: number;
  updatedAt: Date;
}

/** A worker record to store, with its retention date. */
export interface CensusWorkerInput {
  record: CensusRecord;
  retainUntil: string;
}

/** An uploaded file kept while its errors are shown. */
export interface CensusUpload {
  id: string;
  returnId: string;
  filename: string;
  content: Buffer | undefined;
  report: unknown;
  state: 'pending' | 'kept' | 'replaced';
  createdAt: Date;
}

interface ReturnRow {
  id: string;
  organisation_id: string;
  year: number | string;
  state: CensusReturnState;
  number_of_vacancies: string | number | null;
  agency_fte: string | number | null;
  agency_headcount: number | string | null;
  query_explanations: Record<string, string> | string;
  signed_off_by: string | null;
  signed_off_name: string | null;
  signed_off_at: Date | string | null;
  exported_at: Date | string | null;
  export_count: number | string;
  updated_at: Date | string;
}

const returnColumns = `id, organisation_id, year, state, number_of_vacancies, agency_fte,
  agency_headcount, query_explanations, signed_off_by, signed_off_name, signed_off_at,
  exported_at, export_count, updated_at`;

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const json = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;

function toReturn(row: ReturnRow): CensusReturn {
  const vacancies =
    row.number_of_vacancies === null || row.agency_fte === null || row.agency_headcount === null
      ? undefined
      : {
          numberOfVacancies: Number(row.number_of_vacancies),
          agencyFte: Number(row.agency_fte),
          agencyHeadcount: Number(row.agency_headcount),
        };
  return {
    id: row.id,
    organisationId: row.organisation_id,
    year: Number(row.year),
    state: row.state,
    vacancies,
    queryExplanations: json(row.query_explanations),
    signedOff:
      row.signed_off_by && row.signed_off_name && row.signed_off_at
        ? {
            userId: row.signed_off_by,
            name: row.signed_off_name,
            at: toDate(row.signed_off_at),
          }
        : undefined,
    exportedAt: row.exported_at === null ? undefined : toDate(row.exported_at),
    exportCount: Number(row.export_count),
    updatedAt: toDate(row.updated_at),
  };
}

// Rows per INSERT: one statement's parameters stay small, and 10,000 workers are 10 round trips.
const batchSize = 1000;

/**
 * PostgreSQL access for census returns, their worker records and pending uploads. Every method
 * takes the transaction (or database) to run in, so the caller audits in the same transaction.
 */
export class CensusReturnStore {
  /** The return of an authority for a year, if it was ever opened. */
  async find(
    q: Queryable,
    organisationId: string,
    year: number,
  ): Promise<CensusReturn | undefined> {
    const { rows } = await q.query<ReturnRow>(
      `SELECT ${returnColumns} FROM census_returns WHERE organisation_id = $1 AND year = $2`,
      [organisationId, year],
    );
    return rows[0] ? toReturn(rows[0]) : undefined;
  }

  /** The return, created open when it does not exist yet, and locked for this transaction. */
  async open(
    q: Queryable,
    organisationId: string,
    year: number,
    retainUntil: string,
  ): Promise<CensusReturn> {
    await q.query(
      `INSERT INTO census_returns (id, organisation_id, year, retain_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organisation_id, year) DO NOTHING`,
      [randomUUID(), organisationId, year, retainUntil],
    );
    const { rows } = await q.query<ReturnRow>(
      `SELECT ${returnColumns} FROM census_returns WHERE organisation_id = $1 AND year = $2
       FOR UPDATE`,
      [organisationId, year],
    );
    if (!rows[0]) throw new Error('census return vanished after insert');
    return toReturn(rows[0]);
  }

  /** Every worker record of a return, by SWENo. */
  async workers(q: Queryable, returnId: string): Promise<CensusRecord[]> {
    const { rows } = await q.query<{ record: CensusRecord | string }>(
      'SELECT record FROM census_workers WHERE return_id = $1 ORDER BY swe_no',
      [returnId],
    );
    return rows.map((row) => json(row.record));
  }

  /** Workers, leavers and agency workers in a return. */
  async counts(
    q: Queryable,
    returnId: string,
  ): Promise<{ workers: number; leavers: number; agency: number; fromForm: number }> {
    const { rows } = await q.query<Record<string, string | number>>(
      `SELECT count(*) AS workers,
         count(*) FILTER (WHERE record ? 'RoleEndDate') AS leavers,
         count(*) FILTER (WHERE record->>'AgencyWorker' = '1') AS agency,
         count(*) FILTER (WHERE source = 'form') AS from_form
       FROM census_workers WHERE return_id = $1`,
      [returnId],
    );
    const row = rows[0] ?? {};
    return {
      workers: Number(row.workers ?? 0),
      leavers: Number(row.leavers ?? 0),
      agency: Number(row.agency ?? 0),
      fromForm: Number(row.from_form ?? 0),
    };
  }

  /**
   * Stores worker records, replacing any with the same SWENo in the return (a re-upload updates,
   * never duplicates). Returns how many were added and how many replaced.
   */
  async putWorkers(
    q: Queryable,
    ret: Pick<CensusReturn, 'id' | 'organisationId'>,
    workers: readonly CensusWorkerInput[],
    source: 'upload' | 'form',
  ): Promise<{ added: number; replaced: number }> {
    let added = 0;
    let replaced = 0;
    for (let start = 0; start < workers.length; start += batchSize) {
      const batch = workers.slice(start, start + batchSize).map((worker) => ({
        swe_no: String(worker.record.SWENo),
        record: worker.record,
        retain_until: worker.retainUntil,
      }));
      const { rows } = await q.query<{ inserted: boolean }>(
        `INSERT INTO census_workers (return_id, swe_no, record, source, organisation_id, retain_until)
         SELECT $1, w.swe_no, w.record, $2, $3, w.retain_until
           FROM jsonb_to_recordset($4::jsonb) AS w(swe_no text, record jsonb, retain_until date)
         ON CONFLICT (return_id, swe_no) DO UPDATE SET record = EXCLUDED.record,
           source = EXCLUDED.source, retain_until = EXCLUDED.retain_until, updated_at = now()
         RETURNING (xmax = 0) AS inserted`,
        [ret.id, source, ret.organisationId, JSON.stringify(batch)],
      );
      for (const row of rows) {
        if (row.inserted) added += 1;
        else replaced += 1;
      }
    }
    return { added, replaced };
  }

  /** Moves a return to `state`, keeping what the state needs. */
  async setState(
    q: Queryable,
    returnId: string,
    state: CensusReturnState,
    extra: {
      queryExplanations?: Record<string, string>;
      signedOff?: { userId: string; name: string };
      exported?: boolean;
    } = {},
  ): Promise<void> {
    await q.query(
      `UPDATE census_returns SET state = $2, updated_at = now(),
         query_explanations = COALESCE($3::jsonb, query_explanations),
         validated_at = CASE WHEN $2 = 'validated' THEN now()
           WHEN $2 = 'open' THEN NULL ELSE validated_at END,
         signed_off_by = CASE WHEN $2 IN ('open', 'validated') THEN NULL
           ELSE COALESCE($4::uuid, signed_off_by) END,
         signed_off_name = CASE WHEN $2 IN ('open', 'validated') THEN NULL
           ELSE COALESCE($5, signed_off_name) END,
         signed_off_at = CASE WHEN $2 IN ('open', 'validated') THEN NULL
           WHEN $4::uuid IS NOT NULL THEN now() ELSE signed_off_at END,
         exported_at = CASE WHEN $6 THEN now() ELSE exported_at END,
         export_count = export_count + CASE WHEN $6 THEN 1 ELSE 0 END
       WHERE id = $1`,
      [
        returnId,
        state,
        extra.queryExplanations ? JSON.stringify(extra.queryExplanations) : null,
        extra.signedOff?.userId ?? null,
        extra.signedOff?.name ?? null,
        extra.exported ?? false,
      ],
    );
  }

  /** Records the authority-level items; the return goes back to open. */
  async setVacancies(q: Queryable, returnId: string, vacancies: LaLevelVacancies): Promise<void> {
    await q.query(
      `UPDATE census_returns SET number_of_vacancies = $2, agency_fte = $3, agency_headcount = $4,
         state = 'open', validated_at = NULL, updated_at = now() WHERE id = $1`,
      [returnId, vacancies.numberOfVacancies, vacancies.agencyFte, vacancies.agencyHeadcount],
    );
  }

  /** Keeps an uploaded file with errors, replacing the return's earlier pending uploads. */
  async saveUpload(
    q: Queryable,
    upload: {
      returnId: string;
      organisationId: string;
      userId: string | undefined;
      filename: string;
      content: Buffer;
      report: unknown;
      retainUntil: string;
    },
  ): Promise<string> {
    await q.query(
      `UPDATE census_uploads SET state = 'replaced', content = NULL
       WHERE return_id = $1 AND state = 'pending'`,
      [upload.returnId],
    );
    const id = randomUUID();
    await q.query(
      `INSERT INTO census_uploads
         (id, return_id, organisation_id, uploaded_by, filename, content, report, state, retain_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)`,
      [
        id,
        upload.returnId,
        upload.organisationId,
        upload.userId ?? null,
        upload.filename,
        upload.content,
        JSON.stringify(upload.report),
        upload.retainUntil,
      ],
    );
    return id;
  }

  /** An upload of a return, with its file while it is pending. */
  async findUpload(q: Queryable, returnId: string, id: string): Promise<CensusUpload | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const { rows } = await q.query<{
      id: string;
      return_id: string;
      filename: string;
      content: Uint8Array | null;
      report: unknown;
      state: CensusUpload['state'];
      created_at: Date | string;
    }>(
      `SELECT id, return_id, filename, content, report, state, created_at FROM census_uploads
       WHERE id = $1 AND return_id = $2`,
      [id, returnId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      returnId: row.return_id,
      filename: row.filename,
      content: row.content === null ? undefined : Buffer.from(row.content),
      report: json(row.report),
      state: row.state,
      createdAt: toDate(row.created_at),
    };
  }

  /** Marks a pending upload as done with, dropping its file. */
  async closeUpload(q: Queryable, id: string, state: 'kept' | 'replaced'): Promise<void> {
    await q.query(`UPDATE census_uploads SET state = $2, content = NULL WHERE id = $1`, [
      id,
      state,
    ]);
  }

  /**
   * Census form submissions made by the authority's people in the census year that are not yet
   * in a return, oldest first.
   */
  async unreadFormRecords(
    q: Queryable,
    options: { formId: string; organisationId: string; from: Date; to: Date },
  ): Promise<{ submissionId: string; record: CensusRecord; retainUntil: string }[]> {
    const { rows } = await q.query<{
      id: string;
      data: CensusRecord | string;
      retain_until: Date | string;
    }>(
      `SELECT s.id, s.data, s.retain_until FROM submissions s
       WHERE s.form_id = $1 AND s.submitter_organisation_id = $2
         AND s.submitted_at >= $3 AND s.submitted_at < $4
         AND NOT EXISTS (SELECT 1 FROM census_form_imports i WHERE i.submission_id = s.id)
       ORDER BY s.submitted_at`,
      [options.formId, options.organisationId, options.from, options.to],
    );
    return rows.map((row) => ({
      submissionId: row.id,
      record: json(row.data),
      retainUntil: toDateString(row.retain_until),
    }));
  }

  /** Notes that submissions were read into a return. */
  async markFormRecordsRead(q: Queryable, returnId: string, ids: readonly string[]) {
    if (ids.length === 0) return;
    await q.query(
      `INSERT INTO census_form_imports (submission_id, return_id)
       SELECT id, $1 FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING`,
      [returnId, ids],
    );
  }
}
