import assert from 'node:assert/strict';
import { signInLimits } from '../../../src/auth/sign-in-limits.js';
import type { Database } from '../../../src/store/database.js';
import {
  Browser,
  clearSecurityTables,
  ManualClock,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from './security-app.js';

const owner = 'coordinator@example.gov.uk';
const strangerIp = '198.51.100.7';
const ownerIp = '203.0.113.20';

describe('sign-in under attack', function () {
  this.timeout(120_000);
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
    app = await startSecurityApp({ db, clock, knownDomains: ['example.gov.uk'] });
  });
  afterEach(async () => {
    await app.close();
  });

  const askForCode = async (browser: Browser, email: string) => {
    const csrf = await browser.csrfFrom('/sign-in');
    return { csrf, response: await browser.post('/sign-in', { _csrf: csrf, email }) };
  };
  const mailsTo = (email: string) => app.mailer.sent.filter((mail) => mail.to === email).length;

  describe('when a stranger floods the owner’s address with code requests', () => {
    it('still mails the owner a fresh code and lets them sign in with it', async () => {
      let refused = 0;
      for (let i = 0; i < 30; i += 1) {
        // A new session each time, as a script would.
        const { response } = await askForCode(new Browser(app.baseUrl, strangerIp), owner);
        if (response.status === 429) refused += 1;
      }
      assert.ok(refused >= 27, `the stranger was refused (${String(refused)} of 30)`);
      assert.equal(mailsTo(owner), signInLimits.sendsPerAddressPerIp, 'the owner got 3 mails');

      const browser = new Browser(app.baseUrl, ownerIp);
      const { csrf, response } = await askForCode(browser, owner);
      assert.equal(response.status, 303, 'the owner is not locked out');
      assert.equal(mailsTo(owner), signInLimits.sendsPerAddressPerIp + 1);
      const done = await browser.post('/sign-in/code', {
        _csrf: csrf,
        code: app.mailer.lastCode(),
      });
      assert.equal(done.status, 303);
      assert.equal(await (await browser.get('/whoami')).text(), owner);
    });

    it('gives a browser that signed in before its own budget, whatever strangers did', async () => {
      const trusted = new Browser(app.baseUrl, ownerIp);
      await trusted.signIn(app, owner);
      // A flood from many addresses uses up the address's hourly budget for unknown browsers.
      for (let i = 0; i < 20; i += 1) {
        await askForCode(new Browser(app.baseUrl, `198.51.100.${String(i + 1)}`), owner);
      }
      const before = mailsTo(owner);
      assert.ok(before <= signInLimits.sendsPerAddressPerHour + 1, `bounded: ${String(before)}`);
      const stranger = await askForCode(new Browser(app.baseUrl, '192.0.2.99'), owner);
      assert.equal(stranger.response.status, 429, 'a new stranger is refused');

      const csrf = await trusted.csrfFrom('/sign-out-page');
      await trusted.post('/sign-out', { _csrf: csrf });
      const again = await askForCode(trusted, owner);
      assert.equal(again.response.status, 303, 'the owner’s own browser still gets a code');
      const done = await trusted.post('/sign-in/code', {
        _csrf: again.csrf,
        code: app.mailer.lastCode(),
      });
      assert.equal(done.status, 303);
    });
  });

  describe('when anonymous requests try to mail many addresses', () => {
    it('mails a bounded number, counted in what was really sent', async () => {
      const started = Date.now();
      for (let i = 0; i < 100; i += 1) {
        await askForCode(
          new Browser(app.baseUrl, strangerIp),
          `person.${String(i)}@example.gov.uk`,
        );
      }
      assert.equal(app.mailer.sent.length, signInLimits.sendsPerIp);
      assert.ok(Date.now() - started > 0);
    });

    it('mails nothing to an address the service does not know', async () => {
      const { response } = await askForCode(new Browser(app.baseUrl), 'victim@example.net');
      assert.equal(response.status, 400);
      assert.match(await response.text(), /You cannot sign in with this email address/);
      assert.equal(app.mailer.sent.length, 0);
      const { rows } = await db.query('SELECT 1 FROM sign_in_codes');
      assert.equal(rows.length, 0);
    });

    it('mails an address the service knows as a user, whatever its domain', async () => {
      await db.query(
        `INSERT INTO users (id, email) VALUES ('00000000-0000-4000-8000-000000000001', 'staff@homes.example.org')`,
      );
      const { response } = await askForCode(new Browser(app.baseUrl), 'staff@homes.example.org');
      assert.equal(response.status, 303);
      assert.equal(mailsTo('staff@homes.example.org'), 1);
    });
  });

  describe('when codes are guessed from one address', () => {
    it('stops taking guesses after the limit, even the right code', async () => {
      const browser = new Browser(app.baseUrl, strangerIp);
      for (let round = 0; round < 4; round += 1) {
        const { csrf } = await askForCode(browser, `guess.${String(round)}@example.gov.uk`);
        for (let i = 0; i < 5; i += 1) {
          await browser.post('/sign-in/code', { _csrf: csrf, code: '000000' });
        }
      }
      const { csrf } = await askForCode(browser, 'guess.last@example.gov.uk');
      const right = await browser.post('/sign-in/code', {
        _csrf: csrf,
        code: app.mailer.lastCode(),
      });
      assert.equal(right.status, 429);
      assert.equal((await browser.get('/whoami')).status, 303, 'sent to sign in');
    });
  });

  describe('when a signed-in person is sent to a crafted return path', () => {
    for (const evil of [
      '%2F.%2F%2Fevil.example',
      '/.//evil.example',
      '/..//evil.example',
      '/%2e//evil.example',
      '/a/..//evil.example',
      '/\\evil.example',
      '/.\\/evil.example',
      '/%2F%2Fevil.example',
      '/%5Cevil.example',
    ]) {
      it(`redirects ${evil} to /`, async () => {
        const browser = new Browser(app.baseUrl);
        await browser.signIn(app, 'sam.worker@example.gov.uk');
        const query = evil.includes('%') ? evil : encodeURIComponent(evil);
        const response = await browser.get(`/sign-in?return=${query}`);
        assert.equal(response.status, 303);
        assert.equal(response.headers.get('location'), '/');
      });
    }
  });

  describe('when a person signs out everywhere', () => {
    it('ends their sessions on every device, and no one else’s', async () => {
      const laptop = new Browser(app.baseUrl);
      const phone = new Browser(app.baseUrl);
      const colleague = new Browser(app.baseUrl);
      await laptop.signIn(app, 'sam.worker@example.gov.uk');
      await phone.signIn(app, 'sam.worker@example.gov.uk');
      await colleague.signIn(app, 'alex.worker@example.gov.uk');
      const csrf = await laptop.csrfFrom('/sign-out-page');
      const response = await laptop.post('/sign-out/everywhere', { _csrf: csrf });
      assert.equal(response.status, 303);
      assert.equal((await laptop.get('/whoami')).status, 303, 'sent to sign in');
      assert.equal((await phone.get('/whoami')).status, 303, 'sent to sign in');
      assert.equal(await (await colleague.get('/whoami')).text(), 'alex.worker@example.gov.uk');
      const { rows } = await db.query<{ action: string }>(
        `SELECT action FROM audit_events WHERE action = 'sign-out.everywhere'`,
      );
      assert.equal(rows.length, 1);
    });
  });

  describe('when a session outlives its absolute lifetime', () => {
    it('ends however active it was', async () => {
      await app.close();
      app = await startSecurityApp({ db, clock, absoluteHours: 12 });
      const browser = new Browser(app.baseUrl);
      await browser.signIn(app, 'sam.worker@example.gov.uk');
      for (let hour = 0; hour < 11; hour += 1) {
        clock.advanceMinutes(60);
        assert.equal(
          (await browser.get('/whoami')).status,
          200,
          `active at hour ${String(hour + 1)}`,
        );
      }
      clock.advanceMinutes(61);
      assert.equal((await browser.get('/whoami')).status, 303, 'sent to sign in');
    });
  });
});
