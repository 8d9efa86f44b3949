import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { toSegments } from '../forms/field-names.js';
import type { FormModel } from '../forms/form-model.js';
import type { Database } from '../store/database.js';
import type { Draft, DraftStore } from '../submissions/draft-store.js';
import { toDay } from './homes-store.js';
import type { ReviewDefinition } from './workflow-definition.js';
import type { WorkflowCatalog } from './workflow-catalog.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** The referral a review is of, as the referrer's pages load it. */
export interface ReviewedReferral {
  submissionId: string;
  reference: string;
  data: Record<string, unknown>;
}

/** What sending a review draft records. */
export interface RecordReviewOptions {
  draft: Draft;
  /** The validated, pruned answers. */
  data: Record<string, unknown>;
  /** The documents the answers name: uploads of the draft. */
  documentIds: readonly string[];
  userId: string;
}

/** One review recorded against a referral. */
export interface RecordedReview {
  id: string;
  recordedAt: Date;
}

/**
 * The periodic review of a referral (the three-monthly review): the form filled in again from
 * a draft prefilled with the referral's answers, then recorded against that referral, not as
 * a submission of its own. So it takes no new reference and starts no second workflow, which
 * would route the child afresh and send the homes a second pack; the waiting step's timers
 * marked `restartOnReview` start again from the review instead.
 */
