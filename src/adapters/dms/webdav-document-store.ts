import { AppError } from '../../errors/app-error.js';
import type { DocumentMetadata, DocumentStore } from '../../ports/document-store.js';
import { openWebdavBlob, sealWebdavBlob } from './webdav-crypto.js';

/** Options for {@link WebdavDocumentStore}. */
export interface WebdavDocumentStoreOptions {
  /**
   * `webdavs://user:password@host[:port]/base/path` (HTTPS) or `webdav://…` (plain HTTP, for
   * tests and trusted networks). The userinfo, percent-decoded, becomes basic auth.
   */
  url: string;
  /** 32-byte AES-256-GCM key; when given, content and metadata are encrypted before they leave us. */
  key?: Buffer;
  /** Per-request time limit in milliseconds (default 30 000). */
  timeoutMs?: number;
}

const SIDECAR_SUFFIX = '.meta.json';
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * A DocumentStore on a WebDAV server (the protocol SharePoint and Alfresco speak), over Node's
 * fetch.
 *
 * Metadata is kept in a JSON sidecar `<key>.meta.json` rather than PROPPATCH dead properties:
 * servers differ in whether (and how long) they keep arbitrary dead properties (SharePoint
 * drops many), a sidecar can be encrypted like the content, and it is read with one GET.
 *
 * `put` never overwrites: it checks with HEAD, writes the sidecar, then writes the content with
 * `If-None-Match: *`. Servers that ignore that header (webdav-server, some IIS set-ups) leave a
 * race: two concurrent puts of the same key that both pass the HEAD check may both write, last
 * one wins. Callers use deterministic keys from a single step run, so this only matters under
 * duplicate concurrent execution, which the workflow engine prevents with job ids. The content
 * is written last, so a reader never sees content without its metadata; a put interrupted after
 * the sidecar leaves a stray sidecar that the retry overwrites.
 *
 * Network failures, timeouts, 5xx, 408 and 429 are ERR_DMS_UNAVAILABLE (retry later); any other
 * unexpected status is ERR_DMS_REJECTED (permanent: credentials, permissions, quota).
 */
export class WebdavDocumentStore implements DocumentStore {
  private readonly base: URL;
  private readonly authorization: string | undefined;
  private readonly key: Buffer | undefined;
  private readonly timeoutMs: number;

  constructor(options: WebdavDocumentStoreOptions) {
    const parsed = parseWebdavUrl(options.url);
    this.base = parsed.base;
    this.authorization = parsed.authorization;
    this.key = options.key;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (this.key !== undefined && this.key.length !== 32) {
      throw new AppError('ERR_CONFIG_INVALID', 'the document encryption key must be 32 bytes');
    }
  }

  async put(key: string, content: Buffer, metadata: DocumentMetadata): Promise<void> {
    const segments = checkKey(key);
    const head = await this.request('HEAD', segments);
    if (head.status !== 404) {
      expectStatus(head, 'HEAD', [200]);
      throw new AppError('ERR_DOCUMENT_EXISTS', 'a document already exists under that key');
    }
    const sidecar = sidecarSegments(segments);
    const meta = this.seal(
      Buffer.from(JSON.stringify(metadata), 'utf8'),
      `${key}${SIDECAR_SUFFIX}`,
    );
    await this.upload(sidecar, meta, 'application/json', false);
    const body = this.seal(content, key);
    await this.upload(segments, body, metadata.mediaType, true);
  }

  async get(key: string): Promise<{ content: Buffer; metadata: DocumentMetadata } | undefined> {
    const segments = checkKey(key);
    const content = await this.download(segments);
    if (content === undefined) return undefined;
    const meta = await this.download(sidecarSegments(segments));
    if (meta === undefined) {
      throw new AppError('ERR_DOCUMENT_CORRUPT', 'a stored document has no metadata sidecar');
    }
    return {
      content: this.open(content, key),
      metadata: toMetadata(this.open(meta, `${key}${SIDECAR_SUFFIX}`)),
    };
  }

  async delete(key: string): Promise<void> {
    const segments = checkKey(key);
    // Content first, so no reader ever finds content without its metadata.
    for (const target of [segments, sidecarSegments(segments)]) {
      const response = await this.request('DELETE', target);
      if (response.status !== 404) expectStatus(response, 'DELETE', [200, 202, 204]);
    }
  }

  async isReady(): Promise<boolean> {
    try {
      const response = await this.request('PROPFIND', [], {
        headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
        body: '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>',
      });
      return response.status === 207 || response.status === 200;
    } catch {
      return false;
    }
  }

  private seal(plain: Buffer, context: string): Buffer {
    return this.key === undefined ? plain : sealWebdavBlob(plain, this.key, context);
  }

  private open(stored: Buffer, context: string): Buffer {
    return this.key === undefined ? stored : openWebdavBlob(stored, this.key, context);
  }

