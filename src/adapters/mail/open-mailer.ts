import type { Config } from '../../config/config.js';
import type { Mailer } from '../../ports/mailer.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** The configured mailer: SMTP when `SMTP_URL` is set, else `.eml` files in the outbox. */
export function openMailer(config: Pick<Config, 'mail'>): Mailer {
  const mail = config.mail;
  return mail.kind === 'smtp'
    ? new SmtpMailer({ url: mail.url, from: mail.from, insecure: mail.insecure })
    : new OutboxMailer({ dir: mail.dir, from: mail.from });
}
