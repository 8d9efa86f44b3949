import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import type { Database, Queryable } from '../store/database.js';
import type { Clock } from '../ports/clock.js';
import { recordAudit } from '../auth/audit.js';
import type { Actor } from './actor.js';
import { toDateString } from '../store/to-date-string.js';
import { nextReference } from './reference.js';

/** What is needed to store one submission. `data` must already be validated and pruned. */
export interface SubmitOptions {
  formId: string;
  formVersion: string;
  referencePrefix: string;
  organisationId: string;
  data: unknown;
  retainUntil: string;
  actor: Actor;
  source: 'web' | 'api';
  draftId?: string;
  idempotencyKey?: string;
  /**
   * The document ids the answers name: only these are linked to the submission (and so filed
   * and listed in packs). Each must be an unsent upload of the draft, or of the API token.
   */
  documentIds?: readonly string[];
}

/** A stored submission as the API returns it. */
export interface SubmissionRecord {
  id: string;
  reference: string;
  formId: string;
  formVersion: string;
  organisationId: string;
  /** The organisation of the user or API token that made it: who may read it by API. */
  submitterOrganisationId: string;
  status: string;
  data: unknown;
  source: 'web' | 'api';
  userId: string | null;
  apiTokenId: string | null;
  submittedAt: Date;
  retainUntil: string;
}

interface SubmissionRow {
  id: string;
  reference: string;
  form_id: string;
  form_version: string;
  organisation_id: string;
  submitter_organisation_id: string;
  status: string;
  data: unknown;
  source: 'web' | 'api';
  user_id: string | null;
  api_token_id: string | null;
  request_hash: string | null;
  submitted_at: Date | string;
  retain_until: Date | string;
}

const columns = `id, reference, form_id, form_version, organisation_id, submitter_organisation_id,
  status, data, source,
  user_id, api_token_id, request_hash, submitted_at, retain_until`;

/**
 * Submissions: the one place that stores them and reads them back, so every read and change of
 * the personal data in them writes an audit event. Storing a submission, taking its reference
 * and queueing its workflow start (an outbox row) happen in one transaction.
 */
