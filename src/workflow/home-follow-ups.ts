import { randomUUID } from 'node:crypto';
import { recordAudit } from '../auth/audit.js';
import type { SendEmailOptions } from '../generated/workflows/step-options.js';
import { moreHomesOutcome } from '../steps/await-decision.js';
import { buildHomeEmail, hashLinkToken, toHomeEmailKey } from '../steps/send-email.js';
import type { Database, Queryable } from '../store/database.js';
import { HomesStore } from './homes-store.js';
import type { StepContext } from './step-type.js';
import { toNextStepId, type StepDefinition } from './workflow-definition.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** Why a follow-up did not happen. */
export type FollowUpProblem = 'not-found' | 'closed' | 'already-approached';

/**
 * How more homes can be approached now: `alongside` the homes whose answers are awaited (each
 * sent its pack at once), or in a `new-search` once every home approached declined or did not
 * answer in time (the workflow sends the packs and waits for those homes again).
 */
export type ApproachMode = 'alongside' | 'new-search';

/** Thrown inside an email's transaction when the referral stopped waiting for homes. */
class NoLongerWaiting extends Error {}

/** The referral's instance, waiting for homes' answers. */
interface WaitingInstance {
  id: string;
  submission_id: string;
  organisation_id: string;
  retain_until: Date | string;
  current_seq: number;
  state: string;
}

/** The states of a home request that keep a search going: an offer open, an answer awaited. */
export const liveRequestStates: readonly string[] = ['accepted', 'awaiting', 'more-information'];

/**
 * Whether more homes may be approached in a new search: the workflow waits in an
 * `await-decision` step that maps `more-homes`, nothing was decided, and no request is live.
 */
export function maySearchAgain(facts: {
  step: StepDefinition | undefined;
  decision: unknown;
  liveRequests: number;
}): boolean {
  const { step } = facts;
  if (step?.type !== 'await-decision') return false;
  if (typeof toNextStepId(step, moreHomesOutcome) !== 'string') return false;
  return facts.decision === undefined && facts.liveRequests === 0;
}

/**
 * What a coordinator does for homes while a referral waits for their answers: approach more
 * homes (after declines, say), each sent its pack email exactly as the workflow's own email step
 * sends it, and chase a home that has not answered with a reminder that holds no personal data.
 * Both are audited.
 */
