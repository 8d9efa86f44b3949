import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SmtpMailer } from '../../../src/adapters/mail/smtp-mailer.js';
import { isAppError } from '../../../src/errors/app-error.js';

interface TestSmtp {
  port: number;
  received: ParsedMail[];
  close(): Promise<void>;
}

async function startSmtp(options: SMTPServerOptions): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    ...options,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

const message = {
  to: 'duty.worker@example.gov.uk',
  subject: 'Referral pack SWR-2026-00042',
  text: 'Please review the referral pack.',
  attachments: [
    { filename: 'pack.txt', content: Buffer.from('fictitious pack'), contentType: 'text/plain' },
  ],
};

describe('SmtpMailer', function () {
  this.timeout(20_000);
  let certDir: string;
  let key: string;
  let cert: string;

  before(async () => {
    certDir = await mkdtemp(join(tmpdir(), 'formwork-smtp-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    key = await readFile(join(certDir, 'key.pem'), 'utf8');
    cert = await readFile(join(certDir, 'cert.pem'), 'utf8');
  });
  after(async () => {
    await rm(certDir, { recursive: true, force: true });
  });

  describe('when the relay offers STARTTLS', () => {
    it('delivers recipient, subject, text and attachment over TLS', async () => {
      let secured = false;
      const smtp = await startSmtp({
        key,
        cert,
        onConnect(_session, callback) {
          callback();
        },
        onMailFrom(_address, session, callback) {
          secured = session.secure;
          callback();
        },
      });
      const mailer = new SmtpMailer({
        url: `smtp://127.0.0.1:${smtp.port}`,
        from: 'Formwork <no-reply@formwork.example.org>',
        ca: cert,
      });
      try {
        const { messageId } = await mailer.send({
          ...message,
          messageId: '<pack-1@formwork.example.org>',
        });
        assert.equal(messageId, '<pack-1@formwork.example.org>');
        assert.ok(secured, 'the session was upgraded to TLS');
        assert.equal(smtp.received.length, 1);
        const mail = smtp.received[0]!;
        assert.equal(
          mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
          'duty.worker@example.gov.uk',
        );
        assert.equal(mail.from?.value[0]?.address, 'no-reply@formwork.example.org');
        assert.equal(mail.subject, 'Referral pack SWR-2026-00042');
        assert.equal(mail.text?.trim(), 'Please review the referral pack.');
        assert.equal(mail.messageId, '<pack-1@formwork.example.org>');
        assert.equal(mail.attachments.length, 1);
        assert.equal(mail.attachments[0]!.filename, 'pack.txt');
        assert.equal(mail.attachments[0]!.content.toString(), 'fictitious pack');
      } finally {
        await mailer.close();
        await smtp.close();
      }
    });
  });

  describe('when the relay does not offer STARTTLS', () => {
    it('refuses to send in the clear', async () => {
      const smtp = await startSmtp({ disabledCommands: ['STARTTLS'] });
      const mailer = new SmtpMailer({
        url: `smtp://127.0.0.1:${smtp.port}`,
        from: 'no-reply@formwork.example.org',
      });
      try {
        await assert.rejects(mailer.send(message), (error: unknown) => {
          assert.ok(isAppError(error));
          assert.equal(error.code, 'ERR_MAIL_SEND_FAILED');
          assert.match(error.message, /^SMTP send failed: .*STARTTLS/i);
          assert.ok(!error.message.includes('duty.worker'));
          return true;
        });
        assert.equal(smtp.received.length, 0);
      } finally {
        await mailer.close();
        await smtp.close();
      }
    });

    it('sends in the clear only when insecure is allowed', async () => {
      const smtp = await startSmtp({ disabledCommands: ['STARTTLS'] });
      const mailer = new SmtpMailer({
        url: `smtp://127.0.0.1:${smtp.port}`,
        from: 'no-reply@formwork.example.org',
        insecure: true,
      });
      try {
        await mailer.send(message);
        assert.equal(smtp.received.length, 1);
        assert.equal(smtp.received[0]!.subject, 'Referral pack SWR-2026-00042');
      } finally {
        await mailer.close();
        await smtp.close();
      }
    });
  });

  it('rejects a relay certificate it does not trust', async () => {
    const smtp = await startSmtp({ key, cert });
    const mailer = new SmtpMailer({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'no-reply@formwork.example.org',
    });
    try {
      await assert.rejects(mailer.send(message), { code: 'ERR_MAIL_SEND_FAILED' });
      assert.equal(smtp.received.length, 0);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });
});
