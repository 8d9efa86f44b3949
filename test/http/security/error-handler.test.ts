import assert from 'node:assert/strict';
import { createApiToken } from '../../../src/auth/api-tokens.js';
import { toAppError } from '../../../src/http/middleware/error-handler.js';
import type { Database } from '../../../src/store/database.js';
import { openTestDatabase, startSecurityApp, type SecurityApp } from './security-app.js';

describe('error handler', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;

  before(async () => {
    db = await openTestDatabase();
    app = await startSecurityApp({ db });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('shows a GOV.UK "Page not found" page for an unknown browser route', async () => {
    const response = await fetch(`${app.baseUrl}/nowhere`);
    assert.equal(response.status, 404);
    const html = await response.text();
    assert.match(html, /<h1 class="govuk-heading-l">Page not found<\/h1>/);
    assert.match(html, /If you typed the web address, check it is correct/);
  });

  it('answers an unknown API route with JSON', async () => {
    // The API needs a token first, so an unauthenticated call is a 401 in JSON.
    const response = await fetch(`${app.baseUrl}/api/v1/nowhere`);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="formwork"');
    assert.deepEqual(await response.json(), {
      error: { code: 'ERR_AUTH_TOKEN_INVALID', message: 'The API token is missing or not valid.' },
    });
  });

  describe('when a route fails unexpectedly', () => {
    it('shows the generic 500 page without the stack or message, and logs no personal data', async () => {
      app.logged.length = 0;
      const response = await fetch(`${app.baseUrl}/boom`);
      assert.equal(response.status, 500);
      const html = await response.text();
      assert.match(html, /Sorry, there is a problem with the service/);
      assert.doesNotMatch(html, /jo\.bloggs|Fictional Road|at .*\.ts:\d+/);
      const requestId = response.headers.get('x-request-id');
      assert.ok(requestId);
      assert.deepEqual(app.logged, [
        { level: 'error', code: 'ERR_INTERNAL', requestId, status: 500, errorName: 'Error' },
      ]);
      assert.doesNotMatch(JSON.stringify(app.logged), /jo\.bloggs/);
    });
  });

  it('redirects a browser GET that needs sign-in to the sign-in page with a return path', async () => {
    const response = await fetch(`${app.baseUrl}/whoami?tab=2`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/sign-in?return=%2Fwhoami%3Ftab%3D2');
  });

  it('answers an unexpected API failure with a generic JSON 500', async () => {
    const { token } = await createApiToken(db, { name: 'case system' });
    const response = await fetch(`${app.baseUrl}/api/v1/boom`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.doesNotMatch(text, /jo\.bloggs|stack/);
    assert.deepEqual(JSON.parse(text), {
      error: {
        code: 'ERR_INTERNAL',
        message: 'Sorry, there is a problem with the service. Try again later.',
      },
    });
  });

  describe('toAppError', () => {
    const cases: [unknown, string][] = [
      [{ type: 'entity.too.large', status: 413 }, 'ERR_HTTP_BODY_TOO_LARGE'],
      [{ type: 'entity.parse.failed', status: 400 }, 'ERR_HTTP_BODY_MALFORMED'],
      [{ status: 404 }, 'ERR_HTTP_NOT_FOUND'],
      [{ statusCode: 415 }, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'],
      [new TypeError('x is undefined'), 'ERR_INTERNAL'],
      ['a string', 'ERR_INTERNAL'],
    ];
    for (const [error, code] of cases) {
      it(`maps ${JSON.stringify(error)} to ${code}`, () => {
        assert.equal(toAppError(error).code, code);
      });
    }
  });
});