export class HomeFollowUps {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
  ) {}

  /** How more homes can be approached for referral `reference` now, if they can. */
  async approachMode(reference: string): Promise<ApproachMode | undefined> {
    const instance = await this.waitingInstance(reference);
    if (!instance) return undefined;
    if (await this.isAwaitingResponses(instance)) return 'alongside';
    return (await this.canSearchAgain(this.db, instance)) ? 'new-search' : undefined;
  }

  /**
   * Sends the pack email to homes not yet approached for referral `reference`. `closed` unless
   * the referral waits for homes' answers, or every home approached declined or did not answer
   * and the local authority has not decided (then the workflow searches again with these
   * homes); `already-approached` when one was sent it before.
   */
  async approach(input: {
    reference: string;
    homeIds: readonly string[];
    coordinator: { id: string };
    /** Why homes without a declared vacancy are approached (kept in the audit record). */
    reason?: string;
  }): Promise<{ ok: true } | { ok: false; problem: FollowUpProblem }> {
    const instance = await this.waitingInstance(input.reference);
    if (!instance) return { ok: false, problem: 'not-found' };
    if (!(await this.isAwaitingResponses(instance))) {
      if (!(await this.canSearchAgain(this.db, instance))) return { ok: false, problem: 'closed' };
      return this.searchAgain(instance, input);
    }
    const sender = await this.packStepOf(instance.id);
    if (!sender || sender.options.attachPack === true) return { ok: false, problem: 'closed' };
    const { rows: approached } = await this.db.query<{ home_id: string }>(
      `SELECT home_id FROM workflow_home_requests WHERE instance_id = $1`,
      [instance.id],
    );
    if (approached.some((row) => input.homeIds.includes(row.home_id)))
      return { ok: false, problem: 'already-approached' };
    const store = new HomesStore(this.db);
    const homes = [];
    for (const id of input.homeIds) {
      const home = await store.get(id);
      if (!home) return { ok: false, problem: 'not-found' };
      homes.push(home);
    }
    const { services } = this.engine;
    const deadline = await this.deadlineOf(instance);
    for (const home of homes) {
      try {
        await services.effects.emailOnce({
          owner: this.ownerOf(instance),
          key: toHomeEmailKey(instance.id, sender.run.seq, home.id),
          recipient: `home:${home.id}`,
          prepare: async (tx) => {
            // Checked again in the transaction that opens the request: never a link to a
            // referral whose homes are no longer waited for.
            if (!(await this.engine.lockWaitingRun(tx, instance.id, instance.current_seq)))
              throw new NoLongerWaiting('the referral no longer waits for homes');
            // The home answers by the deadline the others have, the waiting step's own.
            await tx.query(
              `INSERT INTO workflow_home_requests (id, instance_id, home_id, token_hash, token_expires_at,
                 state, created_at, organisation_id, retain_until)
               VALUES ($1, $2, $3, $4, $5, 'awaiting', $6, $7, $8) ON CONFLICT (instance_id, home_id) DO NOTHING`,
              [
                randomUUID(),
                instance.id,
                home.id,
                hashLinkToken(randomUUID()),
                deadline?.toISOString() ?? null,
                services.clock.now().toISOString(),
                instance.organisation_id,
                new Date(instance.retain_until).toISOString(),
              ],
            );
            return buildHomeEmail(sender, home, tx);
          },
          retryUncertain: true,
          audit: {
            template: sender.options.template,
            homeId: home.id,
            approachedBy: input.coordinator.id,
          },
        });
      } catch (error) {
        if (error instanceof NoLongerWaiting) return { ok: false, problem: 'closed' };
        throw error;
      }
    }
    await recordAudit(this.db, {
      actorType: 'user',
      actorId: input.coordinator.id,
      action: 'referral.homes.approach',
      subjectType: 'submission',
      subjectId: instance.submission_id,
      organisationId: instance.organisation_id,
      details: { homeIds: homes.map((home) => home.id) },
      ...(input.reason ? { reason: input.reason } : {}),
      at: services.clock.now(),
    });
    return { ok: true };
  }

  /**
   * Emails a reminder to a home that has not answered referral `reference` (the reference and a
   * link to sign in, nothing about the child). `closed` once the home answered or its link expired.
   */
  async chase(input: {
    reference: string;
    homeId: string;
    coordinator: { id: string };
  }): Promise<{ ok: true } | { ok: false; problem: FollowUpProblem }> {
    const instance = await this.waitingInstance(input.reference);
    if (!instance) return { ok: false, problem: 'not-found' };
    const request = (
      await this.db.query<{
        state: string;
        token_expires_at: Date | string | null;
        name: string;
        email: string;
      }>(
        `SELECT r.state, r.token_expires_at, h.name, h.email FROM workflow_home_requests r
         JOIN homes h ON h.id = r.home_id WHERE r.instance_id = $1 AND r.home_id = $2`,
        [instance.id, input.homeId],
      )
    ).rows[0];
    if (!request) return { ok: false, problem: 'not-found' };
    const { services } = this.engine;
    const now = services.clock.now();
    const respondBy = request.token_expires_at ? new Date(request.token_expires_at) : undefined;
    if (
      !['awaiting', 'more-information'].includes(request.state) ||
      !respondBy ||
      respondBy <= now ||
      !(await this.isAwaitingResponses(instance))
    )
      return { ok: false, problem: 'closed' };
    const key = `${instance.id}/chase/${input.homeId}/${randomUUID()}`;
    await services.effects.emailOnce({
      owner: this.ownerOf(instance),
      key,
      recipient: `home:${input.homeId}`,
      prepare: () =>
        Promise.resolve({
          to: request.email,
          ...services.renderEmail('home-reminder', {
            reference: input.reference,
            homeName: request.name,
            link: `${services.publicUrl}/homes/requests`,
            respondBy,
          }),
        }),
      retryUncertain: true,
      audit: { template: 'home-reminder', homeId: input.homeId, requestedBy: input.coordinator.id },
    });
    await recordAudit(this.db, {
      actorType: 'user',
      actorId: input.coordinator.id,
      action: 'referral.home.chase',
      subjectType: 'submission',
      subjectId: instance.submission_id,
      organisationId: instance.organisation_id,
      details: { homeId: input.homeId, template: 'home-reminder' },
      at: now,
    });
    return { ok: true };
  }

  /**
   * Ends the wait for the local authority's decision with `more-homes`, recording the homes in
   * the same transaction: the workflow then marks the referral searching, sends each home its
   * pack once, tells the referrer and waits for the homes' answers with fresh timers.
   */
  private async searchAgain(
    instance: WaitingInstance,
    input: { homeIds: readonly string[]; coordinator: { id: string }; reason?: string },
  ): Promise<{ ok: true } | { ok: false; problem: FollowUpProblem }> {
    const homeIds = [...new Set(input.homeIds)];
    const { clock } = this.engine.services;
    const result = await this.db.transaction(async (tx) => {
      const known = await tx.query(`SELECT id FROM homes WHERE id = ANY($1::text[])`, [homeIds]);
      if (homeIds.length === 0 || known.rowCount !== homeIds.length) return 'not-found' as const;
      // Locked, then checked again: a decision or another approach recorded meanwhile wins.
      const seq = instance.current_seq;
      if (!(await this.engine.lockWaitingRun(tx, instance.id, seq, 'await-decision')))
        return 'closed' as const;
      const fresh = await this.freshInstance(tx, instance.id);
      if (!fresh || fresh.current_seq !== seq || !(await this.canSearchAgain(tx, fresh)))
        return 'closed' as const;
      const taken = await tx.query(
        `SELECT 1 FROM workflow_home_requests WHERE instance_id = $1 AND home_id = ANY($2::text[])`,
        [instance.id, homeIds],
      );
      if (taken.rowCount > 0) return 'already-approached' as const;
      const moved = await this.engine.completeWaiting(tx, instance.id, seq, moreHomesOutcome, {
        result: { moreHomeIds: homeIds, approachedBy: input.coordinator.id },
        context: { moreHomeIds: homeIds },
      });
      if (!moved) return 'closed' as const;
      await recordAudit(tx, {
        actorType: 'user',
        actorId: input.coordinator.id,
        action: 'referral.homes.approach',
        subjectType: 'submission',
        subjectId: instance.submission_id,
        organisationId: instance.organisation_id,
        details: { homeIds, newSearch: true },
        ...(input.reason ? { reason: input.reason } : {}),
        at: clock.now(),
      });
      return 'ok' as const;
    });
    if (result !== 'ok') return { ok: false, problem: result };
    this.engine.afterCommit();
    return { ok: true };
  }

  /**
   * True when the referral waits for the local authority's decision with nothing to decide on:
   * no offer open, no home still to answer, no decision recorded, and the workflow says where
   * approaching more homes goes.
   */
  private async canSearchAgain(q: Queryable, instance: WaitingInstance): Promise<boolean> {
    if (instance.state !== 'waiting') return false;
    const loaded = await this.engine.load(instance.id, instance.current_seq, q);
    const context = loaded?.context;
    if (!context || context.run.state !== 'waiting') return false;
    const { rows } = await q.query<{ count: string | number }>(
      `SELECT count(*) AS count FROM workflow_home_requests WHERE instance_id = $1
       AND state = ANY($2::text[])`,
      [instance.id, liveRequestStates],
    );
    return maySearchAgain({
      step: context.step,
      decision: context.instance.context.decision,
      liveRequests: Number(rows[0]?.count ?? 0),
    });
  }

  private async freshInstance(tx: Queryable, id: string): Promise<WaitingInstance | undefined> {
    const { rows } = await tx.query<WaitingInstance>(
      `SELECT id, submission_id, organisation_id, retain_until, current_seq, state
       FROM workflow_instances WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  private async waitingInstance(reference: string): Promise<WaitingInstance | undefined> {
    const { rows } = await this.db.query<WaitingInstance>(
      `SELECT i.id, i.submission_id, i.organisation_id, i.retain_until, i.current_seq, i.state
       FROM workflow_instances i JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
      [reference],
    );
    return rows[0];
  }

  private async isAwaitingResponses(instance: WaitingInstance): Promise<boolean> {
    if (instance.state !== 'waiting') return false;
    const loaded = await this.engine.load(instance.id, instance.current_seq);
    return loaded?.context.step.type === 'await-responses';
  }

  /** When the waiting step gives up on the homes (its `expire` timer), if it has one. */
  private async deadlineOf(instance: WaitingInstance): Promise<Date | undefined> {
    const { rows } = await this.db.query<{ fire_at: Date | string }>(
      `SELECT fire_at FROM workflow_timers WHERE instance_id = $1 AND seq = $2 AND action = 'expire'`,
      [instance.id, instance.current_seq],
    );
    return rows[0] ? new Date(rows[0].fire_at) : undefined;
  }

  private ownerOf(instance: WaitingInstance) {
    return {
      instanceId: instance.id,
      submissionId: instance.submission_id,
      organisationId: instance.organisation_id,
      retainUntil: new Date(instance.retain_until).toISOString(),
    };
  }

  /** The send-email run that gave the homes their links (the latest, if there were several). */
  private async packStepOf(instanceId: string): Promise<StepContext<SendEmailOptions> | undefined> {
    const { rows } = await this.db.query<{ seq: number }>(
      `SELECT seq FROM workflow_step_runs WHERE instance_id = $1 AND state = 'completed'
       ORDER BY seq DESC`,
      [instanceId],
    );
    for (const row of rows) {
      const loaded = await this.engine.load(instanceId, row.seq);
      if (loaded?.context.step.type !== 'send-email') continue;
      const context = loaded.context as unknown as StepContext<SendEmailOptions>;
      if (context.options.link === 'home-response') return context;
    }
    return undefined;
  }
}
