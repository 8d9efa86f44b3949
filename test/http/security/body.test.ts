import assert from 'node:assert/strict';
import { createApiToken } from '../../../src/auth/api-tokens.js';
import type { Database } from '../../../src/store/database.js';
import {
  Browser,
  clearSecurityTables,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from './security-app.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
describe('body middleware', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;
  let token: string;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await clearSecurityTables(db);
    app = await startSecurityApp({
      db,
      body: { maxFormBytes: 4096, maxJsonBytes: 2048 },
    });
    token = (await createApiToken(db, { name: 'case system' })).token;
  });
  afterEach(async () => {
    await app.close();
  });

  const postJson = (body: string, contentType = 'application/json') =>
    fetch(`${app.baseUrl}/api/v1/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    });

  describe('JSON on /api', () => {
    it('parses a good body into req.body', async () => {
      const response = await postJson('{"child":{"name":"Alex Example"}}');
      assert.equal(response.status, 201);
      const json = (await response.json()) as { body: unknown };
      assert.deepEqual(json.body, { child: { name: 'Alex Example' } });
    });

    it('answers malformed JSON with 400 ERR_HTTP_BODY_MALFORMED and runs no handler', async () => {
      const response = await postJson('{"child": ');
      assert.equal(response.status, 400);
      const json = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(json.error.code, 'ERR_HTTP_BODY_MALFORMED');
      assert.deepEqual(app.changes, []);
    });

    for (const key of ['__proto__', 'constructor', 'prototype']) {
      it(`refuses a nested "${key}" key with 400 and a clear message`, async () => {
        const response = await postJson(`{"a":[{"b":{"${key}":{"isAdmin":true}}}]}`);
        assert.equal(response.status, 400);
        const json = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(json.error.code, 'ERR_HTTP_BODY_MALFORMED');
        assert.match(json.error.message, new RegExp(`must not contain the key "${key}"`));
        assert.deepEqual(app.changes, []);
      });
    }

    it('answers an oversized body with 413 ERR_HTTP_BODY_TOO_LARGE', async () => {
      const response = await postJson(JSON.stringify({ text: 'x'.repeat(10_000) }));
      assert.equal(response.status, 413);
      const json = (await response.json()) as { error: { code: string } };
      assert.equal(json.error.code, 'ERR_HTTP_BODY_TOO_LARGE');
      assert.deepEqual(app.changes, []);
    });

    it('counts bytes of a chunked body with no Content-Length', async () => {
      const chunks = [Buffer.from('{"text":"'), Buffer.alloc(3000, 0x61), Buffer.from('"}')];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      const response = await fetch(`${app.baseUrl}/api/v1/echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      });
      assert.equal(response.status, 413);
      assert.deepEqual(app.changes, []);
    });

    it('answers a non-JSON API post with 415', async () => {
      const response = await postJson('a=1', 'application/x-www-form-urlencoded');
      assert.equal(response.status, 415);
      const json = (await response.json()) as { error: { code: string } };
      assert.equal(json.error.code, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('urlencoded forms', () => {
    it('answers an oversized form with 413 and changes nothing', async () => {
      const browser = new Browser(app.baseUrl);
      const csrf = await browser.csrfFrom('/sign-out-page');
      const response = await browser.post('/change', { _csrf: csrf, value: 'v'.repeat(5000) });
      assert.equal(response.status, 413);
      assert.deepEqual(app.changes, []);
    });
  });

  describe('multipart', () => {
    it('leaves a multipart body unread for the multipart middleware', async () => {
      const form = new FormData();
      form.append('evidence', new Blob([pdf]), 'letter.pdf');
      // Without the multipart middleware nothing reads it, so the CSRF check finds no token.
      const response = await new Browser(app.baseUrl).send('/upload', {
        method: 'POST',
        body: form,
      });
      assert.equal(response.status, 403);
      assert.deepEqual(app.changes, []);
    });
  });
});
