import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { SendEmailOptions } from '../generated/workflows/step-options.js';
import type { MailMessage } from '../ports/mailer.js';
import type { Queryable } from '../store/database.js';
import { HomesStore, type HomeRecord } from '../workflow/homes-store.js';
import { PermanentStepError } from '../workflow/permanent-step-error.js';
import type { StepContext, StepType } from '../workflow/step-type.js';
import { toDurationMs } from '../workflow/duration.js';
import type { WorkflowDefinition } from '../workflow/workflow-definition.js';
import { checkEmailPrivacy, holdsPersonalData } from './email-personal-data.js';

/** The hash a home-response link token is stored under. */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A home's link token, derived from its email's side-effect key: every send of that email
 * (a retry after a crash, a coordinator's resend) carries the same working link.
 */
export function toHomeLinkToken(secret: string, effectKey: string): string {
  return createHmac('sha256', secret).update(`home-link:${effectKey}`).digest('base64url');
}

/** The side-effect key of the email step run `seq` sends to home `homeId`. */
export function toHomeEmailKey(instanceId: string, seq: number, homeId: string): string {
  return `${instanceId}/${String(seq)}/home-${homeId}`;
}

/**
 * When homes must answer and when they are chased, from the timers of the waiting step
 * `answerStep` counted from `from`: the workflow's real deadline, not a fixed link life.
 */
export function toAnswerDeadlines(
  workflow: WorkflowDefinition,
  answerStep: string | undefined,
  from: Date,
): { respondBy?: Date; remindAt?: Date } {
  const timers = answerStep === undefined ? [] : (workflow.steps[answerStep]?.timers ?? []);
  const at = (action: string) => {
    const timer = timers.find((candidate) => candidate.action === action);
    return timer ? new Date(from.getTime() + toDurationMs(timer.after)) : undefined;
  };
  const respondBy = at('expire');
  const remindAt = at('remind');
  return { ...(respondBy ? { respondBy } : {}), ...(remindAt ? { remindAt } : {}) };
}

/**
 * Builds the email to one home inside the transaction that records its intent, and (for
 * `link: home-response`) opens the home's request with its link token and expiry. Also used to
 * resend a pack email on a coordinator's request ({@link PackEmailResender}).
 */
export async function buildHomeEmail(
  context: StepContext<SendEmailOptions>,
  home: HomeRecord,
  tx: Queryable,
  attachments?: MailMessage['attachments'],
): Promise<MailMessage> {
  const { services, instance, submission, run, options, workflow } = context;
  let link = `${services.publicUrl}/homes/requests`;
  const now = services.clock.now();
  const deadlines = toAnswerDeadlines(workflow, options.answerStep, now);
  let expiresAt: Date | undefined;
  if (options.link === 'home-response') {
    const token = toHomeLinkToken(
      services.linkSecret,
      toHomeEmailKey(instance.id, run.seq, home.id),
    );
    const existing = await tx.query<{ token_expires_at: Date | string | null }>(
      `SELECT token_expires_at FROM workflow_home_requests WHERE instance_id = $1 AND home_id = $2`,
      [instance.id, home.id],
    );
    // A resend keeps the request's deadline; the first send sets it from the workflow's timers.
    const stored = existing.rows[0]?.token_expires_at;
    expiresAt =
      stored !== undefined && stored !== null
        ? new Date(stored)
        : (deadlines.respondBy ??
          new Date(now.getTime() + (options.linkValidDays ?? 14) * 86_400_000));
    await tx.query(
      `INSERT INTO workflow_home_requests (id, instance_id, home_id, token_hash, token_expires_at, state,
         created_at, organisation_id, retain_until)
       VALUES ($1, $2, $3, $4, $5, 'awaiting', $6, $7, $8)
       ON CONFLICT (instance_id, home_id) DO UPDATE SET token_hash = $4`,
      [
        randomUUID(),
        instance.id,
        home.id,
        hashLinkToken(token),
        expiresAt.toISOString(),
        now.toISOString(),
        instance.organisationId,
        instance.retainUntil,
      ],
    );
    link = `${services.publicUrl}/homes/respond/${token}`;
  }
  const respondBy = expiresAt ?? deadlines.respondBy ?? now;
  return {
    to: home.email,
    ...services.renderEmail(options.template, {
      reference: submission.reference,
      homeName: home.name,
      link,
      respondBy,
      ...(expiresAt && expiresAt.getTime() !== respondBy.getTime()
        ? { linkExpires: expiresAt }
        : {}),
      ...(deadlines.remindAt && deadlines.remindAt < respondBy
        ? { remindAt: deadlines.remindAt }
        : {}),
      outcome: instance.status,
      packAttached: attachments !== undefined,
    }),
    ...(attachments ? { attachments } : {}),
  };
}

async function homesFor(context: StepContext<SendEmailOptions>): Promise<HomeRecord[]> {
  const { services, instance, options } = context;
  const store = new HomesStore(services.db);
  let ids: string[];
  if (options.to === 'approved-homes') {
    const approved = instance.context.approvedHomeIds;
    // Nothing goes to a home before a coordinator approved the list.
    if (!Array.isArray(approved)) throw new PermanentStepError('no approved list of homes');
    ids = approved.map(String);
  } else if (options.to === 'more-homes') {
    const more = instance.context.moreHomeIds;
    // Set with the transition a coordinator's approach after declines makes (HomeFollowUps).
    if (!Array.isArray(more)) throw new PermanentStepError('no further homes were approached');
    ids = more.map(String);
  } else if (options.to === 'chosen-home') {
    const chosen = instance.context.chosenHomeId;
    if (typeof chosen !== 'string') throw new PermanentStepError('no chosen home');
    ids = [chosen];
  } else {
    const { rows } = await services.db.query<{ home_id: string }>(
      `SELECT home_id FROM workflow_home_requests WHERE instance_id = $1 ORDER BY home_id`,
      [instance.id],
    );
    const chosen = instance.context.chosenHomeId;
    ids = rows
      .map((row) => row.home_id)
      .filter((id) => options.to === 'all-requested-homes' || id !== chosen);
  }
  const homes: HomeRecord[] = [];
  for (const id of ids) {
    const home = await store.get(id);
    if (!home) throw new PermanentStepError(`no home ${id} in the directory`);
    homes.push(home);
  }
  return homes;
}

/**
 * `send-email`: one email per recipient through the Mailer port, each sent at most once. By
 * default an email holds no personal data: homes get a single-purpose, expiring link to a
 * signed-in page with the pack; `attachPack` also attaches it.
 */
export const sendEmail: StepType<SendEmailOptions> = {
  type: 'send-email',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['to', 'template'],
    properties: {
      to: {
        description:
          '`chosen-home`: the home whose offer was taken up; `other-homes`: every other home sent the referral; `more-homes`: the homes a coordinator approached after every earlier one declined.',
        enum: [
          'approved-homes',
          'more-homes',
          'other-homes',
          'all-requested-homes',
          'chosen-home',
          'coordinator',
        ],
      },
      template: { type: 'string', minLength: 1 },
      link: {
        description: '`home-response`: each home gets its own link to read the pack and answer.',
        enum: ['home-response', 'none'],
      },
      linkValidDays: {
        description: 'How long a link works when no `answerStep` gives the deadline.',
        type: 'integer',
        minimum: 1,
        maximum: 90,
      },
      answerStep: {
        description:
          'The waiting step whose timers give the homes their deadline (`expire`) and reminder (`remind`); the link works until that deadline.',
        type: 'string',
      },
      attachPack: { type: 'boolean' },
      personalData: {
        description:
          'Whether the emails hold personal data (default: what the template declares). An uncertain send is retried only when they do not.',
        type: 'boolean',
      },
    },
  },
  outcomes: ['done'],
  formPointers: () => [],
  checkOptions(options, workflow) {
    const problems = checkEmailPrivacy(options, options.template);
    if (options.answerStep !== undefined) {
      const step = workflow.steps[options.answerStep];
      if (!step)
        problems.push({
          at: '/answerStep',
          message: `names the step "${options.answerStep}", which does not exist`,
        });
      else if (!(step.timers ?? []).some((timer) => timer.action === 'expire'))
        problems.push({
          at: '/answerStep',
          message: `the step "${options.answerStep}" has no expire timer to give a deadline`,
        });
    }
    return problems;
  },
  async run(context) {
    const { services, instance, submission, run, options } = context;
    const owner = {
      instanceId: instance.id,
      submissionId: submission.id,
      organisationId: instance.organisationId,
      retainUntil: instance.retainUntil,
    };
    let attachments: MailMessage['attachments'];
    if (options.attachPack === true) {
      const key = instance.context.packKey;
      const pack = typeof key === 'string' ? await services.documents.get(key) : undefined;
      if (!pack) throw new PermanentStepError('no pack to attach');
      attachments = [
        {
          filename: `${submission.reference}.pdf`,
          content: pack.content,
          contentType: 'application/pdf',
        },
      ];
    }
    const outcomes: Record<string, string> = {};
    if (options.to === 'coordinator') {
      for (const { key, email: to } of await services.coordinators()) {
        outcomes[key] = await services.effects.emailOnce({
          owner,
          key: `${instance.id}/${run.seq}/${key}`,
          recipient: key,
          prepare: () =>
            Promise.resolve({
              to,
              ...services.renderEmail(options.template, {
                reference: submission.reference,
                link: `${services.publicUrl}/coordinator/referrals/${submission.reference}`,
              }),
            }),
          retryUncertain: !holdsPersonalData(options, options.template),
          audit: { template: options.template, recipientType: 'coordinator' },
        });
      }
      return { result: { emails: outcomes } };
    }
    const retryUncertain = !holdsPersonalData(options, options.template);
    for (const home of await homesFor(context)) {
      outcomes[home.id] = await services.effects.emailOnce({
        owner,
        key: toHomeEmailKey(instance.id, run.seq, home.id),
        recipient: `home:${home.id}`,
        prepare: (tx) => buildHomeEmail(context, home, tx, attachments),
        retryUncertain,
        audit: {
          template: options.template,
          homeId: home.id,
          packAttached: attachments !== undefined,
        },
      });
    }
    return { result: { emails: outcomes } };
  },
};
