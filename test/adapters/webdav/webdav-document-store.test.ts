import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { WebdavDocumentStore } from '../../../src/adapters/dms/webdav-document-store.js';
import { isAppError } from '../../../src/errors/app-error.js';
import { startWebdavTestServer, type WebdavTestServer } from './webdav-test-server.js';

const metadata = {
  filename: 'referral-pack.pdf',
  mediaType: 'application/pdf',
  reference: 'SWR-2026-00042',
  formVersion: '1.0.0+abc123',
  documentType: 'referral-pack',
  classification: 'OFFICIAL-SENSITIVE',
  retentionDate: '2101-03-04',
};

function hasCode(code: string): (error: unknown) => boolean {
  return (error) => isAppError(error) && error.code === code;
}

describe('WebdavDocumentStore', function () {
  let server: WebdavTestServer;
  let store: WebdavDocumentStore;
  const key = randomBytes(32);

  beforeEach(async function () {
    server = await startWebdavTestServer();
    store = new WebdavDocumentStore({ url: server.url, key, timeoutMs: 2000 });
  });

  afterEach(async function () {
    await server.stop();
  });

  it('is ready when the server answers PROPFIND with the credentials', async function () {
    assert.equal(await store.isReady(), true);
  });

  it('gives back the same bytes and metadata it stored, creating collections as needed', async function () {
    const content = randomBytes(70_000);
    await store.put('SWR-2026-00042/packs/referral-pack.pdf', content, metadata);
    const found = await store.get('SWR-2026-00042/packs/referral-pack.pdf');
    assert.ok(found);
    assert.ok(found.content.equals(content));
    assert.deepEqual(found.metadata, metadata);
  });

  it('encrypts content and metadata before they reach the server', async function () {
    const content = Buffer.from('Alex Example is at risk', 'utf8');
    await store.put('SWR-2026-00043/summary.txt', content, { ...metadata, filename: 'alex.txt' });
    for (const path of ['SWR-2026-00043/summary.txt', 'SWR-2026-00043/summary.txt.meta.json']) {
      const raw = await fetch(server.httpBase + path, {
        headers: { Authorization: server.authorization },
      });
      assert.equal(raw.status, 200);
      const bytes = Buffer.from(await raw.arrayBuffer());
      assert.equal(bytes.subarray(0, 4).toString('ascii'), 'FWE1');
      assert.ok(!bytes.includes('Alex'));
      assert.ok(!bytes.includes('alex.txt'));
    }
  });

  it('stores plain bytes and a readable JSON sidecar when no key is given', async function () {
    const plain = new WebdavDocumentStore({ url: server.url });
    await plain.put('plain/note.txt', Buffer.from('hello'), {
      filename: 'note.txt',
      mediaType: 'text/plain',
    });
    const raw = await fetch(`${server.httpBase}plain/note.txt.meta.json`, {
      headers: { Authorization: server.authorization },
    });
    assert.deepEqual(await raw.json(), { filename: 'note.txt', mediaType: 'text/plain' });
    assert.equal((await plain.get('plain/note.txt'))?.content.toString(), 'hello');
  });

  it('refuses to overwrite an existing document and keeps the original', async function () {
    await store.put('SWR-2026-00044/pack.pdf', Buffer.from('first'), metadata);
    await assert.rejects(
      store.put('SWR-2026-00044/pack.pdf', Buffer.from('second'), {
        ...metadata,
        filename: 'other.pdf',
      }),
      hasCode('ERR_DOCUMENT_EXISTS'),
    );
    const found = await store.get('SWR-2026-00044/pack.pdf');
    assert.ok(found);
    assert.equal(found.content.toString(), 'first');
    assert.equal(found.metadata.filename, 'referral-pack.pdf');
  });

  it('returns undefined for a key that was never stored', async function () {
    assert.equal(await store.get('SWR-2026-00099/missing.pdf'), undefined);
  });

  it('deletes the document and its metadata, and deleting again is harmless', async function () {
    await store.put('SWR-2026-00045/pack.pdf', Buffer.from('x'), metadata);
    await store.delete('SWR-2026-00045/pack.pdf');
    assert.equal(await store.get('SWR-2026-00045/pack.pdf'), undefined);
    const sidecar = await fetch(`${server.httpBase}SWR-2026-00045/pack.pdf.meta.json`, {
      headers: { Authorization: server.authorization },
    });
    assert.equal(sidecar.status, 404);
    await store.delete('SWR-2026-00045/pack.pdf');
    await store.put('SWR-2026-00045/pack.pdf', Buffer.from('y'), metadata);
    assert.equal((await store.get('SWR-2026-00045/pack.pdf'))?.content.toString(), 'y');
  });

  it('reports a document whose bytes were changed on the server as corrupt', async function () {
    await store.put('SWR-2026-00046/pack.pdf', Buffer.from('original'), metadata);
    const raw = await fetch(`${server.httpBase}SWR-2026-00046/pack.pdf`, {
      headers: { Authorization: server.authorization },
    });
    const bytes = Buffer.from(await raw.arrayBuffer());
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await fetch(`${server.httpBase}SWR-2026-00046/pack.pdf`, {
      method: 'PUT',
      headers: { Authorization: server.authorization },
      body: bytes,
    });
    await assert.rejects(store.get('SWR-2026-00046/pack.pdf'), hasCode('ERR_DOCUMENT_CORRUPT'));
  });

  it('rejects unsafe keys before any request and stores nothing', async function () {
    for (const bad of [
      '../escape.pdf',
      'a//b',
      '',
      'a/pack.pdf.meta.json',
      'a/b c.pdf',
      '.hidden',
    ]) {
      await assert.rejects(
        store.put(bad, Buffer.from('x'), metadata),
        hasCode('ERR_DOCUMENT_KEY_INVALID'),
      );
    }
    const listing = await fetch(server.httpBase, {
      method: 'PROPFIND',
      headers: { Authorization: server.authorization, Depth: '1' },
    });
    const xml = await listing.text();
    assert.ok(!xml.includes('escape'));
  });

  it('treats wrong credentials as a permanent rejection', async function () {
    const wrong = new WebdavDocumentStore({
      url: server.url.replace('formwork:', 'intruder:'),
      key,
    });
    await assert.rejects(
      wrong.put('SWR-2026-00047/pack.pdf', Buffer.from('x'), metadata),
      (error: unknown) => {
        return (
          hasCode('ERR_DMS_REJECTED')(error) &&
          isAppError(error) &&
          error.details?.retryable === false
        );
      },
    );
    assert.equal(await wrong.isReady(), false);
  });

  it('rejects URLs that are not webdav:// or webdavs://', function () {
    assert.throws(
      () => new WebdavDocumentStore({ url: 'ftp://example.org/dms' }),
      hasCode('ERR_CONFIG_INVALID'),
    );
    assert.throws(
      () => new WebdavDocumentStore({ url: server.url, key: randomBytes(16) }),
      hasCode('ERR_CONFIG_INVALID'),
    );
  });

  describe('when the server stops and comes back', function () {
    it('fails with a retryable error while it is down, then works again', async function () {
      await store.put('SWR-2026-00048/before.pdf', Buffer.from('before'), metadata);
      await server.stop();
      assert.equal(await store.isReady(), false);
      await assert.rejects(
        store.put('SWR-2026-00048/during.pdf', Buffer.from('during'), metadata),
        (error: unknown) => {
          return (
            hasCode('ERR_DMS_UNAVAILABLE')(error) && isAppError(error) && error.statusCode === 503
          );
        },
      );
      await assert.rejects(store.get('SWR-2026-00048/before.pdf'), hasCode('ERR_DMS_UNAVAILABLE'));
      await server.restart();
      assert.equal(await store.isReady(), true);
      await store.put('SWR-2026-00048/during.pdf', Buffer.from('during'), metadata);
      assert.equal((await store.get('SWR-2026-00048/before.pdf'))?.content.toString(), 'before');
      assert.equal((await store.get('SWR-2026-00048/during.pdf'))?.content.toString(), 'during');
    });
  });
});
