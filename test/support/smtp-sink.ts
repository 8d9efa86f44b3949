import { appendFileSync, readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted. */
export interface SinkMessage {
  to: string;
  subject: string;
  messageId: string;
  text: string;
}

/** A real SMTP server that keeps every accepted message in a JSON-lines file. */
export interface SmtpSink {
  port: number;
  url: string;
  /** Every message accepted so far, read back from the file (so it survives restarts). */
  messages(): SinkMessage[];
  /** How many accepted messages went to `to` with a subject containing `subjectPart`. */
  count(to: string, subjectPart: string): number;
  /** Stops listening (new connections are refused) after open sessions finish. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * Starts an SMTP sink on 127.0.0.1 (plaintext, no auth) that appends each message to `file`
 * before it answers 250, so a message the client heard accepted is always on record.
 */
export async function startSmtpSink(file: string, port = 0): Promise<SmtpSink> {
  let current: SMTPServer | undefined;
  let boundPort = port;
  const listen = async (): Promise<void> => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 5_000,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
            const record: SinkMessage = {
              to: to
                .flatMap((address) => address.value.map((value) => value.address ?? ''))
                .join(','),
              subject: mail.subject ?? '',
              messageId: mail.messageId ?? '',
              text: mail.text ?? '',
            };
            appendFileSync(file, JSON.stringify(record) + '\n');
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        resolve();
      });
    });
    // A client killed mid-message (the chaos tests SIGKILL workers) resets its connection; the
    // server reports that as an 'error' event, which must not bring down the test process.
    server.on('error', () => undefined);
    const address = server.server.address();
    boundPort = typeof address === 'object' && address !== null ? address.port : boundPort;
    current = server;
  };
  appendFileSync(file, '');
  await listen();
  const messages = (): SinkMessage[] =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SinkMessage);
  return {
    port: boundPort,
    url: `smtp://127.0.0.1:${String(boundPort)}`,
    messages,
    count: (to, subjectPart) =>
      messages().filter(
        (message) =>
          message.to.toLowerCase() === to.toLowerCase() && message.subject.includes(subjectPart),
      ).length,
    stop: async () => {
      const server = current;
      current = undefined;
      if (!server) return;
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
    start: listen,
  };
}
