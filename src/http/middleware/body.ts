import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { parseFormBody } from '../../forms/form-body.js';

/** Options for {@link createBodyMiddleware}. */
export interface BodyOptions {
  /** Urlencoded bodies, and all text fields of a multipart body together. Default 1 MiB. */
  maxFormBytes?: number;
  /** JSON bodies on `/api`. Default 1 MiB. */
  maxJsonBytes?: number;
}

const mebibyte = 1024 * 1024;
const methodsWithBody = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const apiUploadPath = /^\/api\/v1\/forms\/[^/]+\/documents$/;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads request bodies within limits, counting bytes as they stream in:
 * - `/api` routes: JSON only (else 415) into `req.body`; malformed → 400
 *   `ERR_HTTP_BODY_MALFORMED`, `__proto__`/`constructor`/`prototype` keys → 400, too big → 413.
 * - browser routes: urlencoded into `req.formBody`. Multipart is left unread here: the
 *   multipart middleware (./multipart.ts) reads it after the session, on pages with files only.
 */
export function createBodyMiddleware(options: BodyOptions = {}): RequestHandler {
  const limits = {
    maxFormBytes: options.maxFormBytes ?? mebibyte,
    maxJsonBytes: options.maxJsonBytes ?? mebibyte,
  };
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!methodsWithBody.has(req.method)) {
      next();
      return;
    }
    const type = mediaTypeOf(req.get('content-type'));
    const hasBody = hasRequestBody(req);
    if (isApiPath(req.originalUrl)) {
      // an API upload's body is the file: its route streams it to disk within the field's limit
      if (req.method === 'POST' && apiUploadPath.test(req.path)) {
        next();
        return;
      }
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
      // Left unread for the multipart middleware, which runs after the session is known.
      next();
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
