import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('a form that names the roles who may fill it in', function () {
  this.timeout(120_000);
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
    await app.addUser('analyst.roles@example.gov.uk', 'analyst');
    await app.addUser('sw.roles@example.gov.uk', 'social-worker', '383');
  });
  after(() => app.stop());

  describe('when an analyst opens the referral form', () => {
    it('answers its start page with a 403 saying who can fill it in, and the request id', async () => {
      const client = await app.signedIn('analyst.roles@example.gov.uk');
      const page = await client.get('/forms/secure-welfare-referral');
      assert.equal(page.status, 403);
      assert.equal(page.$('h1').text().trim(), 'You cannot fill in this form');
      assert.match(
        page.$('main').text(),
        /Only social workers and team managers can fill in this form\./,
      );
      assert.ok(page.$('.app-request-id').text().trim().length > 0, 'the request id is shown');
      assert.equal(page.$('button:contains("Start now")').length, 0);
    });

    it('refuses to start a draft', async () => {
      const client = await app.signedIn('analyst.roles@example.gov.uk');
      // a page with a CSRF token, as the start page would give someone who may fill it in
      await client.get('/sign-out');
      const started = await client.post('/forms/secure-welfare-referral/start', {});
      assert.equal(started.status, 403);
      assert.match(started.$('main').text(), /You cannot fill in this form/);
    });

    it('leaves it out of the list of forms', async () => {
      const client = await app.signedIn('analyst.roles@example.gov.uk');
      const home = await client.get('/');
      assert.equal(home.$('a[href="/forms/secure-welfare-referral"]').length, 0);
    });
  });

  describe('when a social worker of a local authority opens it', () => {
    it('lists it, and lets them start a draft', async () => {
      const client = await app.signedIn('sw.roles@example.gov.uk');
      const home = await client.get('/');
      assert.equal(home.$('a[href="/forms/secure-welfare-referral"]').length, 1);
      const start = await client.get('/forms/secure-welfare-referral');
      assert.equal(start.status, 200);
      const started = await client.post('/forms/secure-welfare-referral/start', {});
      assert.equal(started.status, 200);
      assert.match(new URL(started.url).pathname, /\/task-list$/);
    });

    it('refuses them the census form, which only HR officers fill in', async () => {
      const client = await app.signedIn('sw.roles@example.gov.uk');
      const page = await client.get('/forms/social-care-workforce-census');
      assert.equal(page.status, 403);
      assert.match(page.$('main').text(), /Only HR officers can fill in this form\./);
    });
  });

  describe('when a social worker loses the role with a draft half done', () => {
    it('refuses the draft’s pages and its sending, keeps the draft, and gives it back with the role', async () => {
      const email = 'sw.leaving@example.gov.uk';
      await app.addUser(email, 'social-worker', '383');
      const client = await app.signedIn(email);
      await client.get('/forms/secure-welfare-referral');
      const started = await client.post('/forms/secure-welfare-referral/start', {});
      const taskList = new URL(started.url).pathname;
      const draftPath = taskList.replace(/\/task-list$/, '');
      assert.equal((await client.get(taskList)).status, 200);

      await app.removeRole(email, 'social-worker');
      const refused = await client.get(taskList);
      assert.equal(refused.status, 403);
      assert.match(refused.$('main').text(), /You cannot fill in this form/);
      const sent = await client.post(`${draftPath}/check-answers`, {});
      assert.equal(sent.status, 403);
      assert.match(sent.$('main').text(), /You cannot fill in this form/);
      const { rows } = await app.running.db.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM submissions s JOIN users u ON u.id = s.user_id
          WHERE u.email = $1`,
        [email],
      );
      assert.equal(Number(rows[0]?.count), 0, 'nothing was sent');

      await app.addUser(email, 'social-worker', '383');
      assert.equal((await client.get(taskList)).status, 200, 'the draft is still there');
    });

    it('says so when the role was not held, and changes nothing', async () => {
      await assert.rejects(
        app.removeRole('sw.roles@example.gov.uk', 'coordinator'),
        /does not hold the coordinator role/,
      );
      const client = await app.signedIn('sw.roles@example.gov.uk');
      assert.equal((await client.get('/forms/secure-welfare-referral')).status, 200);
    });
  });

  describe('when no one is signed in', () => {
    it('shows the start page, which asks them to sign in', async () => {
      const page = await app.client().get('/forms/secure-welfare-referral');
      assert.equal(page.status, 200);
    });
  });
});
