import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { parseFormBody } from '../../forms/form-body.js';
import type { UploadedFile } from '../request-context.js';
import { mediaTypeOfExtension, sniffMediaType, sniffableMediaTypes } from './sniff-media-type.js';

/** Limits and allow-list for uploaded files. */
export interface UploadOptions {
  /** Per file. Default 10 MiB. */
  maxFileBytes?: number;
  /** Per request, empty file inputs not counted. Default 10. */
  maxFiles?: number;
  /** Media types accepted after sniffing. Default: PDF, PNG, JPEG, DOCX, plain text. */
  allowedTypes?: readonly string[];
}

/** Options for {@link createBodyMiddleware}. */
export interface BodyOptions {
  /** Urlencoded bodies, and all text fields of a multipart body together. Default 1 MiB. */
  maxFormBytes?: number;
  /** JSON bodies on `/api`. Default 1 MiB. */
  maxJsonBytes?: number;
  upload?: UploadOptions;
}

const mebibyte = 1024 * 1024;
const methodsWithBody = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
const typeNames: Record<string, string> = {
  [sniffableMediaTypes.pdf]: 'PDF',
  [sniffableMediaTypes.png]: 'PNG',
  [sniffableMediaTypes.jpeg]: 'JPG',
  [sniffableMediaTypes.docx]: 'DOCX',
  [sniffableMediaTypes.text]: 'TXT',
};

/**
 * Reads request bodies within limits, counting bytes as they stream in:
 * - `/api` routes: JSON only (else 415) into `req.body`; malformed → 400
 *   `ERR_HTTP_BODY_MALFORMED`, `__proto__`/`constructor`/`prototype` keys → 400, too big → 413.
 * - browser routes: urlencoded into `req.formBody`; multipart into `req.formBody` and
 *   `req.uploads`, each file's type sniffed from its bytes and checked against the allow-list
 *   and its filename's extension (422 `ERR_UPLOAD_TYPE`), sizes and counts limited (413).
 */
export function createBodyMiddleware(options: BodyOptions = {}): RequestHandler {
  const limits = {
    maxFormBytes: options.maxFormBytes ?? mebibyte,
    maxJsonBytes: options.maxJsonBytes ?? mebibyte,
    maxFileBytes: options.upload?.maxFileBytes ?? 10 * mebibyte,
    maxFiles: options.upload?.maxFiles ?? 10,
    allowedTypes: options.upload?.allowedTypes ?? Object.values(sniffableMediaTypes),
  };
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!methodsWithBody.has(req.method)) {
      next();
      return;
    }
    const type = mediaTypeOf(req.get('content-type'));
    const hasBody = hasRequestBody(req);
    if (isApiPath(req.originalUrl)) {
      if (!hasBody && type === undefined) {
        next();
        return;
      }
      if (type !== 'application/json') {
        discard(req);
        next(new AppError('ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', `API body of type ${String(type)}.`));
        return;
      }
      readBody(req, limits.maxJsonBytes)
        .then((bytes) => {
          req.body = parseJson(bytes);
          next();
        })
        .catch(next);
      return;
    }
    if (type === 'application/x-www-form-urlencoded') {
      readBody(req, limits.maxFormBytes)
        .then((bytes) => {
          req.formBody = parseFormBody(bytes.toString('utf8'));
          next();
        })
        .catch(next);
      return;
    }
    if (type === 'multipart/form-data') {
      readMultipart(req, limits).then(({ formBody, uploads }) => {
        req.formBody = formBody;
        req.uploads = uploads;
        next();
      }, next);
      return;
    }
    if (!hasBody) {
      req.formBody = new Map();
      next();
      return;
    }
    discard(req);
    next(
      new AppError('ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', `Form body of type ${String(type)}.`, {
        userMessage: 'The form must be sent from a web page.',
      }),
    );
  };
}

