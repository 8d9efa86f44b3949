import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { AppError } from '../../errors/app-error.js';
import type { Mailer, MailMessage } from '../../ports/mailer.js';

/** Options for {@link SmtpMailer}. */
export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465` (TLS from the start). */
  url: string;
  from: string;
  /** Allows plaintext SMTP (`SMTP_INSECURE=1`). Off by default: TLS 1.2+ is required. */
  insecure?: boolean;
  /** Extra trusted CA certificates (PEM), e.g. for a private relay. */
  ca?: string | Buffer;
  /** Connection and greeting timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
}

/**
 * Sends mail through an SMTP relay. Unless `insecure`, the connection must be TLS 1.2 or newer
 * (`smtps://`, or `smtp://` with STARTTLS required): a relay that does not offer STARTTLS
 * fails the send rather than carrying personal data in the clear.
 */
export class SmtpMailer implements Mailer {
  readonly #from: string;
  readonly #transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(options: SmtpMailerOptions) {
    const url = new URL(options.url);
    const secure = url.protocol === 'smtps:';
    const insecure = options.insecure === true;
    const timeout = options.timeoutMs ?? 30_000;
    this.#from = options.from;
    this.#transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
      secure,
      requireTLS: !secure && !insecure,
      ignoreTLS: false,
      ...(url.username === ''
        ? {}
        : {
            auth: {
              user: decodeURIComponent(url.username),
              pass: decodeURIComponent(url.password),
            },
          }),
      tls: {
        minVersion: 'TLSv1.2',
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        attachments: message.attachments,
        ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
      });
      return { messageId: info.messageId };
    } catch (cause) {
      // The recipient is personal data, so only the relay's reason goes in the message.
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : 'unknown error';
      throw new AppError('ERR_MAIL_SEND_FAILED', `SMTP send failed: ${reason ?? ''}`, { cause });
    }
  }

  close(): Promise<void> {
    this.#transport.close();
    return Promise.resolve();
  }
}
