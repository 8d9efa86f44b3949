import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSessionMiddleware, hashSessionId } from '../../../src/http/middleware/session.js';
import type { Database } from '../../../src/store/database.js';
import {
  Browser,
  clearSecurityTables,
  ManualClock,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from './security-app.js';

async function countSessions(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions');
  return rows[0]?.n ?? -1;
}

describe('session middleware', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;
  let clock: ManualClock;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await clearSecurityTables(db);
    clock = new ManualClock();
    app = await startSecurityApp({ db, clock });
  });
  afterEach(async () => {
    await app.close();
  });

  describe('when a browser reads a public page without a form', () => {
    it('writes no session row and sets no cookie', async () => {
      const browser = new Browser(app.baseUrl);
      const response = await browser.get('/public');
      assert.equal(response.status, 200);
      assert.equal(response.headers.getSetCookie().length, 0);
      assert.equal(await countSessions(db), 0);
    });
  });

  describe('when a rendered page has no form (a 404 page)', () => {
    it('writes no session row even though the renderer reads the CSRF token', async () => {
      const response = await new Browser(app.baseUrl).get('/no-such-page');
      assert.equal(response.status, 404);
      assert.equal(response.headers.getSetCookie().length, 0);
      assert.equal(await countSessions(db), 0);
    });
  });

  describe('when a page with a form is shown', () => {
    it('sets an HttpOnly, SameSite=Lax cookie and stores only the hash of its id', async () => {
      const browser = new Browser(app.baseUrl);
      const response = await browser.get('/sign-in');
      assert.equal(response.status, 200);
      const cookie = response.headers.getSetCookie()[0] ?? '';
      assert.match(cookie, /^formwork\.sid=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/);
      const rawId = browser.cookies.get('formwork.sid') ?? '';
      const { rows } = await db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
      assert.deepEqual(
        rows.map((r) => r.id_hash),
        [hashSessionId(rawId)],
      );
      assert.notEqual(rows[0]?.id_hash, rawId);
    });
  });

  describe('when cookies must be secure', () => {
    it('marks the cookie Secure', async () => {
      await app.close();
      app = await startSecurityApp({ db, clock, secureCookies: true });
      const response = await new Browser(app.baseUrl).get('/sign-in');
      assert.match(response.headers.getSetCookie()[0] ?? '', /; Secure/);
    });
  });

  describe('when the server restarts', () => {
    it('keeps the session, because it lives in the database', async () => {
      const browser = new Browser(app.baseUrl);
      await browser.get('/remember');
      assert.equal(await (await browser.get('/recall')).text(), 'green');
      await app.close();
      app = await startSecurityApp({ db, clock });
      browser.baseUrl = app.baseUrl;
      assert.equal(await (await browser.get('/recall')).text(), 'green');
    });
  });

  describe('when the session is idle for longer than its lifetime', () => {
    it('starts afresh and deletes the old row', async () => {
      const browser = new Browser(app.baseUrl);
      await browser.get('/remember');
      clock.advanceMinutes(7 * 60);
      assert.equal(await (await browser.get('/recall')).text(), 'green');
      clock.advanceMinutes(7 * 60);
      // Sliding: still alive 14 hours after creation because it was used at 7 hours.
      assert.equal(await (await browser.get('/recall')).text(), 'green');
      clock.advanceMinutes(8 * 60 + 1);
      assert.equal(await (await browser.get('/recall')).text(), 'nothing');
      assert.equal(await countSessions(db), 0);
    });
  });

  describe('when the cookie holds an unknown or malformed id', () => {
    it('ignores it and never stores that id', async () => {
      const browser = new Browser(app.baseUrl);
      browser.cookies.set('formwork.sid', 'planted-by-an-attacker');
      assert.equal(await (await browser.get('/recall')).text(), 'nothing');
      await browser.get('/remember');
      const { rows } = await db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]?.id_hash, hashSessionId('planted-by-an-attacker'));
      assert.notEqual(browser.cookies.get('formwork.sid'), 'planted-by-an-attacker');
    });
  });

  describe('when the database refuses the save', () => {
    it('still answers, and reports the failure to onSaveError', async () => {
      const failures: unknown[] = [];
      const failingDb = {
        query: () => Promise.reject(new Error('database down')),
      };
      const tiny = express();
      tiny.use(
        createSessionMiddleware({
          db: failingDb,
          secureCookies: false,
          onSaveError: (error) => failures.push(error),
        }),
      );
      tiny.get('/', (req, res) => {
        if (req.session) req.session.data.step = 1;
        res.send('ok');
      });
      const server = tiny.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const response = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(await response.text(), 'ok');
        assert.equal(failures.length, 1);
      } finally {
        server.close();
      }
    });
  });
});
