import { knownMediaTypes } from '../forms/fields/media-types.js';

/** A file sent inline as an RFC 2397 `data:` URL, as form builders send `format: data-url`. */
export interface DataUrlFile {
  /** The file name from a `name=` parameter, or one made from the media type. */
  filename: string;
  content: Buffer;
}

const dataUrlPattern = /^data:([^,;]*)((?:;[^,;]*)*),(.*)$/s;

/**
 * The file a `data:` URL holds, or undefined when `value` is not one. The declared media type
 * only names the file; what it is, is still read from its bytes by whoever stores it.
 */
export function readDataUrl(value: unknown, fallbackName: string): DataUrlFile | undefined {
  if (typeof value !== 'string') return undefined;
  const match = dataUrlPattern.exec(value);
  if (!match) return undefined;
  const [, declared = '', parameterText = '', payload = ''] = match;
  const parameters = parameterText.split(';').filter(Boolean);
  const base64 = parameters.at(-1)?.toLowerCase() === 'base64';
  if (base64 && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(payload)) return undefined;
  let content: Buffer;
  try {
    content = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload));
  } catch {
    return undefined;
  }
  const named = parameters.find((parameter) => parameter.toLowerCase().startsWith('name='));
  let filename: string;
  try {
    filename = named ? decodeURIComponent(named.slice(5)).trim() : '';
  } catch {
    filename = '';
  }
  if (filename === '' || /[/\\]/.test(filename) || filename.length > 255) {
    const extension = knownMediaTypes[declared.toLowerCase()]?.extensions[0];
    filename = extension ? `${fallbackName}.${extension}` : fallbackName;
  }
  return { filename, content };
}
