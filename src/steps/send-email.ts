import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SendEmailOptions } from '../generated/workflows/step-options.js';
import type { MailMessage } from '../ports/mailer.js';
import type { Queryable } from '../store/database.js';
import { HomesStore, type HomeRecord } from '../workflow/homes-store.js';
import { PermanentStepError } from '../workflow/permanent-step-error.js';
import type { StepContext, StepType } from '../workflow/step-type.js';

/** The hash a home-response link token is stored under. */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
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
      to: { enum: ['approved-homes', 'other-homes', 'all-requested-homes', 'coordinator'] },
      template: { type: 'string', minLength: 1 },
      link: {
        description: '`home-response`: each home gets its own link to read the pack and answer.',
        enum: ['home-response', 'none'],
      },
      linkValidDays: { type: 'integer', minimum: 1, maximum: 90 },
      attachPack: { type: 'boolean' },
    },
  },
  outcomes: ['done'],
  formPointers: () => [],
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
      for (const [index, to] of services.coordinatorEmails.entries()) {
        outcomes[`coordinator-${index}`] = await services.effects.emailOnce({
          owner,
          key: `${instance.id}/${run.seq}/coordinator-${index}`,
          recipient: `coordinator-${index}`,
          prepare: () =>
            Promise.resolve({
              to,
              ...services.renderEmail(options.template, {
                reference: submission.reference,
                link: `${services.publicUrl}/coordinator/referrals/${submission.reference}`,
              }),
            }),
          audit: { template: options.template, recipientType: 'coordinator' },
        });
      }
      return { result: { emails: outcomes } };
    }
    const validDays = options.linkValidDays ?? 14;
    for (const home of await homesFor(context)) {
      const prepare = async (tx: Queryable): Promise<MailMessage> => {
        let link = `${services.publicUrl}/homes/requests`;
        let expiresAt: Date | undefined;
        if (options.link === 'home-response') {
          const token = randomBytes(32).toString('base64url');
          expiresAt = new Date(services.clock.now().getTime() + validDays * 86_400_000);
          // A retry after a refused send replaces the token: the old link was never delivered.
          await tx.query(
            `INSERT INTO workflow_home_requests (id, instance_id, home_id, token_hash, token_expires_at, state,
               created_at, organisation_id, retain_until)
             VALUES ($1, $2, $3, $4, $5, 'awaiting', $6, $7, $8)
             ON CONFLICT (instance_id, home_id) DO UPDATE SET token_hash = $4, token_expires_at = $5`,
            [
              randomUUID(),
              instance.id,
              home.id,
              hashLinkToken(token),
              expiresAt.toISOString(),
              services.clock.now().toISOString(),
              instance.organisationId,
              instance.retainUntil,
            ],
          );
          link = `${services.publicUrl}/homes/respond/${token}`;
        }
        return {
          to: home.email,
          ...services.renderEmail(options.template, {
            reference: submission.reference,
            homeName: home.name,
            link,
            respondBy: expiresAt ?? services.clock.now(),
            ...(expiresAt ? { linkExpires: expiresAt } : {}),
            packAttached: attachments !== undefined,
          }),
          ...(attachments ? { attachments } : {}),
        };
      };
      outcomes[home.id] = await services.effects.emailOnce({
        owner,
        key: `${instance.id}/${run.seq}/home-${home.id}`,
        recipient: `home:${home.id}`,
        prepare,
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
