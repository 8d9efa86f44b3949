import { recordAudit } from '../auth/audit.js';
import type { Database } from '../store/database.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** The local authority's decision on an open search. */
export type ReferralDecision =
  { choice: 'placed'; homeId: string } | { choice: 'alternative'; details: string };

/**
 * The local authority's side of a referral: choose an offer, record an alternative placement.
 * Only while the `await-decision` step waits; a home can be chosen only if it offered.
 */
export class ReferralDecisions {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
  ) {}

  /** Homes that offered a place for a referral. */
  async offers(
    instanceId: string,
  ): Promise<
    { homeId: string; name: string; bedAvailableOn: string | null; conditions: string | null }[]
  > {
    const { rows } = await this.db.query<{
      home_id: string;
      name: string;
      bed_available_on: Date | string | null;
      conditions: string | null;
    }>(
      `SELECT r.home_id, h.name, r.bed_available_on, r.conditions FROM workflow_home_requests r
       JOIN homes h ON h.id = r.home_id
       WHERE r.instance_id = $1 AND r.state = 'accepted' ORDER BY h.name`,
      [instanceId],
    );
    return rows.map((row) => ({
      homeId: row.home_id,
      name: row.name,
      bedAvailableOn:
        row.bed_available_on === null
          ? null
          : (row.bed_available_on instanceof Date
              ? row.bed_available_on.toISOString()
              : row.bed_available_on
            ).slice(0, 10),
      conditions: row.conditions,
    }));
  }

  /** Records the decision; false when nothing waits for one or the home did not offer. */
  async decide(
    instanceId: string,
    decision: ReferralDecision,
    actor: { id: string },
  ): Promise<boolean> {
    const now = this.engine.services.clock.now();
    const done = await this.db.transaction(async (tx) => {
      const instance = (
        await tx.query<{ current_seq: number; submission_id: string; organisation_id: string }>(
          `SELECT current_seq, submission_id, organisation_id FROM workflow_instances WHERE id = $1`,
          [instanceId],
        )
      ).rows[0];
      if (!instance) return false;
      // An offer may be taken up while other homes are still answering (no needless wait).
      const waitingTypes = ['await-decision', 'await-responses'];
      if (!(await this.engine.lockWaitingRun(tx, instanceId, instance.current_seq, waitingTypes)))
        return false;
      if (decision.choice === 'placed') {
        const offered = await tx.query(
          `SELECT 1 FROM workflow_home_requests WHERE instance_id = $1 AND home_id = $2 AND state = 'accepted'`,
          [instanceId, decision.homeId],
        );
        if (offered.rowCount === 0) return false;
      } else if (decision.details.trim() === '') return false;
      // Recorded with the outbox row that wakes the waiting step, in this transaction.
      const moved = await this.engine.recordDecision(tx, instanceId, {
        decision: decision.choice,
        ...(decision.choice === 'placed'
          ? { chosenHomeId: decision.homeId }
          : { alternativePlacement: decision.details.trim().slice(0, 2000) }),
      });
      if (!moved) return false;
      await recordAudit(tx, {
        actorType: 'user',
        actorId: actor.id,
        action: `referral.decision.${decision.choice}`,
        subjectType: 'submission',
        subjectId: instance.submission_id,
        organisationId: instance.organisation_id,
        ...(decision.choice === 'placed' ? { details: { homeId: decision.homeId } } : {}),
        at: now,
      });
      return true;
    });
    if (done) this.engine.afterCommit();
    return done;
  }
}
