import { randomUUID } from 'node:crypto';
import { recordAudit } from '../auth/audit.js';
import { AppError } from '../errors/app-error.js';
import type { Queryable } from '../store/database.js';
import { holdsPersonalData } from '../steps/email-personal-data.js';
import { toDurationMs } from './duration.js';
import { isPermanentFailure } from './permanent-step-error.js';
import type {
  InstanceRecord,
  StepContext,
  StepRunRecord,
  StepServices,
  StepType,
  SubmissionSnapshot,
} from './step-type.js';
import type { WorkflowCatalog } from './workflow-catalog.js';
import { toDateString } from '../store/to-date-string.js';
import { toNextStepId, type StepDefinition } from './workflow-definition.js';

/** Job names (outbox topics) the engine handles. Payloads hold ids only. */
export const workflowTopics = {
  start: 'workflow.start',
  step: 'workflow.step',
  timer: 'workflow.timer',
  /** Something a waiting step waits for was recorded: let the step look again now. */
  wake: 'workflow.wake',
} as const;

/** What the engine is built from. */
export interface WorkflowEngineOptions {
  services: StepServices;
  catalog: WorkflowCatalog;
  stepTypes: ReadonlyMap<string, StepType<never>>;
  /** Called after a commit that wrote outbox rows, so the relay runs soon. */
  nudge?: () => void;
}

interface InstanceRow {
  id: string;
  submission_id: string;
  workflow_id: string;
  workflow_version: string;
  state: string;
  status: string;
  current_step: string | null;
  current_seq: number;
  context: Record<string, unknown>;
  organisation_id: string;
  retain_until: Date | string;
}

interface RunRow {
  id: string;
  seq: number;
  step_id: string;
  step_type: string;
  state: string;
  attempt: number;
  outcome: string | null;
  result: Record<string, unknown>;
}

interface TimerRow {
  id: string;
  instance_id: string;
  seq: number;
  name: string;
  action: string;
  fire_at: Date | string;
  state: string;
  rounds: number;
}

/** Who withdrew or updated a referral, for the audit trail. */
export interface EngineActor {
  type: 'user' | 'api-token' | 'system' | 'home';
  id?: string;
}

const finishedStates = new Set(['completed', 'failed', 'withdrawn']);

function toInstance(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    submissionId: row.submission_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    state: row.state,
    status: row.status,
    currentStep: row.current_step,
    currentSeq: row.current_seq,
    context: row.context,
    organisationId: row.organisation_id,
    retainUntil: toDateString(row.retain_until),
  };
}

function toRun(row: RunRow): StepRunRecord {
  return {
    id: row.id,
    seq: row.seq,
    stepId: row.step_id,
    type: row.step_type,
    state: row.state,
    attempt: row.attempt,
    outcome: row.outcome,
    result: row.result,
  };
}

/** The job id of one attempt of one step run: deterministic, so relaying twice adds one job. */
export function toStepJobId(instanceId: string, seq: number, attempt: number): string {
  return `step-${instanceId}-${seq}-a${attempt}`;
}

/** The job id of a timer at its fire time (a rescheduled timer gets a new job). */
export function toTimerJobId(timerId: string, fireAt: Date): string {
  return `timer-${timerId}-${fireAt.getTime()}`;
}

/**
 * Runs workflow instances. Every state change is written with its outbox row in one
 * transaction; jobs only say which row to look at, and each handler first checks the row, so
 * a job run twice (a retry, a re-relay after a Redis wipe) changes nothing the second time.
 */
export class WorkflowEngine {
  readonly services: StepServices;
  private readonly catalog: WorkflowCatalog;
  private readonly stepTypes: ReadonlyMap<string, StepType<never>>;
  private readonly nudge: () => void;

  constructor(options: WorkflowEngineOptions) {
    this.services = options.services;
    this.catalog = options.catalog;
    this.stepTypes = options.stepTypes;
    this.nudge = options.nudge ?? (() => undefined);
  }

  /** Runs one job by its name (topic) and id-only payload. */
  async handleJob(name: string, data: Record<string, unknown>): Promise<void> {
    if (name === workflowTopics.start) await this.start(String(data.submissionId));
    else if (name === workflowTopics.step) {
      await this.runStep(String(data.instanceId), Number(data.seq), Number(data.attempt));
    } else if (name === workflowTopics.timer) await this.fireTimer(String(data.timerId));
    else if (name === workflowTopics.wake) await this.wake(String(data.instanceId));
  }

