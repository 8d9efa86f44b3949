import type { Queryable } from '../store/database.js';
import type { Actor } from '../submissions/actor.js';

/** One entry in the audit trail. `details` must not hold personal data beyond ids. */
export interface AuditEvent {
  actorType: Actor['type'];
  actorId?: string | undefined;
  action: string;
  subjectType: string;
  subjectId: string;
  organisationId: string;
  reason?: string | undefined;
  details?: Record<string, unknown>;
  /** Defaults to the database's `now()`. */
  at?: Date;
}

/**
 * Writes one audit event: the one place `audit_events` rows are written. Pass the transaction
 * doing the audited work so the event commits (or rolls back) with it.
 */
export async function recordAudit(q: Queryable, event: AuditEvent): Promise<void> {
  await q.query(
    `INSERT INTO audit_events
       (at, actor_type, actor_id, action, subject_type, subject_id, organisation_id, reason, details)
     VALUES (COALESCE($1, now()), $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.at ?? null,
      event.actorType,
      event.actorId ?? null,
      event.action,
      event.subjectType,
      event.subjectId,
      event.organisationId,
      event.reason ?? null,
      JSON.stringify(event.details ?? {}),
    ],
  );
}
