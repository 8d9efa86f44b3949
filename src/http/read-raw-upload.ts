import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import { AppError } from '../errors/app-error.js';
import { describeUnstorable } from './middleware/unstorable-input.js';

/** A request body written to a temporary file. */
export interface RawUpload {
  path: string;
  sizeBytes: number;
  filename: string;
}

/** The file name a `Content-Disposition` header gives (`filename*=UTF-8''…` first). */
export function filenameOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1] !== undefined) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      return undefined;
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const plain = /filename\s*=\s*([^;\s]+)/.exec(header);
  return plain?.[1];
}

/**
 * Streams a raw request body (an API upload) into a new file under `dir`, refusing it as soon as
 * it passes `limit` bytes (413 `ERR_UPLOAD_TOO_LARGE`, the rest discarded). The file name comes
 * from `Content-Disposition`, never the URL, which must not carry personal data.
 */
export async function readRawUpload(req: Request, dir: string, limit: number): Promise<RawUpload> {
  const filename = filenameOf(req.get('content-disposition'))?.trim() ?? '';
  const badName =
    filename === '' ||
    filename.length > 255 ||
    /[/\\]/.test(filename) ||
    describeUnstorable(filename);
  if (badName) {
    req.resume();
    throw new AppError('ERR_HTTP_BODY_MALFORMED', 'api upload without a usable file name', {
      userMessage:
        'Name the file in a Content-Disposition header, for example: attachment; filename="care-plan.pdf"',
    });
  }
  const declared = Number(req.headers['content-length']);
  const tooLarge = () =>
    new AppError('ERR_UPLOAD_TOO_LARGE', `api upload over ${String(limit)} bytes`, {
      details: { limitBytes: limit },
    });
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge();
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomBytes(12).toString('hex'));
  const out = createWriteStream(path, { flags: 'wx' });
  return new Promise((resolve, reject) => {
    let size = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge());
    });
    req.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => {
      if (!failed) resolve({ path, sizeBytes: size, filename });
    });
    req.pipe(out);
  });
}
