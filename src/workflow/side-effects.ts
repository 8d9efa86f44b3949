import { createHash, randomUUID } from 'node:crypto';
import { recordAudit } from '../auth/audit.js';
import { AppError } from '../errors/app-error.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentMetadata, DocumentStore } from '../ports/document-store.js';
import type { MailMessage, Mailer } from '../ports/mailer.js';
import type { Database, Queryable } from '../store/database.js';

/** The instance a side effect belongs to. */
export interface EffectOwner {
  instanceId: string;
  submissionId: string;
  organisationId: string;
  retainUntil: string;
}

/** One email to send at most once. */
export interface EmailEffect {
  owner: EffectOwner;
  /** Unique for this email: `<instance>/<step seq>/<recipient>`. */
  key: string;
  /** What kind of recipient, for the audit trail and the coordinator (`home:adel-beck`). */
  recipient: string;
  /** Builds the message inside the transaction that records the intent (tokens are stored there). */
  prepare: (tx: Queryable) => Promise<MailMessage>;
  /**
   * The email holds no personal data, so a send a crash left uncertain (intent, no result) is
   * sent again, with the same Message-ID; otherwise it is flagged for a coordinator.
   */
  retryUncertain?: boolean;
  /** Audit details: ids only. */
  audit: Record<string, unknown>;
}

/** One document to file exactly once. */
export interface FilingEffect {
  owner: EffectOwner;
  key: string;
  documentKey: string;
  content: () => Promise<Buffer>;
  metadata: DocumentMetadata;
}

/** How an email effect ended. */
export type EmailOutcome = 'sent' | 'already-sent' | 'uncertain';

interface EffectRow {
  id: string;
  state: string;
}

/**
 * Emails and filings, each recorded before it is attempted and after it succeeds. A crash
 * between the two leaves the intent without a result: for an email nobody can tell whether it
 * went, so one without personal data is sent again with the same Message-ID (a duplicate is
 * harmless and recognisable, a lost one is not) and one with personal data is flagged for a
 * person and never silently resent; a filing can be checked in the store, so it is completed
 * or redone.
 */