function mediaTypeOf(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Lets the rest of an unwanted body flow away without buffering it. */
function discard(req: IncomingMessage): void {
  req.resume();
}

function tooLarge(limit: number): AppError {
  return new AppError('ERR_HTTP_BODY_TOO_LARGE', `Body over ${limit} bytes.`, {
    details: { limitBytes: limit },
  });
}

/** Reads the whole body, failing as soon as it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      discard(req);
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        discard(req);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(
        new AppError('ERR_HTTP_BODY_MALFORMED', 'Request body stream failed.', { cause: error }),
      );
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** How deeply arrays and objects may nest in a JSON body (`[[1]]` is 2 deep). */
export const maxJsonDepth = 32;

/**
 * Parses JSON and refuses keys that could pollute prototypes further down the line, and bodies
 * nested deeper than {@link maxJsonDepth} (400 `ERR_HTTP_BODY_TOO_DEEP`), before anything
 * recursive (the parser, Ajv) sees them.
 */
export function parseJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (jsonDepthExceeds(text, maxJsonDepth)) {
    throw new AppError('ERR_HTTP_BODY_TOO_DEEP', 'JSON body nested too deeply.', {
      userMessage: `The request body must not nest arrays and objects more than ${maxJsonDepth} deep.`,
      details: { maxDepth: maxJsonDepth },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AppError('ERR_HTTP_BODY_MALFORMED', 'Malformed JSON body.', {
      cause,
      userMessage: 'The request body is not valid JSON.',
    });
  }
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    for (const key of Object.keys(item)) {
      if (forbiddenKeys.has(key)) {
        throw new AppError('ERR_HTTP_BODY_MALFORMED', 'JSON body with a forbidden key.', {
          userMessage: `The request body must not contain the key "${key}".`,
        });
      }
      stack.push((item as Record<string, unknown>)[key]);
    }
  }
  return value;
}

/** True when brackets outside strings nest deeper than `limit`: one pass, no recursion. */
function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

interface MultipartLimits {
  maxFormBytes: number;
  maxFileBytes: number;
  maxFiles: number;
  allowedTypes: readonly string[];
}

function readMultipart(
  req: IncomingMessage,
  limits: MultipartLimits,
): Promise<{ formBody: Map<string, string[]>; uploads: UploadedFile[] }> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    // Multipart framing adds a little per part; anything far beyond every limit is refused unread.
    const ceiling = limits.maxFiles * limits.maxFileBytes + limits.maxFormBytes + 64 * 1024;
    if (Number.isFinite(declared) && declared > ceiling) {
      discard(req);
      reject(tooLarge(ceiling));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: limits.maxFileBytes,
          fieldSize: limits.maxFormBytes,
          fields: 10_000,
          parts: 10_000 + limits.maxFiles * 4,
        },
      });
    } catch (cause) {
      discard(req);
      reject(new AppError('ERR_HTTP_BODY_MALFORMED', 'Bad multipart headers.', { cause }));
      return;
    }
    const formBody = new Map<string, string[]>();
    const uploads: UploadedFile[] = [];
    let fieldBytes = 0;
    let fileCount = 0;
    let failed = false;
    const fail = (error: AppError): void => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      discard(req);
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.valueTruncated || fieldBytes > limits.maxFormBytes) {
        fail(tooLarge(limits.maxFormBytes));
        return;
      }
      const values = formBody.get(name);
      if (values) values.push(value);
      else formBody.set(name, [value]);
    });
    parser.on('file', (field, stream, info) => {
      const filename = cleanFilename(info.filename);
      if (filename === '') {
        // A browser sends an empty part for a file input left blank.
        stream.resume();
        return;
      }
      fileCount += 1;
      if (fileCount > limits.maxFiles) {
        stream.resume();
        fail(
          new AppError('ERR_UPLOAD_TOO_LARGE', `More than ${limits.maxFiles} files.`, {
            userMessage: `You can only select up to ${limits.maxFiles} files at the same time.`,
            details: { maxFiles: limits.maxFiles },
          }),
        );
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        fail(
          new AppError('ERR_UPLOAD_TOO_LARGE', `File over ${limits.maxFileBytes} bytes.`, {
            userMessage: `The selected file must be smaller than ${formatBytes(limits.maxFileBytes)}.`,
            details: { maxFileBytes: limits.maxFileBytes },
          }),
        );
      });
      stream.on('end', () => {
        if (failed) return;
        const content = Buffer.concat(chunks);
        const problem = checkFile(filename, content, limits.allowedTypes);
        if (typeof problem !== 'string') {
          fail(problem);
          return;
        }
        uploads.push({ field, filename, mediaType: problem, content });
      });
    });
    parser.on('error', (cause: unknown) => {
      fail(new AppError('ERR_HTTP_BODY_MALFORMED', 'Malformed multipart body.', { cause }));
    });
    parser.on('close', () => {
      if (!failed) resolve({ formBody, uploads });
    });
    req.on('error', (cause) => {
      fail(new AppError('ERR_HTTP_BODY_MALFORMED', 'Request body stream failed.', { cause }));
    });
    req.pipe(parser);
  });
}

/** The sniffed media type, or the error refusing the file. */
function checkFile(
  filename: string,
  content: Buffer,
  allowedTypes: readonly string[],
): string | AppError {
  if (content.length === 0) {
    return new AppError('ERR_UPLOAD_TYPE', 'Empty file.', {
      userMessage: 'The selected file is empty.',
    });
  }
  const sniffed = sniffMediaType(content);
  const claimed = mediaTypeOfExtension(filename);
  if (
    sniffed === undefined ||
    !allowedTypes.includes(sniffed) ||
    (claimed && claimed !== sniffed)
  ) {
    const names = allowedTypes.map((type) => typeNames[type] ?? type);
    return new AppError(
      'ERR_UPLOAD_TYPE',
      `File type refused: sniffed ${String(sniffed)}, extension claims ${String(claimed)}.`,
      {
        userMessage: `The selected file must be a ${joinOr(names)}.`,
        details: { allowedTypes: [...allowedTypes] },
      },
    );
  }
  return sniffed;
}

/** The last path segment, without control characters, at most 200 characters. */
function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '');
  return printable.trim().slice(-200);
}

function formatBytes(bytes: number): string {
  return bytes >= mebibyte ? `${Math.floor(bytes / mebibyte)}MB` : `${Math.ceil(bytes / 1024)}KB`;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}
