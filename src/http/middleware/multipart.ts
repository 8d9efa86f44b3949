import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { UploadedFile } from '../request-context.js';
import { tokensMatch } from './csrf.js';

/** Options for {@link createMultipartMiddleware}. */
export interface MultipartOptions {
  /** Where each request's files are streamed, in a directory of its own removed afterwards. */
  tempDir: string;
  /**
   * The largest file a page's questions take, or undefined when the request's page has no file
   * question: then the body is refused unread. Decided from the URL alone, before any byte.
   */
  maxFileBytesFor: (req: Request) => number | undefined;
  /** Every byte of one request together. Default 50 MiB. */
  maxRequestBytes?: number;
  /** Text fields together. Default 1 MiB. */
  maxFieldBytes?: number;
  /** Files in one request. Default 20. */
  maxFiles?: number;
}

const mebibyte = 1024 * 1024;

/**
 * Reads `multipart/form-data` bodies, and only on pages that ask for files. Mount after the
 * session middleware and before the CSRF middleware. In this order, and before reading a file:
 * - the page must have a file question (else 415 `ERR_HTTP_UNSUPPORTED_MEDIA_TYPE`);
 * - a declared length over the per-request ceiling is refused (413 `ERR_HTTP_BODY_TOO_LARGE`);
 * - the first part must be the `_csrf` field and match the session's token (else 403
 *   `ERR_HTTP_CSRF`). Browsers send form fields in tree order (HTML's "constructing the entry
 *   list"), and our forms put the token's hidden input first, so an honest browser always passes;
 *   keeping the token out of the URL keeps it out of logs, history and Referer headers.
 * Files then stream to a temporary directory (never memory) under `tempDir`, removed when the
 * response ends whatever happened. A file over its page's limit is cut off and marked
 * `tooLarge`, the rest of the body still read, so the page can say so with every other answer
 * kept. A refused body is never parsed: its connection is closed soon after the answer.
 */
export function createMultipartMiddleware(options: MultipartOptions): RequestHandler {
  const limits = {
    maxRequestBytes: options.maxRequestBytes ?? 50 * mebibyte,
    maxFieldBytes: options.maxFieldBytes ?? mebibyte,
    maxFiles: options.maxFiles ?? 20,
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isMultipart(req)) {
      next();
      return;
    }
    const refuse = (error: AppError): void => {
      lingerThenClose(req, res);
      next(error);
    };
    const maxFileBytes = options.maxFileBytesFor(req);
    if (maxFileBytes === undefined) {
      refuse(
        new AppError(
          'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
          'Multipart body for a page without files.',
          {
            userMessage: 'This page does not take files.',
          },
        ),
      );
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxRequestBytes) {
      refuse(tooLarge(limits.maxRequestBytes));
      return;
    }
    const csrfToken = req.session?.csrfToken;
    if (csrfToken === undefined) {
      refuse(new AppError('ERR_HTTP_CSRF', 'Multipart body without a session.'));
      return;
    }
    const dir = join(options.tempDir, randomBytes(12).toString('hex'));
    // Always removed, whether the request succeeded, failed or was abandoned.
    res.on('close', () => {
      void rm(dir, { recursive: true, force: true });
    });
    res.on('finish', () => {
      void rm(dir, { recursive: true, force: true });
    });
    readMultipart(req, dir, { ...limits, maxFileBytes, csrfToken }).then(
      ({ formBody, uploads }) => {
        req.formBody = formBody;
        req.uploads = uploads;
        next();
      },
      refuse,
    );
  };
}

/** Bytes of a refused body discarded (never parsed nor kept) before its connection is cut. */
const lingerBytes = 2 * mebibyte;
/** How long a refused request's connection stays open after the answer, unless it ends. */
const lingerMs = 1000;

/**
 * Lets the person's browser read the refusal before the connection is cut: closing at once,
 * with body bytes still arriving, makes TCP reset the connection and the browser may lose the
 * answer (a "lingering close", as nginx does). What arrives meanwhile is discarded unread, and at
 * most {@link lingerBytes} of it.
 */
function lingerThenClose(req: Request, res: Response): void {
  // `Connection: close` would make Node reset the connection as soon as the answer is written.
  res.locals.closesItself = true;
  req.unpipe();
  req.removeAllListeners('data');
  let discarded = 0;
  const cut = (): void => {
    if (!req.complete) req.socket.destroy();
  };
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    // Past the allowance the client is held back by TCP until the cut.
    if (discarded > lingerBytes) req.pause();
  });
  req.resume();
  res.on('finish', () => {
    setTimeout(cut, lingerMs).unref();
  });
}

function isMultipart(req: Request): boolean {
  const type = req.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return type === 'multipart/form-data';
}

