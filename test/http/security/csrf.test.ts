import assert from 'node:assert/strict';
import type { Database } from '../../../src/store/database.js';
import {
  Browser,
  clearSecurityTables,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from './security-app.js';

describe('CSRF protection', function () {
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
    app = await startSecurityApp({ db });
  });
  afterEach(async () => {
    await app.close();
  });

  describe('when a form is posted with the token from its page', () => {
    it('lets the change through', async () => {
      const browser = new Browser(app.baseUrl);
      const token = await browser.csrfFrom('/sign-out-page');
      const response = await browser.post('/change', { _csrf: token, value: 'a' });
      assert.equal(response.status, 200);
      assert.deepEqual(app.changes, ['change:a']);
    });

    it('also accepts the token in the X-CSRF-Token header', async () => {
      const browser = new Browser(app.baseUrl);
      const token = await browser.csrfFrom('/sign-out-page');
      const response = await browser.send('/change', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
        body: 'value=b',
      });
      assert.equal(response.status, 200);
      assert.deepEqual(app.changes, ['change:b']);
    });
  });

  describe('when the token is missing', () => {
    it('refuses with 403 and changes nothing', async () => {
      const browser = new Browser(app.baseUrl);
      await browser.csrfFrom('/sign-out-page');
      const response = await browser.post('/change', { value: 'c' });
      assert.equal(response.status, 403);
      assert.match(await response.text(), /Your session may have expired/);
      assert.deepEqual(app.changes, []);
    });
  });

  describe('when the token is forged or belongs to another session', () => {
    it('refuses with 403 and changes nothing', async () => {
      const victim = new Browser(app.baseUrl);
      const attacker = new Browser(app.baseUrl);
      await victim.csrfFrom('/sign-out-page');
      const attackerToken = await attacker.csrfFrom('/sign-out-page');
      const forged = await victim.post('/change', { _csrf: attackerToken, value: 'd' });
      assert.equal(forged.status, 403);
      const guessed = await victim.post('/change', { _csrf: 'x'.repeat(43), value: 'e' });
      assert.equal(guessed.status, 403);
      assert.deepEqual(app.changes, []);
    });
  });

  describe('when a browser without a session posts', () => {
    it('refuses with 403 and writes no session', async () => {
      const response = await new Browser(app.baseUrl).post('/change', { _csrf: '', value: 'f' });
      assert.equal(response.status, 403);
      assert.deepEqual(app.changes, []);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions');
      assert.equal(rows[0]?.n, 0);
    });
  });

  describe('when sign-in rotates the session', () => {
    it('stops the old token from working', async () => {
      const browser = new Browser(app.baseUrl);
      const before = await browser.csrfFrom('/sign-in');
      await browser.signIn(app, 'sam.worker@example.gov.uk');
      const stale = await browser.post('/change', { _csrf: before, value: 'g' });
      assert.equal(stale.status, 403);
      const fresh = await browser.csrfFrom('/sign-out-page');
      assert.notEqual(fresh, before);
      assert.equal((await browser.post('/change', { _csrf: fresh, value: 'h' })).status, 200);
      assert.deepEqual(app.changes, ['change:h']);
    });
  });
});
