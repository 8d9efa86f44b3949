import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxMailer } from '../../../src/adapters/mail/outbox-mailer.js';
import { toLinks, toText } from '../../../src/http/dev/dev-outbox-router.js';

describe('the development outbox', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'formwork-outbox-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('when an email holds a link longer than a quoted-printable line', () => {
    it('gives the link back whole, though the .eml file breaks it', async () => {
      const mailer = new OutboxMailer({ dir, from: 'Formwork <no-reply@formwork.example.org>' });
      const link = `http://localhost:3000/homes/respond/${'aZ_-9'.repeat(9)}`;
      await mailer.send({
        to: 'adel-beck@homes.example.org',
        subject: 'Secure welfare referral SWR-2026-00001: please respond',
        text: `Read the referral and tell us whether you can offer a place:\n${link}\n\nThe home’s answer counts.\n`,
      });
      const [entry] = await mailer.list();
      assert.ok(entry);
      const raw = await mailer.read(entry.id);
      assert.ok(raw);
      assert.ok(!raw.toString('latin1').includes(link), 'quoted-printable breaks the link');
      assert.deepEqual(toLinks(await toText(raw)), [link]);
    });
  });
});