export class SubmissionStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores a submission once. A repeat with the same draft, or the same API token and
   * Idempotency-Key and body, returns the first submission (`created: false`); the same key
   * with a different body is a conflict.
   */
  async submit(
    options: SubmitOptions,
  ): Promise<{ reference: string; id: string; created: boolean }> {
    const requestHash = hashData(options.data);
    try {
      return await this.db.transaction((tx) => this.insert(tx, options, requestHash));
    } catch (error) {
      // Two identical requests raced; the loser reads the winner's row.
      if (isUniqueViolation(error)) {
        const existing = await this.findRepeat(this.db, options, requestHash);
        if (existing) return existing;
      }
      throw error;
    }
  }

  private async insert(tx: Queryable, options: SubmitOptions, requestHash: string) {
    const existing = await this.findRepeat(tx, options, requestHash);
    if (existing) return existing;
    const now = this.clock.now();
    const id = randomUUID();
    const reference = await nextReference(tx, {
      formId: options.formId,
      prefix: options.referencePrefix,
      year: now.getUTCFullYear(),
    });
    await tx.query(
      `INSERT INTO submissions (id, reference, form_id, form_version, organisation_id, status, data,
         source, user_id, api_token_id, actor_type, draft_id, idempotency_key, request_hash,
         submitted_at, retain_until, submitter_organisation_id)
       VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        id,
        reference,
        options.formId,
        options.formVersion,
        options.organisationId,
        JSON.stringify(options.data),
        options.source,
        options.actor.type === 'user' ? options.actor.id : null,
        options.actor.type === 'api-token' ? options.actor.id : null,
        submitterType(options.actor),
        options.draftId ?? null,
        options.idempotencyKey ?? null,
        requestHash,
        now.toISOString(),
        options.retainUntil,
        options.actor.organisationId,
      ],
    );
    // Jobs carry ids only; the deterministic job id makes a re-relay harmless.
    await tx.query(`INSERT INTO outbox (topic, job_id, payload) VALUES ($1, $2, $3)`, [
      'workflow.start',
      `start-${id}`,
      JSON.stringify({ submissionId: id }),
    ]);
    if (options.draftId) {
      await tx.query(`UPDATE drafts SET submission_id = $1, updated_at = $2 WHERE id = $3`, [
        id,
        now.toISOString(),
        options.draftId,
      ]);
    }
    await this.linkDocuments(tx, id, options);
    await recordAudit(tx, {
      actorType: options.actor.type,
      actorId: options.actor.id,
      action: 'submission.create',
      subjectType: 'submission',
      subjectId: id,
      organisationId: options.organisationId,
      details: { formId: options.formId, reference, source: options.source },
    });
    return { reference, id, created: true };
  }

  private async linkDocuments(tx: Queryable, submissionId: string, options: SubmitOptions) {
    const ids = [...new Set(options.documentIds ?? [])];
    if (ids.length === 0) return;
    const owner = options.draftId
      ? { column: 'draft_id', value: options.draftId }
      : options.actor.type === 'api-token'
        ? { column: 'api_token_id', value: options.actor.id }
        : undefined;
    const { rows } = owner
      ? await tx.query<{ id: string }>(
          // a linked document is kept as long as its submission
          `UPDATE documents SET submission_id = $1, retain_until = $4
           WHERE ${owner.column} = $2 AND submission_id IS NULL AND id = ANY($3::text[])
           RETURNING id`,
          [submissionId, owner.value, ids, options.retainUntil],
        )
      : { rows: [] };
    // The callers checked the ids; a miss here means another submission took one meanwhile.
    if (rows.length !== ids.length) {
      throw new AppError(
        'ERR_SUBMISSION_DOCUMENT_UNKNOWN',
        'document not uploaded for this submission',
        {
          details: { missing: ids.length - rows.length },
        },
      );
    }
  }

  private async findRepeat(q: Queryable, options: SubmitOptions, requestHash: string) {
    let row: SubmissionRow | undefined;
    if (options.draftId) {
      row = (
        await q.query<SubmissionRow>(`SELECT ${columns} FROM submissions WHERE draft_id = $1`, [
          options.draftId,
        ])
      ).rows[0];
    } else if (options.idempotencyKey && options.actor.type === 'api-token') {
      row = (
        await q.query<SubmissionRow>(
          `SELECT ${columns} FROM submissions WHERE api_token_id = $1 AND idempotency_key = $2`,
          [options.actor.id, options.idempotencyKey],
        )
      ).rows[0];
      if (row && (row.request_hash !== requestHash || row.form_id !== options.formId)) {
        throw new AppError(
          'ERR_SUBMISSION_IDEMPOTENCY_CONFLICT',
          'idempotency key reused with a different body',
        );
      }
    }
    return row ? { reference: row.reference, id: row.id, created: false } : undefined;
  }

  /**
   * Reads a submission by reference for `actor`, or undefined when it does not exist or the
   * actor may not see it (the two are indistinguishable to the caller on purpose).
   */
  async read(
    reference: string,
    actor: Actor,
    canSee: (record: SubmissionRecord) => boolean,
  ): Promise<SubmissionRecord | undefined> {
    const { rows } = await this.db.query<SubmissionRow>(
      `SELECT ${columns} FROM submissions WHERE reference = $1`,
      [reference],
    );
    const row = rows[0];
    if (!row) return undefined;
    const record = toRecord(row);
    if (!canSee(record)) return undefined;
    await recordAudit(this.db, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'submission.view',
      subjectType: 'submission',
      subjectId: record.id,
      organisationId: record.organisationId,
      details: { reference },
    });
    return record;
  }

  /** The reference of the submission made from a draft, if it was submitted. */
  async referenceForDraft(draftId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ reference: string }>(
      `SELECT reference FROM submissions WHERE draft_id = $1`,
      [draftId],
    );
    return rows[0]?.reference;
  }

  /** A user's own submissions, newest first (reference, form and date only). */
  async listForUser(
    userId: string,
  ): Promise<{ reference: string; formId: string; status: string; submittedAt: Date }[]> {
    const { rows } = await this.db.query<{
      reference: string;
      form_id: string;
      status: string;
      submitted_at: Date | string;
    }>(
      // The workflow's status where the form has one: one status vocabulary on every page.
      `SELECT s.reference, s.form_id, coalesce(i.status, s.status) AS status, s.submitted_at
       FROM submissions s LEFT JOIN workflow_instances i ON i.submission_id = s.id
       WHERE s.user_id = $1 ORDER BY s.submitted_at DESC LIMIT 100`,
      [userId],
    );
    return rows.map((row) => ({
      reference: row.reference,
      formId: row.form_id,
      status: row.status,
      submittedAt: new Date(row.submitted_at),
    }));
  }

  /**
   * The workflow referrals sent by any of `organisationIds` (their submitter organisation),
   * most recent first, at most `limit`, with how many there are in all. `status` is the
   * workflow instance's, `null` before the workflow has set one.
   */
  async listWorkflowReferralsOf(
    organisationIds: readonly string[],
    limit: number,
  ): Promise<{
    total: number;
    referrals: {
      reference: string;
      formId: string;
      data: unknown;
      status: string | null;
      context: Record<string, unknown> | null;
      submittedAt: Date;
    }[];
  }> {
    if (organisationIds.length === 0) return { total: 0, referrals: [] };
    const { rows } = await this.db.query<{
      reference: string;
      form_id: string;
      data: unknown;
      status: string | null;
      context: Record<string, unknown> | null;
      submitted_at: Date | string;
      total: string;
    }>(
      `SELECT s.reference, s.form_id, s.data, i.status, i.context, s.submitted_at, count(*) OVER () AS total
       FROM submissions s JOIN workflow_instances i ON i.submission_id = s.id
       WHERE s.submitter_organisation_id = ANY($1::text[])
       ORDER BY s.submitted_at DESC LIMIT $2`,
      [organisationIds, limit],
    );
    return {
      total: Number(rows[0]?.total ?? 0),
      referrals: rows.map((row) => ({
        reference: row.reference,
        formId: row.form_id,
        data: row.data,
        status: row.status,
        context: row.context,
        submittedAt: new Date(row.submitted_at),
      })),
    };
  }
}

/** The submission's `actor_type`: only people and API tokens submit. */
function submitterType(actor: Actor): 'user' | 'api-token' | 'anonymous' {
  if (actor.type === 'user' || actor.type === 'api-token' || actor.type === 'anonymous') {
    return actor.type;
  }
  throw new AppError('ERR_INTERNAL', `a ${actor.type} actor cannot make a submission`);
}

function toRecord(row: SubmissionRow): SubmissionRecord {
  return {
    id: row.id,
    reference: row.reference,
    formId: row.form_id,
    formVersion: row.form_version,
    organisationId: row.organisation_id,
    submitterOrganisationId: row.submitter_organisation_id,
    status: row.status,
    data: row.data,
    source: row.source,
    userId: row.user_id,
    apiTokenId: row.api_token_id,
    submittedAt: new Date(row.submitted_at),
    retainUntil: toDateString(row.retain_until),
  };
}

function hashData(data: unknown): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
  );
}
