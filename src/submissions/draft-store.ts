import { randomUUID } from 'node:crypto';
import type { Database } from '../store/database.js';
import type { Clock } from '../ports/clock.js';
import { recordAudit } from '../auth/audit.js';
import { anonymousActorHashLength, anonymousActorPrefix } from './actor.js';

/** Who a draft belongs to: a signed-in user, or (public forms) one browser session. */
export type DraftOwner = { userId: string } | { sessionIdHash: string };

/** A form in progress. */
export interface Draft {
  id: string;
  formId: string;
  formVersion: string;
  organisationId: string;
  data: Record<string, unknown>;
  completedPages: string[];
  submissionId: string | null;
  /** The submission this draft reviews (a three-monthly review), or null. */
  reviewOf: string | null;
  updatedAt: Date;
}

interface DraftRow {
  id: string;
  form_id: string;
  form_version: string;
  organisation_id: string;
  data: Record<string, unknown>;
  completed_pages: string[];
  submission_id: string | null;
  review_of: string | null;
  updated_at: Date | string;
}

const columns =
  'id, form_id, form_version, organisation_id, data, completed_pages, submission_id, review_of, updated_at';

/** Drafts kept this long after their last change before retention removes them. */
const draftRetentionDays = 90;

/**
 * Drafts: saved on every page so a person can come back later. A draft is only ever found
 * through its owner, so one person can never load another's draft by guessing an id.
 */
export class DraftStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async create(options: {
    formId: string;
    formVersion: string;
    organisationId: string;
    owner: DraftOwner;
    /** Answers to start with (a review's, prefilled from the reviewed submission). */
    data?: Record<string, unknown>;
    completedPages?: readonly string[];
    /** The submission the draft reviews: sending it records a review, not a submission. */
    reviewOf?: string;
  }): Promise<Draft> {
    const id = randomUUID();
    const now = this.clock.now();
    const { rows } = await this.db.query<DraftRow>(
      `INSERT INTO drafts (id, form_id, form_version, organisation_id, user_id, session_id_hash,
         created_at, updated_at, retain_until, data, completed_pages, review_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11) RETURNING ${columns}`,
      [
        id,
        options.formId,
        options.formVersion,
        options.organisationId,
        'userId' in options.owner ? options.owner.userId : null,
        'sessionIdHash' in options.owner ? options.owner.sessionIdHash : null,
        now.toISOString(),
        retainUntil(now),
        JSON.stringify(options.data ?? {}),
        JSON.stringify(options.completedPages ?? []),
        options.reviewOf ?? null,
      ],
    );
    return toDraft(rows[0] as DraftRow);
  }

  /** The draft if `owner` owns it and it belongs to `formId`; otherwise undefined. */
  async find(id: string, formId: string, owner: DraftOwner): Promise<Draft | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<DraftRow>(
      `SELECT ${columns} FROM drafts WHERE id = $1 AND form_id = $2 AND ${ownerClause(owner)}`,
      [id, formId, ownerValue(owner)],
    );
    return rows[0] ? toDraft(rows[0]) : undefined;
  }

  /**
   * Saves answers and progress, with an audit event for the change (who and which draft, never
   * the answers). Does nothing to a draft that was already submitted.
   */
  async save(draft: Pick<Draft, 'id' | 'data' | 'completedPages'>): Promise<void> {
    const now = this.clock.now();
    // One statement, so one round trip: the update and its audit event commit together or not
    // at all, and an already-submitted draft (no row updated) records no event. The actor is
    // the draft's user, or its browser session as `toAnonymousActor` names it.
    await this.db.query(
      `WITH saved AS (
         UPDATE drafts SET data = $2, completed_pages = $3, updated_at = $4, retain_until = $5
         WHERE id = $1 AND submission_id IS NULL
         RETURNING organisation_id, user_id, session_id_hash
       )
       INSERT INTO audit_events
         (at, actor_type, actor_id, action, subject_type, subject_id, organisation_id, reason,
          details)
       SELECT now(),
              CASE WHEN user_id IS NULL AND session_id_hash IS NOT NULL
                   THEN 'anonymous' ELSE 'user' END,
              CASE WHEN user_id IS NULL AND session_id_hash IS NOT NULL
                   THEN $6 || left(session_id_hash, $7) ELSE user_id::text END,
              'draft.update', 'draft', $8, organisation_id, NULL, $9
         FROM saved`,
      [
        draft.id,
        JSON.stringify(draft.data),
        JSON.stringify(draft.completedPages),
        now.toISOString(),
        retainUntil(now),
        anonymousActorPrefix,
        anonymousActorHashLength,
        draft.id,
        JSON.stringify({ pages: draft.completedPages.length }),
      ],
    );
  }

  /** A user's unsubmitted draft by id, or undefined (someone else's looks like none). */
  async findForUser(id: string, userId: string): Promise<Draft | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<DraftRow>(
      `SELECT ${columns} FROM drafts WHERE id = $1 AND user_id = $2 AND submission_id IS NULL`,
      [id, userId],
    );
    return rows[0] ? toDraft(rows[0]) : undefined;
  }

  /**
   * Deletes a user's unsubmitted draft and the rows of its uploads, audited without the answers.
   * Returns the storage keys of the uploads' bytes for the caller to delete (after the rows,
   * so nothing names a file that is going), or undefined when there was no such draft.
   */
  async deleteForUser(id: string, userId: string): Promise<string[] | undefined> {
    if (!isUuid(id)) return undefined;
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ organisation_id: string }>(
        `DELETE FROM drafts WHERE id = $1 AND user_id = $2 AND submission_id IS NULL
         RETURNING organisation_id`,
        [id, userId],
      );
      const deleted = rows[0];
      if (!deleted) return undefined;
      const files = await tx.query<{ storage_key: string }>(
        `DELETE FROM documents WHERE draft_id = $1 AND submission_id IS NULL RETURNING storage_key`,
        [id],
      );
      await recordAudit(tx, {
        actorType: 'user',
        actorId: userId,
        action: 'draft.delete',
        subjectType: 'draft',
        subjectId: id,
        organisationId: deleted.organisation_id,
        details: { documents: files.rows.length },
        at: now,
      });
      return files.rows.map((row) => row.storage_key);
    });
  }

  /** A user's unsubmitted drafts, newest first. */
  async listForUser(userId: string): Promise<Draft[]> {
    const { rows } = await this.db.query<DraftRow>(
      `SELECT ${columns} FROM drafts WHERE user_id = $1 AND submission_id IS NULL
       ORDER BY updated_at DESC LIMIT 100`,
      [userId],
    );
    return rows.map(toDraft);
  }
}

function ownerClause(owner: DraftOwner): string {
  return 'userId' in owner ? 'user_id = $3' : 'session_id_hash = $3 AND user_id IS NULL';
}

function ownerValue(owner: DraftOwner): string {
  return 'userId' in owner ? owner.userId : owner.sessionIdHash;
}

function retainUntil(now: Date): string {
  return new Date(now.getTime() + draftRetentionDays * 86_400_000).toISOString().slice(0, 10);
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    formId: row.form_id,
    formVersion: row.form_version,
    organisationId: row.organisation_id,
    data: row.data,
    completedPages: row.completed_pages,
    submissionId: row.submission_id,
    reviewOf: row.review_of,
    updatedAt: new Date(row.updated_at),
  };
}