  private async upload(
    segments: readonly string[],
    body: Buffer,
    mediaType: string,
    exclusive: boolean,
  ): Promise<void> {
    const send = (): Promise<Response> =>
      this.request('PUT', segments, {
        headers: {
          'Content-Type': this.key === undefined ? mediaType : 'application/octet-stream',
          ...(exclusive ? { 'If-None-Match': '*' } : {}),
        },
        body,
      });
    let response = await send();
    if (response.status === 409) {
      // 409 on PUT means a parent collection is missing (RFC 4918 9.7.1).
      await this.makeCollections(segments.slice(0, -1));
      response = await send();
    }
    if (response.status === 412) {
      throw new AppError('ERR_DOCUMENT_EXISTS', 'a document already exists under that key');
    }
    expectStatus(response, 'PUT', [200, 201, 204]);
  }

  private async makeCollections(parents: readonly string[]): Promise<void> {
    for (let depth = 1; depth <= parents.length; depth += 1) {
      const response = await this.request('MKCOL', parents.slice(0, depth), { collection: true });
      // 405: the collection already exists.
      if (response.status !== 405) expectStatus(response, 'MKCOL', [200, 201]);
    }
  }

  private async download(segments: readonly string[]): Promise<Buffer | undefined> {
    const response = await this.request('GET', segments);
    if (response.status === 404) return undefined;
    expectStatus(response, 'GET', [200]);
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (cause) {
      throw unavailable('GET', cause);
    }
  }

  private async request(
    method: string,
    segments: readonly string[],
    init: { headers?: Record<string, string>; body?: Buffer | string; collection?: boolean } = {},
  ): Promise<Response> {
    const path = segments.map((segment) => encodeURIComponent(segment)).join('/');
    const url = new URL(path + (init.collection === true ? '/' : ''), this.base);
    const headers: Record<string, string> = { ...init.headers };
    if (this.authorization !== undefined) headers.Authorization = this.authorization;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: init.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw unavailable(method, cause);
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      await response.body?.cancel();
      throw new AppError(
        'ERR_DMS_UNAVAILABLE',
        `WebDAV ${method} answered ${String(response.status)}`,
        {
          details: { status: response.status, retryable: true },
        },
      );
    }
    // Only GET bodies are read; dropping the rest frees the pooled connection.
    if (method !== 'GET') await response.body?.cancel();
    return response;
  }
}

function parseWebdavUrl(raw: string): { base: URL; authorization: string | undefined } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new AppError('ERR_CONFIG_INVALID', 'the DMS URL is not a valid URL', { cause });
  }
  const scheme =
    url.protocol === 'webdavs:' ? 'https:' : url.protocol === 'webdav:' ? 'http:' : undefined;
  if (scheme === undefined) {
    throw new AppError('ERR_CONFIG_INVALID', 'a WebDAV DMS URL must start webdav:// or webdavs://');
  }
  const authorization =
    url.username === ''
      ? undefined
      : `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  // Rebuilt from parts: URL will not switch between special and non-special schemes.
  const base = new URL(`${scheme}//${url.host}${path}`);
  return { base, authorization };
}

function checkKey(key: string): string[] {
  const segments = key.split('/');
  const valid =
    segments.every((segment) => SEGMENT.test(segment) && !segment.includes('..')) &&
    !key.endsWith(SIDECAR_SUFFIX) &&
    key.length <= 1000;
  if (!valid) {
    throw new AppError(
      'ERR_DOCUMENT_KEY_INVALID',
      'a document key must be slash-separated safe names',
    );
  }
  return segments;
}

function sidecarSegments(segments: readonly string[]): string[] {
  const last = segments[segments.length - 1] ?? '';
  return [...segments.slice(0, -1), `${last}${SIDECAR_SUFFIX}`];
}

function toMetadata(raw: Buffer): DocumentMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    throw new AppError('ERR_DOCUMENT_CORRUPT', 'a metadata sidecar is not JSON', { cause });
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as Record<string, unknown>).filename !== 'string' ||
    typeof (parsed as Record<string, unknown>).mediaType !== 'string'
  ) {
    throw new AppError('ERR_DOCUMENT_CORRUPT', 'a metadata sidecar lacks filename or mediaType');
  }
  return parsed as DocumentMetadata;
}

function expectStatus(response: Response, method: string, ok: readonly number[]): void {
  if (ok.includes(response.status)) return;
  void response.body?.cancel();
  throw new AppError('ERR_DMS_REJECTED', `WebDAV ${method} answered ${String(response.status)}`, {
    details: { status: response.status, retryable: false },
  });
}

function unavailable(method: string, cause: unknown): AppError {
  return new AppError(
    'ERR_DMS_UNAVAILABLE',
    `WebDAV ${method} failed: the server could not be reached`,
    {
      cause,
      details: { retryable: true },
    },
  );
}