  /**
   * Writes, inside the caller's transaction, the outbox row that wakes the instance's waiting
   * step: the step moves on as soon as what it waits for is there (every home answered, an
   * offer accepted), not at its deadline, and a crash after the commit cannot lose the wake-up.
   */
  async requestWake(tx: Queryable, instanceId: string): Promise<void> {
    // A fresh id each time: BullMQ ignores a job id it still holds as completed.
    await enqueue(tx, workflowTopics.wake, `wake-${instanceId}-${randomUUID()}`, { instanceId });
  }

  /**
   * Records the local authority's decision for the waiting step and wakes it, in the caller's
   * transaction. False when a decision was already recorded (the first one stands).
   */
  async recordDecision(
    tx: Queryable,
    instanceId: string,
    decision: Record<string, unknown> & { decision: string },
  ): Promise<boolean> {
    const updated = await tx.query(
      `UPDATE workflow_instances SET context = context || $2::jsonb, updated_at = $3
       WHERE id = $1 AND NOT (context ? 'decision') RETURNING id`,
      [instanceId, JSON.stringify(decision), this.services.clock.now().toISOString()],
    );
    if (updated.rowCount === 0) return false;
    await this.requestWake(tx, instanceId);
    return true;
  }

  /**
   * Lets the instance's waiting step look at what was recorded ({@link StepType.resume}) and
   * end its wait if it has what it needs. True when the instance moved on.
   */
  async wake(instanceId: string): Promise<boolean> {
    const { db } = this.services;
    const row = (
      await db.query<{ state: string; current_seq: number }>(
        `SELECT state, current_seq FROM workflow_instances WHERE id = $1`,
        [instanceId],
      )
    ).rows[0];
    if (row?.state !== 'waiting') return false;
    const seq = row.current_seq;
    const loaded = await this.load(instanceId, seq);
    if (!loaded?.type.resume || loaded.context.run.state !== 'waiting') return false;
    const type = loaded.type;
    const moved = await db.transaction(async (tx) => {
      if (!(await this.lockWaitingRun(tx, instanceId, seq))) return false;
      const fresh = await this.load(instanceId, seq, tx);
      if (!fresh) return false;
      const resumed = (await type.resume?.(fresh.context, tx)) ?? {};
      if (resumed.outcome === undefined) {
        const status =
          resumed.status === fresh.context.instance.status ? undefined : resumed.status;
        if (status !== undefined || resumed.context)
          await this.updateInstance(tx, fresh.context.instance, status, resumed.context);
        return false;
      }
      return this.completeWaiting(tx, instanceId, seq, resumed.outcome, {
        ...(resumed.result ? { result: resumed.result } : {}),
        ...(resumed.status ? { status: resumed.status } : {}),
        ...(resumed.context ? { context: resumed.context } : {}),
      });
    });
    if (moved) this.nudge();
    return moved;
  }

  /** Wakes every waiting instance (the reconciler's sweep: a wake-up lost with Redis is redone). */
  async wakeAllWaiting(): Promise<number> {
    const { rows } = await this.services.db.query<{ id: string }>(
      `SELECT id FROM workflow_instances WHERE state = 'waiting'`,
    );
    let moved = 0;
    for (const row of rows) if (await this.wake(row.id)) moved += 1;
    return moved;
  }

