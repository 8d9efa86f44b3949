const base = 'http://formwork.invalid';

/**
 * A safe place to go back to after sign-in: a same-site path, else `/`. Stops open redirects
 * through `?return=`. The check is made on the path as a browser would resolve it, after dot
 * segments (`/./`, `/a/../`, `/%2e/`) are removed: a value that would leave the site, or that
 * hides a slash or backslash behind percent-encoding, or holds a backslash or control
 * character anywhere, is refused.
 */
export function toReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are refused outright
  if (!value.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  // Encoded slashes, backslashes and control characters have no place in our paths.
  if (/%(?:2f|5c|[01][0-9a-f]|7f)/i.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  const path = `${url.pathname}${url.search}`;
  // `/.//evil.example` resolves to `//evil.example`: a browser reads that as another host.
  if (!path.startsWith('/') || path.startsWith('//')) return '/';
  return path;
}
