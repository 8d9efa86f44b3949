import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemDocumentStore } from '../../src/adapters/dms/filesystem-document-store.js';
import { WebdavDocumentStore } from '../../src/adapters/dms/webdav-document-store.js';
import { openDocumentStore } from '../../src/adapters/dms/open-document-store.js';

async function storedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('FilesystemDocumentStore', () => {
  let dir: string;
  let store: FilesystemDocumentStore;
  const key = randomBytes(32);
  const metadata = { filename: 'care-plan.pdf', mediaType: 'application/pdf', pages: 3 };
  const content = Buffer.from('Fictitious care plan for Alex Example, 1 Test Street, Exampletown');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'formwork-dms-'));
    store = new FilesystemDocumentStore({ dir: join(dir, 'dms'), key });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('when a crash interrupted a write', () => {
    it('removes the stale temporary file at start and keeps documents and fresh temps', async () => {
      await store.put('submissions/SWR-2026-00042/care-plan.pdf', content, metadata);
      const [stored] = await storedFiles(join(dir, 'dms'));
      assert.ok(stored);
      const folder = stored.slice(0, stored.lastIndexOf('/'));
      const stale = join(folder, '.0123456789abcdef.tmp');
      const fresh = join(folder, '.fedcba9876543210.tmp');
      await writeFile(stale, 'half a document');
      await writeFile(fresh, 'a write in progress');
      const later = new Date(Date.now() + 5 * 60_000);
      assert.equal(await store.removeStaleTemps(60_000, later), 2);
      const left = await storedFiles(join(dir, 'dms'));
      assert.deepEqual(left, [stored]);
      assert.deepEqual(await store.get('submissions/SWR-2026-00042/care-plan.pdf'), {
        content,
        metadata,
      });
      await writeFile(fresh, 'a write in progress');
      assert.equal(await store.removeStaleTemps(60_000), 0, 'a write in progress is left alone');
      assert.equal((await storedFiles(join(dir, 'dms'))).length, 2);
    });
  });

  it('round-trips content and metadata', async () => {
    await store.put('submissions/SWR-2026-00042/care-plan.pdf', content, metadata);
    const got = await store.get('submissions/SWR-2026-00042/care-plan.pdf');
    assert.deepEqual(got, { content, metadata });
  });

  it('encrypts content, metadata and the key name at rest, with mode 0600', async () => {
    await store.put('submissions/SWR-2026-00042/care-plan.pdf', content, metadata);
    const files = await storedFiles(join(dir, 'dms'));
    assert.equal(files.length, 1);
    const raw = await readFile(files[0]!);
    for (const secret of ['Alex Example', 'care-plan', 'application/pdf', 'SWR-2026']) {
      assert.ok(!raw.includes(secret), `${secret} is not visible`);
      assert.ok(!files[0]!.includes(secret), `${secret} is not in the path`);
    }
    assert.equal((await stat(files[0]!)).mode & 0o777, 0o600);
  });

  it('uses a fresh IV each time', async () => {
    await store.put('a', content, metadata);
    await store.put('b', content, metadata);
    const [first, second] = await Promise.all(
      (await storedFiles(join(dir, 'dms'))).map((file) => readFile(file)),
    );
    assert.ok(!first!.subarray(4, 16).equals(second!.subarray(4, 16)));
  });

  it('returns undefined for a missing key and deletes idempotently', async () => {
    assert.equal(await store.get('missing'), undefined);
    await store.put('doc', content, metadata);
    await store.delete('doc');
    await store.delete('doc');
    assert.equal(await store.get('doc'), undefined);
  });

  it('refuses to replace an existing key and keeps the original', async () => {
    await store.put('doc', content, metadata);
    await assert.rejects(store.put('doc', Buffer.from('other'), metadata), {
      code: 'ERR_DOCUMENT_EXISTS',
    });
    assert.deepEqual((await store.get('doc'))?.content, content);
    assert.equal((await storedFiles(join(dir, 'dms'))).length, 1);
  });

  it('lets only one of two concurrent puts of the same key win', async () => {
    const results = await Promise.allSettled([
      store.put('race', Buffer.from('one'), metadata),
      store.put('race', Buffer.from('two'), metadata),
    ]);
    assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
  });

  it('detects a tampered file', async () => {
    await store.put('doc', content, metadata);
    const [file] = await storedFiles(join(dir, 'dms'));
    const raw = await readFile(file!);
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x01;
    await writeFile(file!, raw);
    await assert.rejects(store.get('doc'), { code: 'ERR_DOCUMENT_CORRUPT' });
  });

  it('detects a file moved into another key’s place', async () => {
    await store.put('first', Buffer.from('first'), metadata);
    await store.put('second', Buffer.from('second'), metadata);
    const before = await storedFiles(join(dir, 'dms'));
    await store.delete('second');
    const [remaining] = await storedFiles(join(dir, 'dms'));
    const secondPath = before.find((file) => file !== remaining)!;
    await rename(remaining!, secondPath);
    await assert.rejects(store.get('second'), { code: 'ERR_DOCUMENT_CORRUPT' });
  });

  it('cannot read with the wrong key', async () => {
    await store.put('doc', content, metadata);
    const other = new FilesystemDocumentStore({ dir: join(dir, 'dms'), key: randomBytes(32) });
    await assert.rejects(other.get('doc'), { code: 'ERR_DOCUMENT_CORRUPT' });
  });

  for (const bad of [
    '../escape',
    'a/../../b',
    '/etc/passwd',
    '',
    'a//b',
    'a\\b',
    'bad\nkey',
    './a',
    'a/.',
    'x'.repeat(600),
  ]) {
    it(`rejects the key ${JSON.stringify(bad.slice(0, 20))} and writes nothing`, async () => {
      await assert.rejects(store.put(bad, content, metadata), { code: 'ERR_DOCUMENT_KEY_INVALID' });
      await assert.rejects(store.get(bad), { code: 'ERR_DOCUMENT_KEY_INVALID' });
      assert.deepEqual(await readdir(dir), []);
    });
  }

  it('is ready when its folder is writable', async () => {
    assert.equal(await store.isReady(), true);
    await writeFile(join(dir, 'blocker'), 'x');
    const blocked = new FilesystemDocumentStore({ dir: join(dir, 'blocker', 'dms'), key });
    assert.equal(await blocked.isReady(), false);
  });

  it('rejects a key that is not 32 bytes', () => {
    assert.throws(() => new FilesystemDocumentStore({ dir, key: randomBytes(16) }), {
      code: 'ERR_CONFIG_INVALID',
    });
  });
});

describe('openDocumentStore', () => {
  it('opens the filesystem store with the configured key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'formwork-dms-'));
    try {
      const dataKey = randomBytes(32).toString('base64');
      const config = {
        dms: { kind: 'filesystem' as const, dir },
        keys: { sessionSecret: 'x'.repeat(32), dataKey },
      };
      await openDocumentStore(config).put('doc', Buffer.from('hello'), {
        filename: 'a.txt',
        mediaType: 'text/plain',
      });
      const again = await openDocumentStore(config).get('doc');
      assert.equal(again?.content.toString(), 'hello');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens a WebDAV store for a webdav(s):// DMS_URL', () => {
    const store = openDocumentStore({
      dms: { kind: 'webdav', url: 'webdavs://dms.example.org/records' },
      keys: { sessionSecret: 'x'.repeat(32), dataKey: randomBytes(32).toString('base64') },
    });
    assert.ok(store instanceof WebdavDocumentStore);
  });
});
