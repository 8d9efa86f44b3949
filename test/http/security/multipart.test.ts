import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/store/database.js';
import {
  Browser,
  clearSecurityTables,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from './security-app.js';
import { fileHead, partHead, sendSlowly } from '../../support/send-slowly.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');

interface Echo {
  fields: Record<string, string[]>;
  uploads: { field: string; filename: string; size: number; tooLarge: boolean; path: string }[];
}

describe('multipart middleware', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;
  let tempDir: string;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await clearSecurityTables(db);
    tempDir = await mkdtemp(join(tmpdir(), 'formwork-multipart-'));
    app = await startSecurityApp({
      db,
      multipart: {
        tempDir,
        maxFileBytesFor: (req) => (req.path === '/upload' ? 1024 : undefined),
        maxRequestBytes: 64 * 1024,
        maxFiles: 2,
      },
    });
  });
  afterEach(async () => {
    await app.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  const upload = async (
    files: { name: string; bytes: Buffer }[],
    options: { path?: string; csrf?: string; csrfLast?: boolean } = {},
  ) => {
    const browser = new Browser(app.baseUrl);
    const token = options.csrf ?? (await browser.csrfFrom('/sign-out-page'));
    const form = new FormData();
    if (!options.csrfLast) form.set('_csrf', token);
    for (const file of files) form.append('evidence', new Blob([file.bytes]), file.name);
    form.set('note', 'Referral letter');
    if (options.csrfLast) form.set('_csrf', token);
    return browser.send(options.path ?? '/upload', { method: 'POST', body: form });
  };

  describe('when a page asks for files and the token comes first', () => {
    it('streams each file to its own temporary file and passes the fields on', async () => {
      const response = await upload([
        { name: 'letter.pdf', bytes: pdf },
        { name: 'C:\\photos\\room.pdf', bytes: pdf },
      ]);
      assert.equal(response.status, 200);
      const json = (await response.json()) as Echo;
      assert.deepEqual(json.fields.note, ['Referral letter']);
      assert.deepEqual(
        json.uploads.map((u) => [u.field, u.filename, u.size, u.tooLarge]),
        [
          ['evidence', 'letter.pdf', pdf.length, false],
          ['evidence', 'room.pdf', pdf.length, false],
        ],
      );
      assert.ok(json.uploads.every((u) => u.path.startsWith(tempDir)));
    });

    it('removes the temporary files once the response has been sent', async () => {
      const response = await upload([{ name: 'letter.pdf', bytes: pdf }]);
      const json = (await response.json()) as Echo;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await assert.rejects(readFile(json.uploads[0]!.path), { code: 'ENOENT' });
      assert.deepEqual(await readdir(tempDir), []);
    });

    it('marks a file over the limit as too large and still reads the fields after it', async () => {
      const response = await upload([{ name: 'big.pdf', bytes: Buffer.alloc(4000, 0x20) }]);
      assert.equal(response.status, 200);
      const json = (await response.json()) as Echo;
      assert.equal(json.uploads[0]?.tooLarge, true);
      assert.deepEqual(json.fields.note, ['Referral letter']);
    });

    it('ignores an empty file input', async () => {
      const response = await upload([{ name: '', bytes: Buffer.alloc(0) }]);
      assert.deepEqual(((await response.json()) as Echo).uploads, []);
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
  });

  describe('when the CSRF token is wrong or not the first part', () => {
    it('refuses a forged token with 403', async () => {
      const response = await upload([{ name: 'letter.pdf', bytes: pdf }], { csrf: 'forged' });
      assert.equal(response.status, 403);
      assert.deepEqual(app.changes, []);
    });

    it('refuses a good token sent after the file with 403', async () => {
      const response = await upload([{ name: 'letter.pdf', bytes: pdf }], { csrfLast: true });
      assert.equal(response.status, 403);
      assert.deepEqual(app.changes, []);
    });

    it('refuses a forged token before reading the file that follows it', async () => {
      const browser = new Browser(app.baseUrl);
      await browser.csrfFrom('/sign-out-page');
      const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const result = await sendSlowly({
        url: app.baseUrl,
        path: '/upload',
        cookie,
        head: Buffer.from(partHead('_csrf', 'forged') + fileHead('evidence', 'letter.pdf')),
        totalBytes: 100 * 1024 * 1024,
        chunked: true,
      });
      assert.equal(result.status, 403);
      assert.ok(result.written < 4 * 1024 * 1024, `${String(result.written)} bytes were read`);
      assert.deepEqual(app.changes, []);
      assert.deepEqual(await readdir(tempDir), []);
    });
  });

  describe('when the body is far too large', () => {
    it('refuses a declared 100 MiB body at once, reading none of it', async () => {
      const result = await sendSlowly({
        url: app.baseUrl,
        path: '/upload',
        head: Buffer.from(fileHead('evidence', 'letter.pdf')),
        totalBytes: 100 * 1024 * 1024,
      });
      assert.equal(result.status, 413);
      assert.ok(result.written < 4 * 1024 * 1024, `${String(result.written)} bytes were read`);
    });

    it('stops an undeclared (chunked) body at the per-request ceiling', async () => {
      const browser = new Browser(app.baseUrl);
      const token = await browser.csrfFrom('/sign-out-page');
      const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const result = await sendSlowly({
        url: app.baseUrl,
        path: '/upload',
        cookie,
        head: Buffer.from(partHead('_csrf', token) + fileHead('evidence', 'letter.pdf')),
        totalBytes: 100 * 1024 * 1024,
        chunked: true,
      });
      assert.equal(result.status, 413);
      assert.ok(result.written < 4 * 1024 * 1024, `${String(result.written)} bytes were read`);
      assert.deepEqual(app.changes, []);
    });
  });

  describe('when the page asks for no file', () => {
    it('refuses any multipart body with 415, before reading it', async () => {
      const response = await upload([{ name: 'letter.pdf', bytes: pdf }], { path: '/change' });
      assert.equal(response.status, 415);
      assert.deepEqual(app.changes, []);
    });
  });
});