export class SideEffects {
  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    private readonly documents: DocumentStore,
    private readonly clock: Clock,
  ) {}

  /** Sends an email unless it was sent (or may have been sent) before. */
  async emailOnce(effect: EmailEffect): Promise<EmailOutcome> {
    const now = this.clock.now();
    const claimed = await this.db.transaction(async (tx) => {
      const row = await this.claim(tx, effect.owner, effect.key, 'email', effect.recipient);
      if (row.state === 'done') return { outcome: 'already-sent' as const };
      if (row.state === 'uncertain') return { outcome: 'uncertain' as const };
      if (row.state === 'intended' && effect.retryUncertain !== true)
        return { outcome: 'uncertain' as const, flag: row.id };
      await tx.query(
        `UPDATE workflow_side_effects SET state = 'intended', attempts = attempts + 1,
           intended_at = $2 WHERE id = $1`,
        [row.id, now.toISOString()],
      );
      const message = await effect.prepare(tx);
      return { outcome: 'send' as const, id: row.id, message, resent: row.state === 'intended' };
    });
    if (claimed.outcome === 'uncertain' && claimed.flag !== undefined) {
      await this.flagUncertain(effect.owner, claimed.flag);
      return 'uncertain';
    }
    if (claimed.outcome !== 'send') return claimed.outcome;
    let messageId: string;
    try {
      ({ messageId } = await this.mailer.send({
        ...claimed.message,
        messageId: toEffectMessageId(claimed.id),
      }));
    } catch (error) {
      // The mailer refused it, so nothing went: a later try may send it.
      await this.db.query(
        `UPDATE workflow_side_effects SET state = 'failed', last_error = $2 WHERE id = $1`,
        [claimed.id, errorCode(error)],
      );
      throw error;
    }
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE workflow_side_effects SET state = 'done', done_at = $2, result = $3 WHERE id = $1`,
        [claimed.id, this.clock.now().toISOString(), JSON.stringify({ messageId })],
      );
      await recordAudit(tx, {
        actorType: 'system',
        action: 'email.send',
        subjectType: 'submission',
        subjectId: effect.owner.submissionId,
        organisationId: effect.owner.organisationId,
        details: {
          effect: claimed.id,
          recipient: effect.recipient,
          ...effect.audit,
          ...(claimed.resent ? { resentAfterUncertain: true } : {}),
        },
        at: this.clock.now(),
      });
    });
    return 'sent';
  }

  /** Files a document unless it is already filed; the store's key makes a repeat visible. */
  async fileOnce(effect: FilingEffect): Promise<'filed' | 'already-filed'> {
    const row = await this.db.transaction(async (tx) => {
      const claimed = await this.claim(tx, effect.owner, effect.key, 'filing', effect.documentKey);
      if (claimed.state !== 'done') {
        await tx.query(
          `UPDATE workflow_side_effects SET state = 'intended', attempts = attempts + 1,
             intended_at = $2 WHERE id = $1`,
          [claimed.id, this.clock.now().toISOString()],
        );
      }
      return claimed;
    });
    if (row.state === 'done') return 'already-filed';
    const content = await effect.content();
    const sha256 = createHash('sha256').update(content).digest('hex');
    const existing = await this.documents.get(effect.documentKey);
    if (!existing) {
      await this.documents.put(effect.documentKey, content, effect.metadata);
    } else if (createHash('sha256').update(existing.content).digest('hex') !== sha256) {
      throw new AppError('ERR_DOCUMENT_EXISTS', 'a different document is filed under this key');
    }
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE workflow_side_effects SET state = 'done', done_at = $2, result = $3 WHERE id = $1`,
        [
          row.id,
          this.clock.now().toISOString(),
          JSON.stringify({ documentKey: effect.documentKey, sha256 }),
        ],
      );
      await recordAudit(tx, {
        actorType: 'system',
        action: 'document.file',
        subjectType: 'submission',
        subjectId: effect.owner.submissionId,
        organisationId: effect.owner.organisationId,
        details: {
          effect: row.id,
          documentKey: effect.documentKey,
          documentType: effect.metadata.documentType,
        },
        at: this.clock.now(),
      });
    });
    return 'filed';
  }

  private async claim(
    tx: Queryable,
    owner: EffectOwner,
    key: string,
    kind: 'email' | 'filing',
    recipient: string,
  ): Promise<EffectRow> {
    await tx.query(
      `INSERT INTO workflow_side_effects
         (id, instance_id, effect_key, kind, recipient, state, organisation_id, retain_until)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT (effect_key) DO NOTHING`,
      [
        randomUUID(),
        owner.instanceId,
        key,
        kind,
        recipient,
        owner.organisationId,
        owner.retainUntil,
      ],
    );
    const { rows } = await tx.query<EffectRow>(
      `SELECT id, state FROM workflow_side_effects WHERE effect_key = $1 FOR UPDATE`,
      [key],
    );
    const row = rows[0];
    if (!row) throw new AppError('ERR_INTERNAL', 'side effect row vanished');
    return row;
  }

  private async flagUncertain(owner: EffectOwner, effectId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE workflow_side_effects SET state = 'uncertain' WHERE id = $1`, [
        effectId,
      ]);
      await tx.query(
        `INSERT INTO workflow_flags
           (instance_id, side_effect_id, kind, message, created_at, organisation_id, retain_until)
         VALUES ($1, $2, 'email-uncertain', $3, $4, $5, $6)
         ON CONFLICT (side_effect_id) WHERE side_effect_id IS NOT NULL DO NOTHING`,
        [
          owner.instanceId,
          effectId,
          'An email may or may not have been sent (the sender stopped mid-way). Check with the recipient before sending it again.',
          this.clock.now().toISOString(),
          owner.organisationId,
          owner.retainUntil,
        ],
      );
    });
  }
}

/** The Message-ID of every send of side effect `effectId`: a duplicate is recognisably the same. */
export function toEffectMessageId(effectId: string): string {
  return `<${effectId}@formwork.invalid>`;
}

function errorCode(error: unknown): string {
  if (error instanceof Error) return 'code' in error ? String(error.code) : error.name;
  return 'unknown';
}
