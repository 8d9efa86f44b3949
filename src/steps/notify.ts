import type { NotifyOptions } from '../generated/workflows/step-options.js';
import { PermanentStepError } from '../workflow/permanent-step-error.js';
import { readPointer } from '../workflow/read-pointer.js';
import type { StepType } from '../workflow/step-type.js';
import { checkEmailPrivacy, holdsPersonalData } from './email-personal-data.js';
import { statusLabels } from './set-status.js';

/**
 * `notify`: tells the referrer (the email address at `to` in the submission) that the
 * referral's state changed, with a link to its status page. No personal data in the email.
 */
export const notify: StepType<NotifyOptions> = {
  type: 'notify',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['to'],
    properties: {
      to: {
        description: 'Where the referrer’s email address is in the submission.',
        type: 'string',
        pattern: '^(/[^/]+)+$',
      },
      template: { type: 'string', default: 'referrer-status' },
      detail: {
        description:
          'A sentence added below the status, the same for every referral (never personal data).',
        type: 'string',
        minLength: 1,
        maxLength: 500,
      },
      personalData: {
        description:
          'Whether the email holds personal data (default: what the template declares). An uncertain send is retried only when it does not.',
        type: 'boolean',
      },
    },
  },
  outcomes: ['done'],
  formPointers: (options) => [{ pointer: options.to, at: '/to' }],
  checkOptions: (options) => checkEmailPrivacy(options, 'referrer-status'),
  async run({ services, instance, submission, run, options }) {
    const to = readPointer(submission.data, options.to);
    if (typeof to !== 'string' || to === '')
      throw new PermanentStepError('no referrer email address');
    const template = options.template ?? 'referrer-status';
    const status = (
      await services.db.query<{ status: string }>(
        `SELECT status FROM workflow_instances WHERE id = $1`,
        [instance.id],
      )
    ).rows[0]?.status;
    const outcome = await services.effects.emailOnce({
      owner: {
        instanceId: instance.id,
        submissionId: submission.id,
        organisationId: instance.organisationId,
        retainUntil: instance.retainUntil,
      },
      key: `${instance.id}/${run.seq}/referrer`,
      recipient: 'referrer',
      prepare: () =>
        Promise.resolve({
          to,
          ...services.renderEmail(template, {
            reference: submission.reference,
            status: statusLabels[status ?? ''] ?? status ?? 'Submitted',
            ...(options.detail === undefined ? {} : { detail: options.detail }),
            link: `${services.publicUrl}/referrals/${submission.reference}`,
          }),
        }),
      retryUncertain: !holdsPersonalData(options, 'referrer-status'),
      audit: { template, recipientType: 'referrer' },
    });
    return { result: { email: outcome } };
  },
};
