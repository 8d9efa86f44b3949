import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { AppError } from '../../errors/app-error.js';
import type { Mailer, MailMessage } from '../../ports/mailer.js';

/** Options for {@link OutboxMailer}. */
export interface OutboxMailerOptions {
  /** Folder for the `.eml` files (created when missing). */
  dir: string;
  /** The From header, e.g. `Formwork <no-reply@formwork.example.org>`. */
  from: string;
}

/** One message in the outbox, for the admin view. */
export interface OutboxEntry {
  /** File name, also the id accepted by {@link OutboxMailer.read}. */
  id: string;
  messageId: string;
  to: string;
  subject: string;
  date: Date;
  sizeBytes: number;
}

const entryName = /^\d{8}T\d{9}Z-[0-9a-f-]{36}\.eml$/;

/**
 * The embedded mailer: writes each message as an RFC 5322 `.eml` file in the outbox folder
 * instead of sending it. Files appear atomically (written aside, then renamed), named
 * `<UTC timestamp>-<uuid>.eml` so they sort by time.
 */
export class OutboxMailer implements Mailer {
  readonly #dir: string;
  readonly #from: string;
  readonly #transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });

  constructor(options: OutboxMailerOptions) {
    this.#dir = options.dir;
    this.#from = options.from;
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const id = randomUUID();
    const messageId = message.messageId ?? `<${id}@formwork.outbox>`;
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        attachments: message.attachments,
        messageId,
      });
      await mkdir(this.#dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      const name = `${stamp}-${id}.eml`;
      const tmp = join(this.#dir, `.${name}.tmp`);
      const file = await open(tmp, 'wx', 0o600);
      try {
        // `buffer: true` makes the stream transport hand back the whole message as a Buffer.
        await file.writeFile(info.message as Buffer);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, join(this.#dir, name));
      return { messageId };
    } catch (cause) {
      throw new AppError('ERR_MAIL_SEND_FAILED', 'Could not write the message to the outbox.', {
        cause,
      });
    }
  }

  /** The messages in the outbox, newest first. */
  async list(): Promise<OutboxEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.#dir)).filter((name) => entryName.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    names.sort().reverse();
    return Promise.all(
      names.map(async (name) => {
        const path = join(this.#dir, name);
        const [raw, info] = await Promise.all([readFile(path), stat(path)]);
        const headers = parseHeaders(raw.toString('utf8'));
        return {
          id: name,
          messageId: headers.get('message-id') ?? '',
          to: headers.get('to') ?? '',
          subject: headers.get('subject') ?? '',
          date: new Date(headers.get('date') ?? info.mtime.toISOString()),
          sizeBytes: info.size,
        };
      }),
    );
  }

  /** The raw `.eml` content of one message, or undefined when there is no such message. */
  async read(id: string): Promise<Buffer | undefined> {
    if (!entryName.test(id)) return undefined;
    try {
      return await readFile(join(this.#dir, id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  close(): Promise<void> {
    this.#transport.close();
    return Promise.resolve();
  }
}

function parseHeaders(eml: string): Map<string, string> {
  const end = eml.search(/\r?\n\r?\n/);
  const head = (end === -1 ? eml : eml.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

// RFC 2047 encoded words, which nodemailer uses for non-ASCII subjects and names.
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_all, charset: string, encoding: string, text: string) => {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                    String.fromCharCode(parseInt(hex, 16)),
                  ),
                'latin1',
              );
        return new TextDecoder(charset.toLowerCase() === 'utf-8' ? 'utf-8' : charset).decode(bytes);
      },
    );
}
