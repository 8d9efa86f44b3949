import assert from 'node:assert/strict';
import { hashSessionId } from '../../../src/http/middleware/session.js';
import type { Database } from '../../../src/store/database.js';
import {
  Browser,
  clearSecurityTables,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from './security-app.js';

describe('sign-in router', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await clearSecurityTables(db);
    app = await startSecurityApp({ db, allowedDomains: ['example.gov.uk'] });
  });
  afterEach(async () => {
    await app.close();
  });

  describe('when a person signs in with the emailed code', () => {
    it('rotates the session id, goes back to the return path and records the sign-in', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-in?return=%2Fforms%2Fsecure-welfare%3Fx%3D1');
      const before = browser.cookies.get('formwork.sid');
      const sent = await browser.post('/sign-in', {
        _csrf: csrf,
        email: 'Sam.Worker@example.gov.uk',
      });
      assert.equal(sent.status, 303);
      assert.equal(sent.headers.get('location'), '/sign-in/code');
      const codePage = await browser.get('/sign-in/code');
      assert.match(await codePage.text(), /Check your email[\s\S]*Send a new code/);
      const done = await browser.post('/sign-in/code', {
        _csrf: csrf,
        code: app.mailer.lastCode(),
      });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/forms/secure-welfare?x=1');
      assert.notEqual(browser.cookies.get('formwork.sid'), before);
      const old = await db.query('SELECT 1 FROM sessions WHERE id_hash = $1', [
        hashSessionId(before ?? ''),
      ]);
      assert.equal(old.rowCount, 0);
      assert.equal(await (await browser.get('/whoami')).text(), 'sam.worker@example.gov.uk');
      const audit = await db.query<{ action: string }>(
        "SELECT action FROM audit_events WHERE actor_type = 'user'",
      );
      assert.deepEqual(audit.rows, [{ action: 'sign-in' }]);
    });
  });

  describe('when the return path points elsewhere', () => {
    for (const evil of ['https://evil.example.org/', '//evil.example.org', '/\\evil.example.org']) {
      it(`ignores ${evil} and goes to /`, async () => {
        const browser = new Browser(app.baseUrl);
        const response = await browser.signIn(app, 'sam.worker@example.gov.uk', evil);
        assert.equal(response.status, 303);
        assert.equal(response.headers.get('location'), '/');
      });
    }
  });

  describe('when the email is not valid', () => {
    it('shows the GOV.UK error and sends nothing', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-in');
      const response = await browser.post('/sign-in', { _csrf: csrf, email: 'sam.worker' });
      assert.equal(response.status, 400);
      const html = await response.text();
      assert.match(html, /<title>Error: Sign in/);
      assert.match(
        html,
        /Enter an email address in the correct format, like name@example\.gov\.uk/,
      );
      assert.match(html, /href="#email"/);
      assert.equal(app.mailer.sent.length, 0);
    });
  });

  describe('when the form only allows some email domains', () => {
    it('refuses another domain with a clear error', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-in?return=/forms/secure-welfare');
      const response = await browser.post('/sign-in', { _csrf: csrf, email: 'jo@example.org' });
      assert.equal(response.status, 400);
      assert.match(
        await response.text(),
        /You cannot sign in with this email address\. Use a work email address ending in @example\.gov\.uk/,
      );
      assert.equal(app.mailer.sent.length, 0);
    });
  });

  describe('when the code is wrong', () => {
    it('says so and does not sign in', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-in');
      await browser.post('/sign-in', { _csrf: csrf, email: 'sam.worker@example.gov.uk' });
      const wrong = String((Number(app.mailer.lastCode()) + 1) % 1_000_000).padStart(6, '0');
      const response = await browser.post('/sign-in/code', { _csrf: csrf, code: wrong });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /The code is not correct or has expired/);
      assert.equal((await browser.get('/whoami')).status, 303);
    });
  });

  describe('when a new code is asked for', () => {
    it('sends it to the same address', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-in');
      await browser.post('/sign-in', { _csrf: csrf, email: 'sam.worker@example.gov.uk' });
      const resend = await browser.post('/sign-in/new-code', { _csrf: csrf });
      assert.equal(resend.status, 303);
      assert.equal(app.mailer.sent.length, 2);
      assert.equal(app.mailer.sent[1]?.to, 'sam.worker@example.gov.uk');
      const done = await browser.post('/sign-in/code', {
        _csrf: csrf,
        code: app.mailer.lastCode(),
      });
      assert.equal(done.status, 303);
    });
  });

  describe('when too many codes are asked for', () => {
    it('shows the rate-limit message with 429', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-in');
      for (let i = 0; i < 3; i += 1) {
        await browser.post('/sign-in', { _csrf: csrf, email: 'sam.worker@example.gov.uk' });
      }
      const response = await browser.post('/sign-in', {
        _csrf: csrf,
        email: 'sam.worker@example.gov.uk',
      });
      assert.equal(response.status, 429);
      assert.match(await response.text(), /You have asked for too many codes/);
      assert.equal(app.mailer.sent.length, 3, '3 codes per address from one client address');
    });
  });

  describe('when a signed-in person signs out', () => {
    it('deletes the session and forgets the user', async () => {
      const browser = new Browser(app.baseUrl);
      await browser.signIn(app, 'sam.worker@example.gov.uk');
      const csrf = await browser.csrfFrom('/sign-out-page');
      const response = await browser.post('/sign-out', { _csrf: csrf });
      assert.equal(response.status, 303);
      assert.equal((await browser.get('/whoami')).status, 303);
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sessions WHERE user_id IS NOT NULL',
      );
      assert.equal(rows[0]?.n, 0);
    });
  });
});
