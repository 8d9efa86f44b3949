import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('The request log', function () {
  this.timeout(60_000);
  let app: TestApp;
  const records: Record<string, unknown>[] = [];
  /** The `route` of the request line logged for the last request. */
  const lastRoute = async () => {
    // pino writes the line when the response finishes, a tick after the client has it
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = records.filter((record) => String(record.msg).startsWith('request '));
    return lines.at(-1)?.route;
  };

  before(async () => {
    app = await startTestApp({ logRecords: (record) => records.push(record) });
  });
  after(async () => {
    await app.stop();
  });

  describe('when a route declared with several paths redirects to sign-in', () => {
    it('logs the pattern the request matched, not "unmatched"', async () => {
      const client = app.client();
      const page = await client.download('/homes/respond/not-a-real-token');
      assert.equal(page.status, 303);
      assert.match(page.headers.get('location') ?? '', /^\/sign-in\?return=/);
      assert.equal(await lastRoute(), '/homes/respond/:token');
      await client.download('/respond/not-a-real-token');
      assert.equal(await lastRoute(), '/respond/:token');
      await client.download('/respond/not-a-real-token/pack.pdf');
      assert.equal(await lastRoute(), '/respond/:token/pack.pdf');
    });
  });

  describe('when a home posts an answer that is refused', () => {
    it('logs the pattern of the route that refused it', async () => {
      const home = await app.signedIn('adel-beck@homes.example.org', '/my-forms');
      // any page with a form gives this session's CSRF token (home staff cannot open the referral form)
      await home.get('/sign-out');
      const refused = await home.post('/homes/respond/not-a-real-token', { answer: 'declined' });
      assert.equal(refused.status, 404);
      assert.equal(await lastRoute(), '/homes/respond/:token');
    });
  });

  describe('when an API request is refused for its bearer token', () => {
    it('logs the pattern of the API route that refused it', async () => {
      const missing = await fetch(`${app.url}/api/v1/forms/secure-welfare-referral/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(missing.status, 401);
      assert.equal(await lastRoute(), '/api/v1/forms/:formId/submissions');
      const unknown = await fetch(`${app.url}/api/v1/submissions/SWR-2026-00002`, {
        headers: { authorization: 'Bearer not-a-real-token' },
      });
      assert.equal(unknown.status, 401);
      assert.equal(await lastRoute(), '/api/v1/submissions/:reference');
    });
  });

  it('still says "unmatched" for a path no route serves, and never logs the URL', async () => {
    await app.client().get('/no/such/page/SWR-2026-00001');
    assert.equal(await lastRoute(), 'unmatched');
    assert.ok(!JSON.stringify(records).includes('SWR-2026-00001'));
  });
});
