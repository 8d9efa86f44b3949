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
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(24, 1),
]);
// A Windows executable's first bytes: "MZ", then NULs.
const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64)]);

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
      body: { maxFormBytes: 4096, maxJsonBytes: 2048, upload: { maxFileBytes: 1024, maxFiles: 2 } },
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

  describe('multipart uploads', () => {
    async function upload(files: { name: string; bytes: Buffer; type?: string }[]) {
      const browser = new Browser(app.baseUrl);
      const form = new FormData();
      form.set('_csrf', await browser.csrfFrom('/sign-out-page'));
      form.set('note', 'Referral letter');
      for (const file of files) {
        form.append(
          'evidence',
          new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }),
          file.name,
        );
      }
      return browser.send('/upload', { method: 'POST', body: form });
    }

    it('accepts allowed files, reporting the sniffed type and the fields', async () => {
      const response = await upload([
        { name: 'letter.pdf', bytes: pdf, type: 'application/pdf' },
        { name: 'C:\\photos\\room.png', bytes: png, type: 'image/png' },
      ]);
      assert.equal(response.status, 200);
      const json = (await response.json()) as {
        fields: Record<string, string[]>;
        uploads: { filename: string; mediaType: string; size: number }[];
      };
      assert.deepEqual(json.fields.note, ['Referral letter']);
      assert.deepEqual(
        json.uploads.map((u) => [u.filename, u.mediaType, u.size]),
        [
          ['letter.pdf', 'application/pdf', pdf.length],
          ['room.png', 'image/png', png.length],
        ],
      );
    });

    it('refuses an .exe renamed .pdf with 422 ERR_UPLOAD_TYPE', async () => {
      const response = await upload([{ name: 'letter.pdf', bytes: exe, type: 'application/pdf' }]);
      assert.equal(response.status, 422);
      assert.match(await response.text(), /The selected file must be a PDF, PNG, JPG, DOCX or TXT/);
      assert.deepEqual(app.changes, []);
    });

    it('refuses a text file whose name claims it is a PDF', async () => {
      const response = await upload([{ name: 'notes.pdf', bytes: Buffer.from('plain words') }]);
      assert.equal(response.status, 422);
      assert.deepEqual(app.changes, []);
    });

    it('refuses a file over the size limit with 413 and a clear message', async () => {
      const big = Buffer.concat([pdf, Buffer.alloc(2000, 0x20)]);
      const response = await upload([{ name: 'big.pdf', bytes: big }]);
      assert.equal(response.status, 413);
      assert.match(await response.text(), /The selected file must be smaller than 1KB/);
      assert.deepEqual(app.changes, []);
    });

    it('refuses more files than allowed with 413', async () => {
      const response = await upload([
        { name: 'a.pdf', bytes: pdf },
        { name: 'b.pdf', bytes: pdf },
        { name: 'c.pdf', bytes: pdf },
      ]);
      assert.equal(response.status, 413);
      assert.match(await response.text(), /You can only select up to 2 files/);
      assert.deepEqual(app.changes, []);
    });

    it('ignores an empty file input', async () => {
      const response = await upload([{ name: '', bytes: Buffer.alloc(0) }]);
      assert.equal(response.status, 200);
      const json = (await response.json()) as { uploads: unknown[] };
      assert.deepEqual(json.uploads, []);
    });

    it('still checks the CSRF token of a multipart post', async () => {
      const form = new FormData();
      form.set('_csrf', 'forged');
      form.append('evidence', new Blob([pdf]), 'letter.pdf');
      const response = await new Browser(app.baseUrl).send('/upload', {
        method: 'POST',
        body: form,
      });
      assert.equal(response.status, 403);
      assert.deepEqual(app.changes, []);
    });
  });
});