export class ReferralReviews {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
    private readonly drafts: DraftStore,
    private readonly catalog: WorkflowCatalog,
  ) {}

  /**
   * The user's review draft for the referral: the one not yet sent if there is one (a second
   * click opens the same draft), otherwise a new draft with the referral's answers, less its
   * documents and the answers to give afresh, and with the review's own answers set.
   */
  async startDraft(options: {
    form: FormModel;
    review: ReviewDefinition;
    referral: ReviewedReferral;
    userId: string;
    today: Date;
  }): Promise<Draft> {
    const { form, review, referral } = options;
    const open = await this.db.query<{ id: string }>(
      `SELECT id FROM drafts WHERE review_of = $1 AND user_id = $2 AND form_id = $3
         AND submission_id IS NULL ORDER BY updated_at DESC LIMIT 1`,
      [referral.submissionId, options.userId, form.definition.id],
    );
    const openId = open.rows[0]?.id;
    const existing = openId ? await this.drafts.findForUser(openId, options.userId) : undefined;
    if (existing) return existing;
    const data = toReviewAnswers(form, review, referral, options.today);
    // Pages whose prefilled answers stand are done; the rest are asked (documents, declaration).
    const completedPages = form
      .pagesShown(data)
      .filter((page) => form.validatePage(page.id, data).length === 0)
      .map((page) => page.id);
    return this.drafts.create({
      formId: form.definition.id,
      formVersion: form.version,
      organisationId: form.definition.organisation,
      owner: { userId: options.userId },
      data,
      completedPages,
      reviewOf: referral.submissionId,
    });
  }

  /**
   * Records a sent review draft against its referral, in one transaction with the timers'
   * restart and the draft marked sent. Returns the referral's reference, or undefined when
   * the referral's search is no longer open (nothing is recorded). A draft sent twice records
   * one review.
   */
  async record(options: RecordReviewOptions): Promise<{ reference: string } | undefined> {
    const { draft } = options;
    if (draft.reviewOf === null) throw new AppError('ERR_INTERNAL', 'not a review draft');
    const reviewOf = draft.reviewOf;
    const now = this.engine.services.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const locked = (
        await tx.query<{ submission_id: string | null }>(
          `SELECT submission_id FROM drafts WHERE id = $1 FOR UPDATE`,
          [draft.id],
        )
      ).rows[0];
      const referral = (
        await tx.query<{
          reference: string;
          instance_id: string | null;
          workflow_id: string | null;
          workflow_version: string | null;
          organisation_id: string;
          retain_until: Date | string;
        }>(
          `SELECT s.reference, i.id AS instance_id, i.workflow_id, i.workflow_version,
             s.organisation_id, s.retain_until
           FROM submissions s LEFT JOIN workflow_instances i ON i.submission_id = s.id
           WHERE s.id = $1`,
          [reviewOf],
        )
      ).rows[0];
      if (!locked || !referral) return undefined;
      if (locked.submission_id !== null) return { reference: referral.reference, created: false };
      if (referral.instance_id === null || referral.workflow_id === null) return undefined;
      const review = (
        await this.catalog.version(referral.workflow_id, referral.workflow_version ?? '', tx)
      ).review;
      if (!review) return undefined;
      // The draft is of this referral whatever was typed: its reference and type are kept.
      let data = structuredClone(options.data);
      for (const [pointer, value] of Object.entries(review.set)) {
        data = withAnswer(data, pointer, value);
      }
      data = withAnswer(data, review.reference, referral.reference);
      const restarted = await this.engine.recordReview(tx, referral.instance_id, {
        type: 'user',
        id: options.userId,
      });
      if (!restarted) return undefined;
      const id = randomUUID();
      // The review is kept as long as the referral it belongs to.
      await tx.query(
        `INSERT INTO referral_reviews (id, instance_id, submission_id, draft_id, form_version, data,
           recorded_at, recorded_by, organisation_id, retain_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          referral.instance_id,
          reviewOf,
          draft.id,
          draft.formVersion,
          JSON.stringify(data),
          now.toISOString(),
          options.userId,
          referral.organisation_id,
          referral.retain_until,
        ],
      );
      const ids = [...new Set(options.documentIds)];
      if (ids.length > 0) {
        const linked = await tx.query(
          `UPDATE documents SET submission_id = $1, review_id = $2, retain_until = $3
           WHERE draft_id = $4 AND submission_id IS NULL AND id = ANY($5::text[])`,
          [reviewOf, id, referral.retain_until, draft.id, ids],
        );
        if (linked.rowCount !== ids.length) {
          throw new AppError(
            'ERR_SUBMISSION_DOCUMENT_UNKNOWN',
            'document not uploaded for this review',
            { details: { missing: ids.length - linked.rowCount } },
          );
        }
      }
      await tx.query(`UPDATE drafts SET submission_id = $1, updated_at = $2 WHERE id = $3`, [
        reviewOf,
        now.toISOString(),
        draft.id,
      ]);
      return { reference: referral.reference, created: true };
    });
    if (result?.created) this.engine.afterCommit();
    return result ? { reference: result.reference } : undefined;
  }

  /** The reference of the referral a sent review draft was recorded against. */
  async referenceForDraft(draftId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ reference: string }>(
      `SELECT s.reference FROM referral_reviews r JOIN submissions s ON s.id = r.submission_id
       WHERE r.draft_id = $1`,
      [draftId],
    );
    return rows[0]?.reference;
  }

  /** The answers of the latest review recorded against a workflow instance, if any. */
  async latestFor(
    instanceId: string,
  ): Promise<{ recordedAt: Date; data: Record<string, unknown> } | undefined> {
    const { rows } = await this.db.query<{
      recorded_at: Date | string;
      data: Record<string, unknown> | string;
    }>(
      `SELECT recorded_at, data FROM referral_reviews WHERE instance_id = $1
       ORDER BY recorded_at DESC LIMIT 1`,
      [instanceId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const data =
      typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data;
    return { recordedAt: new Date(row.recorded_at), data };
  }

  /** The reviews recorded against a workflow instance, oldest first. */
  async listFor(instanceId: string): Promise<RecordedReview[]> {
    const { rows } = await this.db.query<{ id: string; recorded_at: Date | string }>(
      `SELECT id, recorded_at FROM referral_reviews WHERE instance_id = $1 ORDER BY recorded_at`,
      [instanceId],
    );
    return rows.map((row) => ({ id: row.id, recordedAt: new Date(row.recorded_at) }));
  }
}

/** The referral's answers as a review starts them. */
function toReviewAnswers(
  form: FormModel,
  review: ReviewDefinition,
  referral: ReviewedReferral,
  today: Date,
): Record<string, unknown> {
  let data = structuredClone(referral.data);
  // An upload belongs to the referral it was sent with; the review's documents are its own.
  const documents = form
    .pagesShown(data)
    .flatMap((page) => form.documentPointers(page.id, data))
    // later array items first, so removing one does not move the next
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const pointer of [...documents, ...(review.askAgain ?? [])]) {
    data = withAnswer(data, pointer, undefined);
  }
  for (const [pointer, value] of Object.entries(review.set)) {
    data = withAnswer(data, pointer, value);
  }
  for (const pointer of review.today ?? []) data = withAnswer(data, pointer, toDay(today));
  data = withAnswer(data, review.reference, referral.reference);
  return form.pruneHidden(data);
}

/** `data` with the answer at `pointer` set (or removed, for undefined); `data` is changed. */
function withAnswer(
  data: Record<string, unknown>,
  pointer: string,
  value: unknown,
): Record<string, unknown> {
  const segments = toSegments(pointer);
  const last = segments.pop();
  if (last === undefined) return data;
  let parent: unknown = data;
  for (const segment of segments) {
    let next = (parent as Record<string, unknown>)[segment];
    if (typeof next !== 'object' || next === null) {
      if (value === undefined) return data;
      next = {};
      (parent as Record<string, unknown>)[segment] = next;
    }
    parent = next;
  }
  if (Array.isArray(parent) && /^\d+$/.test(last)) {
    if (value === undefined) parent.splice(Number(last), 1);
    else parent[Number(last)] = value;
  } else if (value === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing one answer by name
    delete (parent as Record<string, unknown>)[last];
  } else (parent as Record<string, unknown>)[last] = value;
  return data;
}
