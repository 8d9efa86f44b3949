import { emailTemplateInfo, type EmailName } from '../render/email-renderer.js';
import type { StepProblem } from '../workflow/step-type.js';

/** The part of a step's options that decides whether its emails hold personal data. */
export interface EmailPrivacyOptions {
  template?: string;
  /** The step's own declaration; it may only confirm what the template says, or add to it. */
  personalData?: boolean;
  attachPack?: boolean;
}

/** True when `name` is one of the email templates (src/render/email-renderer.ts). */
export function isEmailTemplate(name: string): name is EmailName {
  return Object.hasOwn(emailTemplateInfo, name);
}

/**
 * Whether an email built from these options may hold personal data. An uncertain send of one
 * that does not is retried (same Message-ID); one that does is flagged for a coordinator.
 */
export function holdsPersonalData(options: EmailPrivacyOptions, fallback: string): boolean {
  const template = options.template ?? fallback;
  if (options.attachPack === true || options.personalData === true) return true;
  return !isEmailTemplate(template) || emailTemplateInfo[template].personalData;
}

/** What is wrong with an email step's template and `personalData` declaration. */
export function checkEmailPrivacy(options: EmailPrivacyOptions, fallback: string): StepProblem[] {
  const template = options.template ?? fallback;
  if (!isEmailTemplate(template))
    return [{ at: '/template', message: `"${template}" is not an email template` }];
  if (options.personalData !== false) return [];
  if (options.attachPack === true)
    return [{ at: '/personalData', message: 'cannot be false when the pack is attached' }];
  if (emailTemplateInfo[template].personalData)
    return [
      {
        at: '/personalData',
        message: `cannot be false: the template "${template}" holds personal data`,
      },
    ];
  return [];
}
