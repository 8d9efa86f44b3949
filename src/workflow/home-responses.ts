import { randomUUID } from 'node:crypto';
import { recordAudit } from '../auth/audit.js';
import { hashLinkToken } from '../steps/send-email.js';
import { toResponsesOutcome } from '../steps/await-responses.js';
import type { Database } from '../store/database.js';
import { readPointer } from './read-pointer.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** A home's answer. */
export type HomeAnswer = 'accepted' | 'declined' | 'more-information';

/** One referral as a home sees it through its link. */
export interface HomeRequest {
  id: string;
  instanceId: string;
  homeId: string;
  homeName: string;
  homeEmail: string;
  reference: string;
  state: string;
  reason: string | null;
  /** An offer's details: the day a bed is free (`YYYY-MM-DD`) and any conditions. */
  bedAvailableOn: string | null;
  conditions: string | null;
  expiresAt: Date | null;
  packKey: string | null;
  organisationId: string;
  submissionId: string;
}

/** Why an answer changed nothing. */
export type RespondProblem =
  'not-found' | 'expired' | 'already-answered' | 'closed' | 'reason-required';

interface RequestRow {
  id: string;
  instance_id: string;
  home_id: string;
  name: string;
  email: string;
  reference: string;
  state: string;
  reason: string | null;
  bed_available_on: Date | string | null;
  conditions: string | null;
  token_expires_at: Date | string | null;
  context: Record<string, unknown>;
  organisation_id: string;
  submission_id: string;
}

const select = `SELECT r.id, r.instance_id, r.home_id, h.name, h.email, s.reference, r.state, r.reason,
  r.bed_available_on, r.conditions, r.token_expires_at, i.context, r.organisation_id, i.submission_id
  FROM workflow_home_requests r JOIN homes h ON h.id = r.home_id
  JOIN workflow_instances i ON i.id = r.instance_id JOIN submissions s ON s.id = i.submission_id`;

function toRequest(row: RequestRow): HomeRequest {
  return {
    id: row.id,
    instanceId: row.instance_id,
    homeId: row.home_id,
    homeName: row.name,
    homeEmail: row.email,
    reference: row.reference,
    state: row.state,
    reason: row.reason,
    bedAvailableOn:
      row.bed_available_on === null
        ? null
        : (row.bed_available_on instanceof Date
            ? row.bed_available_on.toISOString()
            : row.bed_available_on
          ).slice(0, 10),
    conditions: row.conditions,
    expiresAt: row.token_expires_at === null ? null : new Date(row.token_expires_at),
    packKey: typeof row.context.packKey === 'string' ? row.context.packKey : null,
    organisationId: row.organisation_id,
    submissionId: row.submission_id,
  };
}

/**
 * Homes' answers to referrals. An answer counts only while the request is open, its link
 * unexpired and the await step still waiting; each is one conditional update, so answering
 * twice, late or for a referral the home was not sent changes nothing.
 */
