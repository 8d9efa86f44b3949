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
      assert.match(html, new RegExp(`quote this reference: <strong[^>]*>${requestId}<`));
      const failure = app.logged.find((line) => line.msg === 'unexpected error');
      assert.equal(failure?.reqId, requestId);
      assert.equal(failure.code, 'ERR_INTERNAL');
      assert.doesNotMatch(JSON.stringify(app.logged), /jo\.bloggs|Fictional Road/);
    });

    describe('with personal data in the error message', () => {
      let response: Response;
      let html: string;
      before(async () => {
        app.logged.length = 0;
        response = await fetch(`${app.baseUrl}/forms/a-form/1b2c/boom`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'name=Łucja+Wiśniewska',
        });
        html = await response.text();
      });
      const failure = () => app.logged.find((line) => line.msg === 'unexpected error')!;

      it('logs the class, the stack frames and the message with the personal data removed', () => {
        const error = failure().error as { class: string; message: string; stack: string[] };
        assert.equal(error.class, 'TypeError');
        assert.equal(error.message, 'Cannot store [answer], [email], [postcode], [number]');
        assert.ok(error.stack.length > 0);
        assert.ok(error.stack.every((frame) => frame.startsWith('at ')));
        assert.match(error.stack.join('\n'), /security-app\.ts/);
        assert.doesNotMatch(
          JSON.stringify(app.logged),
          /Łucja|Wiśniewska|jo\.bloggs|AB1 2CD|07700/,
        );
      });

      it('shows the person the request id and no stack or message', () => {
        const requestId = response.headers.get('x-request-id')!;
        assert.equal(failure().reqId, requestId);
        assert.ok(html.includes(requestId));
        assert.doesNotMatch(html, /TypeError|Cannot store|at .*\.ts:\d+|Łucja/);
      });

      it('logs the request with its route pattern and status, never its URL', () => {
        const line = app.logged.find((entry) => entry.msg === 'request failed')!;
        assert.equal(line.route, '/forms/:formId/:draftId/boom');
        assert.deepEqual(line.res, { status: 500 });
        assert.deepEqual(line.req, { method: 'POST' });
        assert.equal(typeof line.responseTime, 'number');
        assert.doesNotMatch(JSON.stringify(app.logged), /1b2c|a-form/);
      });
    });
  });

  describe('when LOG_LEVEL is silent', () => {
    it('logs nothing, not even an unexpected error', async () => {
      const quiet = await startSecurityApp({ db, logLevel: 'silent' });
      try {
        const response = await fetch(`${quiet.baseUrl}/boom`);
        assert.equal(response.status, 500);
        await fetch(`${quiet.baseUrl}/public`);
        assert.deepEqual(quiet.logged, []);
      } finally {
        await quiet.close();
      }
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
        requestId: response.headers.get('x-request-id'),
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
