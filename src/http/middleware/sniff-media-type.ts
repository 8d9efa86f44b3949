import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { knownMediaTypes } from '../../forms/fields/media-types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Markup looks like text; it must never pass as `text/plain` (a browser would run it). */
const markupStart = /^\s*<(?:!doctype|\?xml|html|svg|head|body|script|iframe|!--)/i;
/** Larger than any text upload we take, so a text file is judged whole. */
const maxTextBytes = 64 * 1024 * 1024;

/**
 * The media type of the file at `path` judged from its bytes alone (never from its name or a
 * browser's claim), or undefined when it is none of {@link knownMediaTypes}. Binary formats
 * come from the file-type package, which reads Office files' zip structure
 * (`[Content_Types].xml`, `word/` or `xl/` parts), so a zip that is not one is `undefined`.
 * Text must be valid UTF-8 without NULs and must not start like HTML, SVG or XML.
 */
export async function sniffMediaType(path: string): Promise<string | undefined> {
  const detected = await fileTypeFromFile(path);
  if (detected) return detected.mime in knownMediaTypes ? detected.mime : undefined;
  const content = await readHead(path, maxTextBytes);
  if (content.length === 0 || content.includes(0)) return undefined;
  try {
    const text = utf8.decode(content);
    return markupStart.test(text.replace(/^\uFEFF/, '')) ? undefined : 'text/plain';
  } catch {
    return undefined;
  }
}

async function readHead(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, limit));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
