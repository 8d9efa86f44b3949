import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { OutboxMailer } from '../../../src/adapters/mail/outbox-mailer.js';
import { openMailer } from '../../../src/adapters/mail/open-mailer.js';
import { SmtpMailer } from '../../../src/adapters/mail/smtp-mailer.js';

describe('OutboxMailer', () => {
  let dir: string;
  let mailer: OutboxMailer;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'formwork-outbox-'));
    mailer = new OutboxMailer({
      dir: join(dir, 'outbox'),
      from: 'Formwork <no-reply@formwork.example.org>',
    });
  });
  afterEach(async () => {
    await mailer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as an .eml file that parses back', async () => {
    const { messageId } = await mailer.send({
      to: 'home.manager@example.org',
      subject: 'Referral — SWR-2026-00042 ✓',
      text: 'A referral is waiting.',
      html: '<p>A referral is waiting.</p>',
      attachments: [
        { filename: 'pack.pdf', content: Buffer.from('%PDF-fake'), contentType: 'application/pdf' },
      ],
    });
    const names = await readdir(join(dir, 'outbox'));
    assert.equal(names.length, 1);
    assert.match(names[0]!, /^\d{8}T\d{9}Z-[0-9a-f-]{36}\.eml$/);
    const raw = await mailer.read(names[0]!);
    const mail = await simpleParser(raw!);
    assert.equal(mail.messageId, messageId);
    assert.equal(mail.subject, 'Referral — SWR-2026-00042 ✓');
    assert.equal(mail.text?.trim(), 'A referral is waiting.');
    assert.equal(mail.attachments[0]!.content.toString(), '%PDF-fake');
  });

  it('lists messages newest first with decoded headers', async () => {
    await mailer.send({ to: 'a@example.org', subject: 'First', text: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await mailer.send({
      to: 'b@example.org',
      subject: 'Second — café',
      text: 'two',
      messageId: '<second@formwork.example.org>',
    });
    const entries = await mailer.list();
    assert.deepEqual(
      entries.map((entry) => [entry.to, entry.subject, entry.messageId]),
      [
        ['b@example.org', 'Second — café', '<second@formwork.example.org>'],
        ['a@example.org', 'First', entries[1]!.messageId],
      ],
    );
    assert.ok(entries[0]!.sizeBytes > 0);
    assert.ok(!Number.isNaN(entries[0]!.date.getTime()));
  });

  it('lists nothing before the first message and reads no file outside the outbox', async () => {
    assert.deepEqual(await mailer.list(), []);
    assert.equal(await mailer.read('../../etc/passwd'), undefined);
  });

  it('leaves no temporary files behind', async () => {
    await Promise.all(
      Array.from({ length: 5 }, (_, n) =>
        mailer.send({ to: 'a@example.org', subject: `m${n}`, text: 'x' }),
      ),
    );
    const names = await readdir(join(dir, 'outbox'));
    assert.equal(names.length, 5);
    assert.ok(names.every((name) => name.endsWith('.eml') && !name.startsWith('.')));
  });
});

describe('openMailer', () => {
  it('picks the outbox by default and SMTP when configured', async () => {
    const outbox = openMailer({
      mail: { kind: 'outbox', dir: '/tmp/none', from: 'a@example.org' },
    });
    const smtp = openMailer({
      mail: {
        kind: 'smtp',
        url: 'smtp://mail.example.org',
        insecure: false,
        from: 'a@example.org',
      },
    });
    assert.ok(outbox instanceof OutboxMailer);
    assert.ok(smtp instanceof SmtpMailer);
    await outbox.close();
    await smtp.close();
  });
});