export class HomeResponses {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
  ) {}

  /** The request a link token opens, or undefined. */
  async byToken(token: string): Promise<HomeRequest | undefined> {
    const { rows } = await this.db.query<RequestRow>(`${select} WHERE r.token_hash = $1`, [
      hashLinkToken(token),
    ]);
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /** The requests sent to any of the homes `homeIds`, newest first. */
  async forHomes(homeIds: readonly string[]): Promise<HomeRequest[]> {
    if (homeIds.length === 0) return [];
    const { rows } = await this.db.query<RequestRow>(
      `${select} WHERE r.home_id = ANY($1::text[]) ORDER BY r.created_at DESC`,
      [homeIds],
    );
    return rows.map(toRequest);
  }

  /** Records an answer for request `requestId` by the home at `homeEmail`. */
  async respond(input: {
    requestId: string;
    homeEmail: string;
    answer: HomeAnswer;
    reason?: string | undefined;
    /** Who answered (a member of the home's staff); the home's address when not given. */
    respondedBy?: string | undefined;
    /** An offer's details: the day a bed is free (`YYYY-MM-DD`) and any conditions. */
    bedAvailableOn?: string | undefined;
    conditions?: string | undefined;
  }): Promise<{ ok: true } | { ok: false; problem: RespondProblem }> {
    if (input.answer !== 'accepted' && (input.reason ?? '').trim() === '')
      return { ok: false, problem: 'reason-required' };
    const now = this.engine.services.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const row = (
        await tx.query<RequestRow & { current_seq: number; instance_state: string }>(
          `${select.replace('SELECT ', 'SELECT i.current_seq, i.state AS instance_state, ')} WHERE r.id = $1 AND lower(h.email) = lower($2)`,
          [input.requestId, input.homeEmail],
        )
      ).rows[0];
      if (!row) return { ok: false as const, problem: 'not-found' as const };
      // Serialises the homes of one referral, so exactly one of them completes the step.
      if (
        !(await this.engine.lockWaitingRun(tx, row.instance_id, row.current_seq, 'await-responses'))
      ) {
        return { ok: false as const, problem: 'closed' as const };
      }
      const offer = input.answer === 'accepted';
      const values = {
        reason: input.reason?.trim() || null,
        bedAvailableOn: offer ? (input.bedAvailableOn ?? null) : null,
        conditions: offer ? input.conditions?.trim() || null : null,
      };
      const updated = await tx.query(
        `UPDATE workflow_home_requests SET state = $2, reason = $3, responded_at = $4, responded_by = $5,
           bed_available_on = $6, conditions = $7
         WHERE id = $1 AND (state = 'awaiting' OR (state = 'more-information' AND $2 <> 'more-information'))
           AND token_expires_at > $4`,
        [
          input.requestId,
          input.answer,
          values.reason,
          now.toISOString(),
          (input.respondedBy ?? input.homeEmail).toLowerCase(),
          values.bedAvailableOn,
          values.conditions,
        ],
      );
      if (updated.rowCount === 0) {
        const expired = row.token_expires_at !== null && new Date(row.token_expires_at) <= now;
        return {
          ok: false as const,
          problem: expired ? ('expired' as const) : ('already-answered' as const),
        };
      }
      // The latest answer lives on the request; every answer, in order, lives here.
      await tx.query(
        `INSERT INTO workflow_home_responses (id, request_id, answer, reason, bed_available_on,
           conditions, responded_at, responded_by, organisation_id, retain_until)
         SELECT $2, id, $3, $4, $5, $6, $7, $8, organisation_id, retain_until
         FROM workflow_home_requests WHERE id = $1`,
        [
          input.requestId,
          randomUUID(),
          input.answer,
          values.reason,
          values.bedAvailableOn,
          values.conditions,
          now.toISOString(),
          (input.respondedBy ?? input.homeEmail).toLowerCase(),
        ],
      );
      await recordAudit(tx, {
        actorType: 'home',
        actorId: row.home_id,
        action: `referral.response.${input.answer}`,
        subjectType: 'submission',
        subjectId: row.submission_id,
        organisationId: row.organisation_id,
        at: now,
      });
      // Wakes the waiting step in this transaction (an offer changes the status at once).
      await this.engine.requestWake(tx, row.instance_id);
      const open = await tx.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM workflow_home_requests WHERE instance_id = $1 AND state IN ('awaiting', 'more-information')`,
        [row.instance_id],
      );
      if (Number(open.rows[0]?.count ?? 0) === 0) {
        const outcome = await toResponsesOutcome(tx, row.instance_id);
        await this.engine.completeWaiting(tx, row.instance_id, row.current_seq, outcome, {
          ...(outcome === 'offered' ? { status: 'offered' } : {}),
        });
      }
      return { ok: true as const, asked: input.answer === 'more-information', row };
    });
    this.engine.afterCommit();
    if (!result.ok) return result;
    if (result.asked) await this.tellReferrerOfQuestion(result.row);
    return { ok: true };
  }

  /**
   * Emails the referrer (an address the waiting step's `referrerEmail` points at) that a home
   * asked a question: the reference and a link, no personal data, so a crash mid-send is
   * retried. One email per question asked.
   */
  private async tellReferrerOfQuestion(row: RequestRow & { current_seq: number }): Promise<void> {
    const loaded = await this.engine.load(row.instance_id, row.current_seq);
    const pointer = (loaded?.context.step.options as { referrerEmail?: unknown } | undefined)
      ?.referrerEmail;
    if (!loaded || typeof pointer !== 'string') return;
    const to = readPointer(loaded.context.submission.data, pointer);
    if (typeof to !== 'string' || to === '') return;
    const { services } = this.engine;
    const { instance, submission } = loaded.context;
    const asked = await this.db.query<{ count: string | number }>(
      `SELECT count(*) AS count FROM workflow_home_responses
       WHERE request_id = $1 AND answer = 'more-information'`,
      [row.id],
    );
    await services.effects.emailOnce({
      owner: {
        instanceId: instance.id,
        submissionId: submission.id,
        organisationId: instance.organisationId,
        retainUntil: instance.retainUntil,
      },
      key: `${instance.id}/question/${row.id}/${String(asked.rows[0]?.count ?? 1)}/referrer`,
      recipient: 'referrer',
      prepare: () =>
        Promise.resolve({
          to,
          ...services.renderEmail('referrer-question', {
            reference: submission.reference,
            link: `${services.publicUrl}/referrals/${submission.reference}`,
          }),
        }),
      retryUncertain: true,
      audit: { template: 'referrer-question', recipientType: 'referrer' },
    });
  }
}