  /** Creates the instance for a submission (once) and queues its first step. */
  async start(submissionId: string): Promise<string | undefined> {
    const { db, clock } = this.services;
    const { rows } = await db.query<{
      form_id: string;
      organisation_id: string;
      retain_until: Date | string;
    }>(`SELECT form_id, organisation_id, retain_until FROM submissions WHERE id = $1`, [
      submissionId,
    ]);
    const submission = rows[0];
    if (!submission) return undefined;
    const workflow = this.catalog.forForm(submission.form_id);
    if (!workflow) return undefined;
    const now = clock.now();
    const started = await db.transaction(async (tx) => {
      const id = randomUUID();
      const first = workflow.definition.steps[workflow.definition.start];
      if (!first) throw new AppError('ERR_WORKFLOW_DEFINITION_INVALID', 'no start step');
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO workflow_instances (id, submission_id, workflow_id, workflow_version, state,
           status, current_step, current_seq, organisation_id, created_at, updated_at, retain_until)
         VALUES ($1, $2, $3, $4, 'running', 'submitted', $5, 1, $6, $7, $7, $8)
         ON CONFLICT (submission_id) DO NOTHING RETURNING id`,
        [
          id,
          submissionId,
          workflow.definition.id,
          workflow.version,
          workflow.definition.start,
          submission.organisation_id,
          now.toISOString(),
          toDateString(submission.retain_until),
        ],
      );
      if (inserted.rows.length === 0) return undefined;
      await this.insertRun(tx, {
        instanceId: id,
        seq: 1,
        stepId: workflow.definition.start,
        type: first.type,
        organisationId: submission.organisation_id,
        retainUntil: toDateString(submission.retain_until),
      });
      return id;
    });
    if (started) this.nudge();
    return started;
  }

  /** Runs attempt `attempt` of step run `seq`, unless it already ran or was cancelled. */
  async runStep(instanceId: string, seq: number, attempt: number): Promise<void> {
    const loaded = await this.load(instanceId, seq);
    if (!loaded || loaded.context.run.state !== 'queued' || loaded.context.run.attempt !== attempt)
      return;
    const { context, type } = loaded;
    if (finishedStates.has(context.instance.state)) {
      await this.services.db.query(
        `UPDATE workflow_step_runs SET state = 'cancelled' WHERE instance_id = $1 AND seq = $2 AND state = 'queued'`,
        [instanceId, seq],
      );
      return;
    }
    let result;
    try {
      result = await type.run(context);
    } catch (error) {
      await this.recordFailure(context, error);
      return;
    }
    const now = this.services.clock.now();
    const outcome = result.outcome ?? 'done';
    await this.services.db.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE workflow_step_runs SET state = $3, outcome = $4, result = $5, finished_at = $6
         WHERE instance_id = $1 AND seq = $2 AND state = 'queued' AND attempt = $7 RETURNING id`,
        [
          instanceId,
          seq,
          result.wait ? 'waiting' : 'completed',
          result.wait ? null : outcome,
          JSON.stringify(result.result ?? {}),
          result.wait ? null : now.toISOString(),
          attempt,
        ],
      );
      if (updated.rowCount === 0) return;
      await result.commit?.(tx);
      await this.updateInstance(tx, context.instance, result.status, result.context);
      if (result.wait) {
        await tx.query(
          `UPDATE workflow_instances SET state = 'waiting', updated_at = $2 WHERE id = $1`,
          [instanceId, now.toISOString()],
        );
        await this.scheduleTimers(tx, context.instance, seq, context.step);
      } else {
        await this.advance(tx, context, outcome);
      }
    });
    this.nudge();
  }

  /**
   * Ends a waiting step with `outcome`, inside the caller's transaction (a coordinator's
   * approval, a home's last answer, a deadline). False when the step was no longer waiting, so
   * of two racing callers exactly one moves the instance on.
   */
  async completeWaiting(
    tx: Queryable,
    instanceId: string,
    seq: number,
    outcome: string,
    change: {
      result?: Record<string, unknown>;
      status?: string;
      context?: Record<string, unknown>;
    } = {},
  ): Promise<boolean> {
    const now = this.services.clock.now();
    const updated = await tx.query(
      `UPDATE workflow_step_runs SET state = 'completed', outcome = $3, finished_at = $4,
         result = result || $5::jsonb
       WHERE instance_id = $1 AND seq = $2 AND state = 'waiting' RETURNING id`,
      [instanceId, seq, outcome, now.toISOString(), JSON.stringify(change.result ?? {})],
    );
    if (updated.rowCount === 0) return false;
    await tx.query(
      `UPDATE workflow_timers SET state = 'cancelled' WHERE instance_id = $1 AND seq = $2 AND state = 'pending'`,
      [instanceId, seq],
    );
    const loaded = await this.load(instanceId, seq, tx);
    if (!loaded) return false;
    await this.updateInstance(tx, loaded.context.instance, change.status, change.context);
    await this.advance(tx, loaded.context, outcome);
    return true;
  }

  /** Locks the run `seq` of an instance; true if it is waiting (and of one of `stepType`). */
  async lockWaitingRun(
    tx: Queryable,
    instanceId: string,
    seq: number,
    stepType?: string | readonly string[],
  ): Promise<boolean> {
    const { rows } = await tx.query<{ state: string; step_type: string }>(
      `SELECT state, step_type FROM workflow_step_runs WHERE instance_id = $1 AND seq = $2 FOR UPDATE`,
      [instanceId, seq],
    );
    const row = rows[0];
    const types = typeof stepType === 'string' ? [stepType] : stepType;
    return row?.state === 'waiting' && (types === undefined || types.includes(row.step_type));
  }

  /** Wakes the relay after a caller's transaction wrote outbox rows. */
  afterCommit(): void {
    this.nudge();
  }

  /** Fires one timer if it is due and its step still waits; a timer fires at most once. */
  async fireTimer(timerId: string): Promise<void> {
    const { db, clock } = this.services;
    const timer = (
      await db.query<TimerRow>(`SELECT * FROM workflow_timers WHERE id = $1`, [timerId])
    ).rows[0];
    if (!timer || timer.state === 'fired' || timer.state === 'cancelled') return;
    const loaded = await this.load(timer.instance_id, timer.seq);
    if (!loaded) return;
    const { context, type } = loaded;
    let state = timer.state;
    if (state === 'pending') {
      const now = clock.now();
      if (new Date(timer.fire_at) > now) return;
      state = await db.transaction(async (tx) => {
        // The one conditional update that decides this timer against anything else.
        const claimed = await tx.query(
          `UPDATE workflow_timers SET state = 'firing', fired_at = $2
           WHERE id = $1 AND state = 'pending' AND fire_at <= $2 RETURNING id`,
          [timerId, now.toISOString()],
        );
        if (claimed.rowCount === 0) return 'gone';
        if (!(await this.lockWaitingRun(tx, timer.instance_id, timer.seq))) {
          await tx.query(`UPDATE workflow_timers SET state = 'cancelled' WHERE id = $1`, [timerId]);
          return 'gone';
        }
        if (timer.action !== 'expire') return 'firing';
        if (!type.expire)
          throw new AppError('ERR_WORKFLOW_DEFINITION_INVALID', `${type.type} cannot expire`);
        const expired = await type.expire(context, tx);
        await tx.query(`UPDATE workflow_timers SET state = 'fired' WHERE id = $1`, [timerId]);
        await this.completeWaiting(tx, timer.instance_id, timer.seq, expired.outcome, {
          ...(expired.result ? { result: expired.result } : {}),
          ...(expired.status ? { status: expired.status } : {}),
        });
        return 'fired';
      });
      if (state === 'fired') this.nudge();
    }
    if (state !== 'firing') return;
    const definition = context.step.timers?.find((candidate) => candidate.name === timer.name);
    const template =
      definition?.template ??
      (timer.action === 'escalate' ? 'coordinator-escalation' : 'home-reminder');
    const recipients =
      timer.action === 'remind'
        ? ((await type.reminderRecipients?.(context)) ?? [])
        : (await this.services.coordinators()).map(({ key, email }) => ({
            key,
            to: email,
            locals: {
              reference: context.submission.reference,
              reason: `“${context.step.title}” has waited longer than the workflow allows`,
              link: `${this.services.publicUrl}/coordinator/referrals/${context.submission.reference}`,
            },
            audit: { recipientType: 'coordinator' },
          }));
    for (const recipient of recipients) {
      await this.services.effects.emailOnce({
        owner: this.ownerOf(context),
        // the first round keeps the key it always had, so an email in flight is not sent twice
        key:
          timer.rounds > 0
            ? `timer/${timerId}/r${String(timer.rounds)}/${recipient.key}`
            : `timer/${timerId}/${recipient.key}`,
        recipient: recipient.key,
        prepare: () => {
          const rendered = this.services.renderEmail(template, recipient.locals);
          return Promise.resolve({ to: recipient.to, ...rendered });
        },
        retryUncertain: !holdsPersonalData({ template }, template),
        audit: { template, timer: timer.name, ...recipient.audit },
      });
    }
    await db.query(
      `UPDATE workflow_timers SET state = 'fired' WHERE id = $1 AND state = 'firing'`,
      [timerId],
    );
  }

  /** Fires every timer that is due by the clock (the reconciler's sweep; also how tests move time). */
  async fireDueTimers(): Promise<number> {
    const { rows } = await this.services.db.query<{ id: string }>(
      `SELECT id FROM workflow_timers WHERE (state = 'pending' AND fire_at <= $1) OR state = 'firing'
       ORDER BY fire_at`,
      [this.services.clock.now().toISOString()],
    );
    for (const row of rows) await this.fireTimer(row.id);
    return rows.length;
  }

  /**
   * The referrer withdrew: stops whatever runs or waits, tells nobody yet, and goes to the
   * workflow's `onWithdraw` step if it has one. False when the instance had already finished.
   */
  async withdraw(instanceId: string, actor: EngineActor, reason?: string): Promise<boolean> {
    const now = this.services.clock.now();
    const done = await this.services.db.transaction(async (tx) => {
      const row = (
        await tx.query<InstanceRow>(`SELECT * FROM workflow_instances WHERE id = $1 FOR UPDATE`, [
          instanceId,
        ])
      ).rows[0];
      if (!row || finishedStates.has(row.state) || row.status === 'withdrawn') return false;
      const instance = toInstance(row);
      await tx.query(
        `UPDATE workflow_step_runs SET state = 'cancelled', finished_at = $2
         WHERE instance_id = $1 AND state IN ('queued', 'waiting')`,
        [instanceId, now.toISOString()],
      );
      await tx.query(
        `UPDATE workflow_timers SET state = 'cancelled' WHERE instance_id = $1 AND state = 'pending'`,
        [instanceId],
      );
      await tx.query(
        `UPDATE workflow_home_requests SET state = 'withdrawn'
         WHERE instance_id = $1 AND state IN ('awaiting', 'more-information')`,
        [instanceId],
      );
      await tx.query(
        `UPDATE workflow_review_tasks SET state = 'cancelled' WHERE instance_id = $1 AND state = 'open'`,
        [instanceId],
      );
      await this.updateInstance(
        tx,
        instance,
        'withdrawn',
        reason ? { withdrawalReason: reason } : undefined,
      );
      const workflow = await this.catalog.version(
        instance.workflowId,
        instance.workflowVersion,
        tx,
      );
      const target = workflow.onWithdraw;
      const targetStep = target === undefined ? undefined : workflow.steps[target];
      const seq =
        (
          await tx.query<{ max: number | null }>(
            `SELECT max(seq) AS max FROM workflow_step_runs WHERE instance_id = $1`,
            [instanceId],
          )
        ).rows[0]?.max ?? 0;
      if (target !== undefined && targetStep) {
        await this.insertRun(tx, {
          ...instance,
          instanceId,
          seq: seq + 1,
          stepId: target,
          type: targetStep.type,
        });
        await tx.query(
          `UPDATE workflow_instances SET state = 'running', current_step = $2, current_seq = $3, updated_at = $4 WHERE id = $1`,
          [instanceId, target, seq + 1, now.toISOString()],
        );
      } else {
        await tx.query(
          `UPDATE workflow_instances SET state = 'withdrawn', updated_at = $2 WHERE id = $1`,
          [instanceId, now.toISOString()],
        );
      }
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'referral.withdraw',
        subjectType: 'submission',
        subjectId: instance.submissionId,
        organisationId: instance.organisationId,
        at: now,
      });
      return true;
    });
    if (done) this.nudge();
    return done;
  }

  /**
   * The referrer confirmed the referral is still needed: the update is stored and timers
   * marked `restartOnUpdate` on the waiting step start again from now, in one transaction.
   * False, with nothing stored, when nothing waits.
   */
  async recordUpdate(
    instanceId: string,
    actor: EngineActor,
    update: { changes: string | null },
  ): Promise<boolean> {
    const done = await this.services.db.transaction(async (tx) => {
      if (!(await this.restartTimers(tx, instanceId, actor, 'update'))) return false;
      await tx.query(
        `INSERT INTO referral_updates (id, instance_id, still_needed, changes, recorded_at,
           recorded_by, organisation_id, retain_until)
         SELECT $1, id, true, $2, $3, $4, organisation_id, retain_until FROM workflow_instances
         WHERE id = $5`,
        [
          randomUUID(),
          update.changes,
          this.services.clock.now().toISOString(),
          actor.id,
          instanceId,
        ],
      );
      return true;
    });
    if (done) this.nudge();
    return done;
  }

  /**
   * The referrer sent the three-monthly review, in the caller's transaction (which then calls
   * {@link afterCommit}): a review also says the referral is still needed, so timers marked
   * `restartOnReview` or `restartOnUpdate` on the waiting step start again from now. False
   * when nothing waits.
   */
  async recordReview(tx: Queryable, instanceId: string, actor: EngineActor): Promise<boolean> {
    return this.restartTimers(tx, instanceId, actor, 'review');
  }

  private async restartTimers(
    tx: Queryable,
    instanceId: string,
    actor: EngineActor,
    cause: 'update' | 'review',
  ): Promise<boolean> {
    const now = this.services.clock.now();
    const row = (
      await tx.query<InstanceRow>(`SELECT * FROM workflow_instances WHERE id = $1 FOR UPDATE`, [
        instanceId,
      ])
    ).rows[0];
    if (row?.state !== 'waiting' || row.status === 'withdrawn') return false;
    const instance = toInstance(row);
    const workflow = await this.catalog.version(instance.workflowId, instance.workflowVersion, tx);
    const step = workflow.steps[instance.currentStep ?? ''];
    for (const timer of step?.timers ?? []) {
      const restarts =
        timer.restartOnUpdate === true || (cause === 'review' && timer.restartOnReview === true);
      if (!restarts) continue;
      const fireAt = new Date(now.getTime() + toDurationMs(timer.after));
      // A reminder that already went is due again: a new round, so its emails are sent anew.
      const updated = await tx.query<{ id: string }>(
        `UPDATE workflow_timers SET fire_at = $4, fired_at = NULL,
           rounds = rounds + (CASE WHEN state = 'fired' THEN 1 ELSE 0 END), state = 'pending'
         WHERE instance_id = $1 AND seq = $2 AND name = $3
           AND (state = 'pending' OR (state = 'fired' AND action <> 'expire')) RETURNING id`,
        [instanceId, instance.currentSeq, timer.name, fireAt.toISOString()],
      );
      const id = updated.rows[0]?.id;
      if (id !== undefined) await this.enqueueTimer(tx, id, fireAt);
    }
    const at = { [cause === 'update' ? 'lastUpdateAt' : 'lastReviewAt']: now.toISOString() };
    await tx.query(
      `UPDATE workflow_instances SET context = context || $2::jsonb, updated_at = $3 WHERE id = $1`,
      [instanceId, JSON.stringify(at), now.toISOString()],
    );
    await recordAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: `referral.${cause}`,
      subjectType: 'submission',
      subjectId: instance.submissionId,
      organisationId: instance.organisationId,
      at: now,
    });
    return true;
  }

  /** Loads a run with everything its step type needs. */
  async load(
    instanceId: string,
    seq: number,
    q: Queryable = this.services.db,
  ): Promise<{ context: StepContext<never>; type: StepType<never> } | undefined> {
    const instanceRow = (
      await q.query<InstanceRow>(`SELECT * FROM workflow_instances WHERE id = $1`, [instanceId])
    ).rows[0];
    const runRow = (
      await q.query<RunRow>(
        `SELECT id, seq, step_id, step_type, state, attempt, outcome, result
         FROM workflow_step_runs WHERE instance_id = $1 AND seq = $2`,
        [instanceId, seq],
      )
    ).rows[0];
    if (!instanceRow || !runRow) return undefined;
    const instance = toInstance(instanceRow);
    const workflow = await this.catalog.version(instance.workflowId, instance.workflowVersion, q);
    const step = workflow.steps[runRow.step_id];
    const type = step ? this.stepTypes.get(step.type) : undefined;
    if (!step || !type) {
      throw new AppError(
        'ERR_WORKFLOW_DEFINITION_INVALID',
        `no step ${runRow.step_id} in ${workflow.id}`,
      );
    }
    const submission = await this.loadSubmission(q, instance.submissionId);
    return {
      context: {
        services: this.services,
        workflow,
        instance,
        submission,
        run: toRun(runRow),
        step,
        options: (step.options ?? {}) as never,
      },
      type,
    };
  }

  private async loadSubmission(q: Queryable, id: string): Promise<SubmissionSnapshot> {
    const row = (
      await q.query<{
        id: string;
        reference: string;
        form_id: string;
        form_version: string;
        data: Record<string, unknown>;
        organisation_id: string;
        retain_until: Date | string;
        submitted_at: Date | string;
      }>(
        `SELECT id, reference, form_id, form_version, data, organisation_id, retain_until, submitted_at
         FROM submissions WHERE id = $1`,
        [id],
      )
    ).rows[0];
    if (!row) throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'instance without a submission');
    return {
      id: row.id,
      reference: row.reference,
      formId: row.form_id,
      formVersion: row.form_version,
      data: row.data,
      organisationId: row.organisation_id,
      retainUntil: toDateString(row.retain_until),
      submittedAt: new Date(row.submitted_at),
    };
  }

  private ownerOf(context: StepContext<never>) {
    return {
      instanceId: context.instance.id,
      submissionId: context.instance.submissionId,
      organisationId: context.instance.organisationId,
      retainUntil: context.instance.retainUntil,
    };
  }

  private async updateInstance(
    tx: Queryable,
    instance: InstanceRecord,
    status: string | undefined,
    context: Record<string, unknown> | undefined,
  ): Promise<void> {
    const now = this.services.clock.now().toISOString();
    if (context) {
      await tx.query(
        `UPDATE workflow_instances SET context = context || $2::jsonb, updated_at = $3 WHERE id = $1`,
        [instance.id, JSON.stringify(context), now],
      );
    }
    if (status !== undefined) {
      await tx.query(`UPDATE workflow_instances SET status = $2, updated_at = $3 WHERE id = $1`, [
        instance.id,
        status,
        now,
      ]);
      await tx.query(`UPDATE submissions SET status = $2 WHERE id = $1`, [
        instance.submissionId,
        status,
      ]);
      await recordAudit(tx, {
        actorType: 'system',
        action: 'referral.status',
        subjectType: 'submission',
        subjectId: instance.submissionId,
        organisationId: instance.organisationId,
        details: { status },
        at: this.services.clock.now(),
      });
    }
  }

  private async advance(
    tx: Queryable,
    context: StepContext<never>,
    outcome: string,
  ): Promise<void> {
    const { instance, run, step, workflow } = context;
    const now = this.services.clock.now().toISOString();
    const next = toNextStepId(step, outcome);
    if (next === null) {
      await tx.query(
        `UPDATE workflow_instances SET state = 'completed', updated_at = $2 WHERE id = $1 AND state IN ('running', 'waiting')`,
        [instance.id, now],
      );
      return;
    }
    const nextStep: StepDefinition | undefined =
      next === undefined ? undefined : workflow.steps[next];
    if (next === undefined || !nextStep) {
      await this.failInstance(
        tx,
        instance,
        `Step "${run.stepId}" has no way on for outcome "${outcome}".`,
      );
      return;
    }
    await this.insertRun(tx, {
      ...instance,
      instanceId: instance.id,
      seq: run.seq + 1,
      stepId: next,
      type: nextStep.type,
    });
    await tx.query(
      `UPDATE workflow_instances SET state = 'running', current_step = $2, current_seq = $3, updated_at = $4
       WHERE id = $1 AND state IN ('running', 'waiting')`,
      [instance.id, next, run.seq + 1, now],
    );
  }

  private async insertRun(
    tx: Queryable,
    run: {
      instanceId: string;
      seq: number;
      stepId: string;
      type: string;
      organisationId: string;
      retainUntil: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO workflow_step_runs (instance_id, seq, step_id, step_type, state, attempt, created_at,
         organisation_id, retain_until)
       VALUES ($1, $2, $3, $4, 'queued', 1, $5, $6, $7)`,
      [
        run.instanceId,
        run.seq,
        run.stepId,
        run.type,
        this.services.clock.now().toISOString(),
        run.organisationId,
        run.retainUntil,
      ],
    );
    await enqueue(tx, workflowTopics.step, toStepJobId(run.instanceId, run.seq, 1), {
      instanceId: run.instanceId,
      seq: run.seq,
      attempt: 1,
    });
  }

  private async scheduleTimers(
    tx: Queryable,
    instance: InstanceRecord,
    seq: number,
    step: StepDefinition,
  ): Promise<void> {
    const now = this.services.clock.now();
    for (const timer of step.timers ?? []) {
      const id = randomUUID();
      const fireAt = new Date(now.getTime() + toDurationMs(timer.after));
      const inserted = await tx.query(
        `INSERT INTO workflow_timers (id, instance_id, seq, name, action, fire_at, state, organisation_id, retain_until)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) ON CONFLICT (instance_id, seq, name) DO NOTHING RETURNING id`,
        [
          id,
          instance.id,
          seq,
          timer.name,
          timer.action,
          fireAt.toISOString(),
          instance.organisationId,
          instance.retainUntil,
        ],
      );
      if (inserted.rowCount > 0) await this.enqueueTimer(tx, id, fireAt);
    }
  }

  private async enqueueTimer(tx: Queryable, timerId: string, fireAt: Date): Promise<void> {
    await enqueue(tx, workflowTopics.timer, toTimerJobId(timerId, fireAt), { timerId }, fireAt);
  }

  private async recordFailure(context: StepContext<never>, error: unknown): Promise<void> {
    const { instance, run, workflow } = context;
    const code = errorCodeOf(error);
    const permanent = isPermanentFailure(error) || run.attempt >= workflow.retry.attempts;
    const now = this.services.clock.now();
    await this.services.db.transaction(async (tx) => {
      if (permanent) {
        const updated = await tx.query(
          `UPDATE workflow_step_runs SET state = 'failed', error_code = $4, finished_at = $5
           WHERE instance_id = $1 AND seq = $2 AND attempt = $3 AND state = 'queued' RETURNING id`,
          [instance.id, run.seq, run.attempt, code, now.toISOString()],
        );
        if (updated.rowCount === 0) return;
        await this.failInstance(
          tx,
          instance,
          `Step "${run.stepId}" failed after ${run.attempt} attempt(s): ${code}.`,
        );
        return;
      }
      const updated = await tx.query(
        `UPDATE workflow_step_runs SET attempt = attempt + 1, error_code = $4
         WHERE instance_id = $1 AND seq = $2 AND attempt = $3 AND state = 'queued' RETURNING id`,
        [instance.id, run.seq, run.attempt, code],
      );
      if (updated.rowCount === 0) return;
      const delayMs = workflow.retry.backoffSeconds * 1000 * 2 ** (run.attempt - 1);
      const attempt = run.attempt + 1;
      await enqueue(
        tx,
        workflowTopics.step,
        toStepJobId(instance.id, run.seq, attempt),
        { instanceId: instance.id, seq: run.seq, attempt },
        new Date(now.getTime() + delayMs),
      );
    });
    this.nudge();
  }

  /** Marks an attempt lost (its job ended without the database hearing): counts as a failure. */
  async recordLostAttempt(instanceId: string, seq: number, attempt: number): Promise<void> {
    const loaded = await this.load(instanceId, seq);
    if (!loaded || loaded.context.run.state !== 'queued' || loaded.context.run.attempt !== attempt)
      return;
    await this.recordFailure(
      loaded.context,
      new AppError('ERR_QUEUE_UNAVAILABLE', 'job ended without a result'),
    );
  }

  private async failInstance(
    tx: Queryable,
    instance: InstanceRecord,
    message: string,
  ): Promise<void> {
    const now = this.services.clock.now().toISOString();
    await tx.query(
      `UPDATE workflow_instances SET state = 'failed', updated_at = $2 WHERE id = $1`,
      [instance.id, now],
    );
    await tx.query(
      `INSERT INTO workflow_flags (instance_id, kind, message, created_at, organisation_id, retain_until)
       VALUES ($1, 'step-failed', $2, $3, $4, $5)`,
      [instance.id, message, now, instance.organisationId, instance.retainUntil],
    );
  }
}

/** Writes an outbox row; the same job id twice is one row. */
export async function enqueue(
  tx: Queryable,
  topic: string,
  jobId: string,
  payload: Record<string, unknown>,
  notBefore?: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (topic, job_id, payload, not_before) VALUES ($1, $2, $3, $4)
     ON CONFLICT (job_id) DO NOTHING`,
    [topic, jobId, JSON.stringify(payload), notBefore?.toISOString() ?? null],
  );
}

function errorCodeOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return 'unknown';
}
