import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../errors/app-error.js';
import type { DocumentMetadata, DocumentStore } from '../../ports/document-store.js';

/** Options for {@link FilesystemDocumentStore}. */
export interface FilesystemDocumentStoreOptions {
  /** Folder for the encrypted files (created when missing). */
  dir: string;
  /** 32-byte AES-256 key. */
  key: Buffer;
}

const magic = Buffer.from('FWD1');
const ivLength = 12;
const tagLength = 16;
const headerLength = magic.length + ivLength + tagLength;
// Keys are ids like `submissions/SWR-2026-00042/pack.pdf`: no `..`, no leading slash, no oddities.
const validKey = /^[A-Za-z0-9_][A-Za-z0-9._@=+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._@=+-]*)*$/;

/**
 * Documents as encrypted files. Each file is `FWD1 | IV (12) | GCM tag (16) | ciphertext`,
 * where the plaintext is `metadata length (4) | metadata JSON | content`, so metadata is
 * encrypted too, and the document key is the AES-GCM additional data, so a file moved to
 * another key's place fails to open. File names are SHA-256 hashes of the key, so a key can
 * never point outside the folder and names reveal nothing.
 */
export class FilesystemDocumentStore implements DocumentStore {
  readonly #dir: string;
  readonly #key: Buffer;

  constructor(options: FilesystemDocumentStoreOptions) {
    if (options.key.length !== 32) {
      throw new AppError('ERR_CONFIG_INVALID', 'The document encryption key must be 32 bytes.');
    }
    this.#dir = options.dir;
    this.#key = Buffer.from(options.key);
  }

  /**
   * Deletes temporary files a crash left behind mid-write (a write goes to a temp file that is
   * then linked into place). Only those older than `olderThanMs`, so another process's write
   * in progress is left alone. Run at start-up; returns how many it removed.
   */
  async removeStaleTemps(olderThanMs = 10 * 60_000, now = new Date()): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/^\.[0-9a-f]{16}\.tmp$/.test(entry.name)) {
          const info = await stat(path).catch(() => undefined);
          if (info && now.getTime() - info.mtimeMs > olderThanMs) {
            await unlink(path).catch(() => undefined);
            removed += 1;
          }
        }
      }
    };
    await walk(this.#dir);
    return removed;
  }

  async put(key: string, content: Buffer, metadata: DocumentMetadata): Promise<void> {
    const { dir, file } = this.#locate(key);
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(key, 'utf8'));
    const meta = Buffer.from(JSON.stringify(metadata), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(meta.length);
    const ciphertext = Buffer.concat([
      cipher.update(length),
      cipher.update(meta),
      cipher.update(content),
      cipher.final(),
    ]);
    const body = Buffer.concat([magic, iv, cipher.getAuthTag(), ciphertext]);

    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // link() fails when the name exists, so an existing document is never replaced.
      await link(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError('ERR_DOCUMENT_EXISTS', 'A document with this key is already stored.');
      }
      throw error;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    await syncDir(dir);
  }

  async get(key: string): Promise<{ content: Buffer; metadata: DocumentMetadata } | undefined> {
    const { file } = this.#locate(key);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      if (body.length < headerLength + 4 || !body.subarray(0, magic.length).equals(magic)) {
        throw new Error('not a Formwork document file');
      }
      const iv = body.subarray(magic.length, magic.length + ivLength);
      const tag = body.subarray(magic.length + ivLength, headerLength);
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(key, 'utf8'));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body.subarray(headerLength)), decipher.final()]);
      const metaLength = plain.readUInt32BE(0);
      const metadata = JSON.parse(
        plain.subarray(4, 4 + metaLength).toString('utf8'),
      ) as DocumentMetadata;
      return { content: plain.subarray(4 + metaLength), metadata };
    } catch (cause) {
      throw new AppError(
        'ERR_DOCUMENT_CORRUPT',
        'A stored document failed its integrity check (tampered, corrupt or wrong key).',
        { cause },
      );
    }
  }

  async delete(key: string): Promise<void> {
    const { dir, file } = this.#locate(key);
    try {
      await unlink(file);
      await syncDir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async isReady(): Promise<boolean> {
    try {
      await mkdir(this.#dir, { recursive: true });
      await access(this.#dir, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  #locate(key: string): { dir: string; file: string } {
    if (
      key.length > 512 ||
      !validKey.test(key) ||
      key.split('/').some((part) => part === '.' || part === '..')
    ) {
      throw new AppError('ERR_DOCUMENT_KEY_INVALID', 'A document key is not valid.');
    }
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    const dir = join(this.#dir, hash.slice(0, 2));
    return { dir, file: join(dir, `${hash}.fwd`) };
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