function tooLarge(limit: number): AppError {
  return new AppError('ERR_HTTP_BODY_TOO_LARGE', `Body over ${String(limit)} bytes.`, {
    details: { limitBytes: limit },
  });
}

interface ReadLimits {
  maxRequestBytes: number;
  maxFieldBytes: number;
  maxFiles: number;
  maxFileBytes: number;
  csrfToken: string;
}

function readMultipart(
  req: Request,
  dir: string,
  limits: ReadLimits,
): Promise<{ formBody: Map<string, string[]>; uploads: UploadedFile[] }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          // One byte over the limit tells a file that is too large from one exactly at it.
          fileSize: limits.maxFileBytes + 1,
          fieldSize: limits.maxFieldBytes,
          fields: 10_000,
          files: limits.maxFiles,
          parts: 10_000 + limits.maxFiles,
        },
      });
    } catch (cause) {
      reject(new AppError('ERR_HTTP_BODY_MALFORMED', 'Bad multipart headers.', { cause }));
      return;
    }
    const formBody = new Map<string, string[]>();
    const uploads: UploadedFile[] = [];
    const writing: Promise<void>[] = [];
    let received = 0;
    let fieldBytes = 0;
    let csrfChecked = false;
    let failed = false;
    let dirReady: Promise<void> | undefined;
    const fail = (error: AppError): void => {
      if (failed) return;
      failed = true;
      req.off('data', count);
      req.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      reject(error);
    };
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limits.maxRequestBytes) fail(tooLarge(limits.maxRequestBytes));
    };
    const csrfFailure = () =>
      new AppError('ERR_HTTP_CSRF', 'Multipart CSRF token not first or wrong.');

    parser.on('field', (name, value, info) => {
      if (!csrfChecked) {
        if (name !== '_csrf' || !tokensMatch(value, limits.csrfToken)) {
          fail(csrfFailure());
          return;
        }
        csrfChecked = true;
      }
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.valueTruncated || fieldBytes > limits.maxFieldBytes) {
        fail(tooLarge(limits.maxFieldBytes));
        return;
      }
      const values = formBody.get(name);
      if (values) values.push(value);
      else formBody.set(name, [value]);
    });
    parser.on('file', (field, stream, info) => {
      if (!csrfChecked) {
        stream.resume();
        fail(csrfFailure());
        return;
      }
      const filename = cleanFilename(info.filename);
      if (filename === '') {
        // A browser sends an empty part for a file input left blank.
        stream.resume();
        return;
      }
      // Created only once a file is due, so a refused request leaves no trace on disk.
      dirReady ??= mkdir(dir, { recursive: true }).then(() => undefined);
      const upload: UploadedFile = {
        field,
        filename,
        path: join(dir, String(uploads.length)),
        sizeBytes: 0,
        tooLarge: false,
      };
      uploads.push(upload);
      writing.push(writeFile(stream, upload, dirReady));
    });
    parser.on('filesLimit', () => {
      fail(
        new AppError('ERR_UPLOAD_TOO_LARGE', `More than ${String(limits.maxFiles)} files.`, {
          userMessage: `You can only select up to ${String(limits.maxFiles)} files at the same time.`,
          details: { maxFiles: limits.maxFiles },
        }),
      );
    });
    parser.on('error', (cause: unknown) => {
      fail(new AppError('ERR_HTTP_BODY_MALFORMED', 'Malformed multipart body.', { cause }));
    });
    parser.on('close', () => {
      if (failed) return;
      Promise.all(writing).then(
        () => {
          if (!failed) resolve({ formBody, uploads });
        },
        (cause: unknown) => {
          fail(new AppError('ERR_INTERNAL', 'Could not write an upload to disk.', { cause }));
        },
      );
    });
    req.on('error', (cause) => {
      fail(new AppError('ERR_HTTP_BODY_MALFORMED', 'Request body stream failed.', { cause }));
    });
    req.on('data', count);
    req.pipe(parser);
  });
}

/** Streams one file part to disk, at most one byte past its limit. */
async function writeFile(stream: Readable, upload: UploadedFile, dirReady: Promise<void>) {
  // busboy stops passing the part's bytes on at the limit and drains the rest itself.
  stream.on('limit', () => {
    upload.tooLarge = true;
  });
  // Until the directory exists the part waits, holding the request back (backpressure).
  await dirReady;
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(upload.path, { flags: 'wx' });
    stream.on('data', (chunk: Buffer) => {
      upload.sizeBytes += chunk.length;
    });
    out.on('error', reject);
    out.on('close', resolve);
    stream.pipe(out);
  });
}

/** The last path segment, without control characters, at most 200 characters. */
function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '');
  return printable.trim().slice(-200);
}
