/** An email to send. Text is required; HTML is optional. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Set to make a resend recognisable (`Message-ID`). */
  messageId?: string;
}

/** Sends mail. Implemented by OutboxMailer (.eml files) and SmtpMailer. */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
