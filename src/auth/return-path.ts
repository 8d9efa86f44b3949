const base = 'http://formwork.invalid';

/**
 * A safe place to go back to after sign-in: a same-site path starting with `/` (not `//`, no
 * backslashes or control characters), else `/`. Stops open redirects through `?return=`.
 */
export function toReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are refused outright
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) {
    return '/';
  }
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  return `${url.pathname}${url.search}`;
}
