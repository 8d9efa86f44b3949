import { randomUUID } from 'node:crypto';
import { recordAudit } from '../auth/audit.js';
import type { SendEmailOptions } from '../generated/workflows/step-options.js';
import type { MailMessage } from '../ports/mailer.js';
import { buildHomeEmail } from '../steps/send-email.js';
import type { Database } from '../store/database.js';
import { HomesStore } from './homes-store.js';
import type { StepContext } from './step-type.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** Why a resend did not happen. */
export type ResendProblem = 'not-found' | 'closed';

/** What {@link PackEmailResender.resend} reports. */
export type ResendResult =
  | { ok: true; messageId: string; outcome: 'sent' | 'already-sent' | 'uncertain' }
  | { ok: false; problem: ResendProblem };

/**
 * Resends a home's pack email on a coordinator's request: the same link (the token is derived
 * from the original email), the workflow's real deadline, a new Message-ID (the home may have
 * deleted the first). Each resend is its own side effect, recorded before and after sending,
 * and resolves the flag of an original send a crash left uncertain.
 */
export class PackEmailResender {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
  ) {}

  /**
   * Resends the pack email of referral `reference` to home `homeId`. `not-found` when the
   * referral never went to that home; `closed` once the home has answered, its link expired or
   * the referral closed.
   */
  async resend(input: {
    reference: string;
    homeId: string;
    coordinator: { id: string };
  }): Promise<ResendResult> {
    const { services } = this.engine;
    const found = (
      await this.db.query<{
        instance_id: string;
        submission_id: string;
        organisation_id: string;
        retain_until: Date | string;
        state: string;
        token_expires_at: Date | string | null;
      }>(
        `SELECT i.id AS instance_id, i.submission_id, i.organisation_id, i.retain_until, r.state,
           r.token_expires_at
         FROM submissions s JOIN workflow_instances i ON i.submission_id = s.id
         JOIN workflow_home_requests r ON r.instance_id = i.id AND r.home_id = $2
         WHERE s.reference = $1`,
        [input.reference, input.homeId],
      )
    ).rows[0];
    if (!found) return { ok: false, problem: 'not-found' };
    const context = await this.packStepOf(found.instance_id, input.homeId);
    const home = await new HomesStore(this.db).get(input.homeId);
    if (!context || !home) return { ok: false, problem: 'not-found' };
    const now = services.clock.now();
    const open =
      ['awaiting', 'more-information'].includes(found.state) &&
      found.token_expires_at !== null &&
      new Date(found.token_expires_at) > now;
    if (!open) return { ok: false, problem: 'closed' };
    let attachments: MailMessage['attachments'];
    if (context.context.options.attachPack === true) {
      const key = context.context.instance.context.packKey;
      const pack = typeof key === 'string' ? await services.documents.get(key) : undefined;
      if (!pack) return { ok: false, problem: 'not-found' };
      attachments = [
        {
          filename: `${input.reference}.pdf`,
          content: pack.content,
          contentType: 'application/pdf',
        },
      ];
    }
    const resendKey = `${context.effectKey}/resend/${randomUUID()}`;
    const outcome = await services.effects.emailOnce({
      owner: {
        instanceId: found.instance_id,
        submissionId: found.submission_id,
        organisationId: found.organisation_id,
        retainUntil: context.context.instance.retainUntil,
      },
      key: resendKey,
      recipient: `home:${home.id}`,
      prepare: (tx) => buildHomeEmail(context.context, home, tx, attachments),
      retryUncertain: attachments === undefined,
      audit: {
        template: context.context.options.template,
        homeId: home.id,
        resendOf: context.effectId,
        requestedBy: input.coordinator.id,
      },
    });
    const effect = (
      await this.db.query<{ id: string }>(
        `SELECT id FROM workflow_side_effects WHERE effect_key = $1`,
        [resendKey],
      )
    ).rows[0];
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE workflow_flags SET resolved_at = $2, resolved_by = $3
         WHERE side_effect_id = $1 AND resolved_at IS NULL`,
        [context.effectId, now.toISOString(), input.coordinator.id],
      );
      await recordAudit(tx, {
        actorType: 'user',
        actorId: input.coordinator.id,
        action: 'email.resend',
        subjectType: 'submission',
        subjectId: found.submission_id,
        organisationId: found.organisation_id,
        details: { homeId: home.id, effect: effect?.id, resendOf: context.effectId },
        at: now,
      });
    });
    return { ok: true, messageId: `<${effect?.id ?? ''}@formwork.invalid>`, outcome };
  }

  /** The send-email run that gave this home its link, with its original side effect. */
  private async packStepOf(
    instanceId: string,
    homeId: string,
  ): Promise<
    { context: StepContext<SendEmailOptions>; effectKey: string; effectId: string } | undefined
  > {
    const { rows } = await this.db.query<{ id: string; effect_key: string }>(
      `SELECT id, effect_key FROM workflow_side_effects
       WHERE instance_id = $1 AND kind = 'email' AND recipient = $2 AND effect_key NOT LIKE '%/resend/%'
       ORDER BY effect_key`,
      [instanceId, `home:${homeId}`],
    );
    for (const row of rows) {
      const seq = Number(row.effect_key.split('/')[1]);
      if (!Number.isInteger(seq)) continue;
      const loaded = await this.engine.load(instanceId, seq);
      const step = loaded?.context.step;
      if (!loaded || step?.type !== 'send-email') continue;
      const context = loaded.context as unknown as StepContext<SendEmailOptions>;
      if (context.options.link !== 'home-response') continue;
      return { context, effectKey: row.effect_key, effectId: row.id };
    }
    return undefined;
  }
}
