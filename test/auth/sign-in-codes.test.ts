import assert from 'node:assert/strict';
import { createSignInCodes, type SignInCodes } from '../../src/auth/sign-in-codes.js';
import { isAppError } from '../../src/errors/app-error.js';
import type { Database } from '../../src/store/database.js';
import { forEachDatabase } from '../support/databases.js';
import {
  ManualClock,
  RecordingMailer,
  clearSecurityTables,
} from '../http/security/security-app.js';

// Both databases: production runs PostgreSQL, the default is PGlite, and the SQL must suit both.
forEachDatabase('sign-in codes', (database) => {
  let db: Database;
  let clock: ManualClock;
  let mailer: RecordingMailer;
  let codes: SignInCodes;
  const session = 'a'.repeat(64);
  const email = 'sam.worker@example.gov.uk';

  beforeEach(async () => {
    db = database();
    await clearSecurityTables(db);
    clock = new ManualClock();
    mailer = new RecordingMailer();
    codes = createSignInCodes({ db, mailer, secret: 'test-secret', clock });
  });

  const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  describe('requestCode', () => {
    it('emails a 6-digit code with the agreed subject and stores only its HMAC', async () => {
      const result = await codes.requestCode({
        email: '  Sam.Worker@Example.GOV.uk ',
        sessionIdHash: session,
      });
      assert.deepEqual(result, { ok: true, email });
      const message = mailer.sent[0];
      assert.equal(message?.to, email);
      assert.equal(message.subject, 'Your Formwork sign-in code');
      const code = mailer.lastCode();
      assert.match(message.text, /expires in 15 minutes/);
      assert.doesNotMatch(message.text, /sam\.worker/i);
      const { rows } = await db.query<{ email: string; code_hash: string }>(
        'SELECT email, code_hash FROM sign_in_codes',
      );
      const row = rows[0]!;
      assert.equal(row.email, email);
      assert.match(row.code_hash, /^[0-9a-f]{64}$/);
      assert.ok(!row.code_hash.includes(code));
    });

    it('reports an invalid email without sending anything', async () => {
      for (const bad of [
        '',
        'not-an-email',
        'a@b',
        'two@@example.gov.uk',
        'sp ace@example.gov.uk',
      ]) {
        const result = await codes.requestCode({ email: bad, sessionIdHash: session });
        assert.deepEqual(result, { ok: false, problem: 'email-invalid' }, bad);
      }
      assert.equal(mailer.sent.length, 0);
    });

    it('reports a domain that is not allowed without sending anything', async () => {
      const result = await codes.requestCode({
        email: 'someone@example.org',
        sessionIdHash: session,
        allowedDomains: ['example.gov.uk'],
      });
      assert.deepEqual(result, { ok: false, problem: 'domain-not-allowed' });
      assert.equal(mailer.sent.length, 0);
    });

    it('never refuses a fresh session a code because other sessions asked for the same email', async () => {
      for (let i = 0; i < 8; i += 1) {
        await codes.requestCode({ email, sessionIdHash: `${session}${i}` });
      }
      const owner = await codes.requestCode({ email, sessionIdHash: 'the-owners-session' });
      assert.equal(owner.ok, true, 'per-address limits live in sign-in-limits, not here');
      assert.equal(mailer.sent.length, 9);
    });

    it('holds the per-session limit when many requests arrive at once', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          codes.requestCode({ email: `p${i}@example.gov.uk`, sessionIdHash: session }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
      assert.equal(mailer.sent.length, 5);
    });

    it('sends nothing when beforeSend refuses', async () => {
      await assert.rejects(
        codes.requestCode({
          email,
          sessionIdHash: session,
          beforeSend: () => Promise.reject(new Error('limited')),
        }),
        /limited/,
      );
      assert.equal(mailer.sent.length, 0);
    });

    it('allows 5 codes per session in 15 minutes, whatever the email', async () => {
      for (let i = 0; i < 5; i += 1) {
        await codes.requestCode({ email: `person${i}@example.gov.uk`, sessionIdHash: session });
      }
      await assert.rejects(
        codes.requestCode({ email: 'person9@example.gov.uk', sessionIdHash: session }),
        (error: unknown) => isAppError(error) && error.code === 'ERR_AUTH_CODE_RATE_LIMITED',
      );
    });
  });

  describe('verifyCode', () => {
    it('signs in with the right code, creating the user and an audit event', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      const user = await codes.verifyCode({ code: mailer.lastCode(), sessionIdHash: session });
      assert.equal(user?.email, email);
      assert.equal(user.organisationId, 'default');
      const audit = await db.query<{ actor_type: string; actor_id: string; action: string }>(
        'SELECT actor_type, actor_id, action FROM audit_events',
      );
      assert.deepEqual(audit.rows, [{ actor_type: 'user', actor_id: user.id, action: 'sign-in' }]);
    });

    it('finds the same user on the next sign-in', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      const first = await codes.verifyCode({ code: mailer.lastCode(), sessionIdHash: session });
      await codes.requestCode({ email, sessionIdHash: session });
      const second = await codes.verifyCode({ code: mailer.lastCode(), sessionIdHash: session });
      assert.equal(second?.id, first?.id);
    });

    it('accepts a code only once', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      const code = mailer.lastCode();
      assert.ok(await codes.verifyCode({ code, sessionIdHash: session }));
      assert.equal(await codes.verifyCode({ code, sessionIdHash: session }), undefined);
    });

    it('refuses a code after 15 minutes', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      clock.advanceMinutes(15);
      assert.equal(
        await codes.verifyCode({ code: mailer.lastCode(), sessionIdHash: session }),
        undefined,
      );
    });

    it('accepts a code just before it expires', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      clock.advanceMinutes(14);
      assert.ok(await codes.verifyCode({ code: mailer.lastCode(), sessionIdHash: session }));
    });

    it('refuses even the right code after 5 wrong attempts', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      const code = mailer.lastCode();
      for (let i = 0; i < 5; i += 1) {
        assert.equal(
          await codes.verifyCode({ code: wrongCodeFor(code), sessionIdHash: session }),
          undefined,
        );
      }
      assert.equal(await codes.verifyCode({ code, sessionIdHash: session }), undefined);
      const users = await db.query('SELECT id FROM users');
      assert.equal(users.rowCount, 0);
    });

    it('retires an earlier code when a new one is sent', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      const first = mailer.lastCode();
      clock.advanceMinutes(1);
      await codes.requestCode({ email, sessionIdHash: session });
      const second = mailer.lastCode();
      if (first !== second) {
        assert.equal(await codes.verifyCode({ code: first, sessionIdHash: session }), undefined);
      }
      assert.ok(await codes.verifyCode({ code: second, sessionIdHash: session }));
    });

    it('refuses a code sent to another session', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      assert.equal(
        await codes.verifyCode({ code: mailer.lastCode(), sessionIdHash: 'b'.repeat(64) }),
        undefined,
      );
    });

    it('refuses a code for a different email when an email is given', async () => {
      await codes.requestCode({ email, sessionIdHash: session });
      assert.equal(
        await codes.verifyCode({
          email: 'other@example.gov.uk',
          code: mailer.lastCode(),
          sessionIdHash: session,
        }),
        undefined,
      );
    });
  });
});
