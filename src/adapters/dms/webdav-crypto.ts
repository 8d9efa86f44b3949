import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../errors/app-error.js';

const MAGIC = Buffer.from('FWE1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES + TAG_BYTES;

/**
 * Seals `plain` with AES-256-GCM: `FWE1 | iv (12) | tag (16) | ciphertext`. `context` (the
 * document key) is bound as additional authenticated data, so a blob copied to another key
 * fails to open.
 */
export function sealWebdavBlob(plain: Buffer, key: Buffer, context: string): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

/** Opens a blob made by {@link sealWebdavBlob}; a wrong key, context or tampering is ERR_DOCUMENT_CORRUPT. */
export function openWebdavBlob(sealed: Buffer, key: Buffer, context: string): Buffer {
  assertKey(key);
  if (sealed.length < HEADER_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AppError('ERR_DOCUMENT_CORRUPT', 'stored document is not in the encrypted format');
  }
  const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = sealed.subarray(MAGIC.length + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new AppError('ERR_DOCUMENT_CORRUPT', 'stored document failed authentication', { cause });
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) {
    throw new AppError('ERR_CONFIG_INVALID', 'the document encryption key must be 32 bytes');
  }
}
