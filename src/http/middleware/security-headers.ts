import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Options for {@link createSecurityHeadersMiddleware}. */
export interface SecurityHeadersOptions {
  /** The page layout whose inline scripts are allowed by hash. Default `views/layout.ejs`. */
  layoutPath?: string;
  /** Adds Strict-Transport-Security (only when served over HTTPS). */
  hsts?: boolean;
}

const defaultLayoutPath = fileURLToPath(new URL('../../../views/layout.ejs', import.meta.url));

/**
 * Sets the security headers on every response: a strict Content-Security-Policy that allows
 * the layout's inline script by its sha256 (computed from the file at start-up, so editing the
 * script cannot silently break it), no-sniff, no referrer, no framing, and `no-store` caching for
 * everything except `/assets/`.
 */
export function createSecurityHeadersMiddleware(
  options: SecurityHeadersOptions = {},
): RequestHandler {
  const layout = readFileSync(options.layoutPath ?? defaultLayoutPath, 'utf8');
  const hashes = inlineScriptHashes(layout).map((hash) => `'${hash}'`);
  const csp = [
    "default-src 'self'",
    ["script-src 'self'", ...hashes].join(' '),
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  const headers: [string, string][] = [
    ['Content-Security-Policy', csp],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    [
      'Permissions-Policy',
      'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
    ],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['X-Frame-Options', 'DENY'],
  ];
  if (options.hsts === true) {
    headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  }
  return (req: Request, res: Response, next: NextFunction) => {
    res.removeHeader('X-Powered-By');
    for (const [name, value] of headers) res.setHeader(name, value);
    if (!req.path.startsWith('/assets/')) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/**
 * The CSP hash source (`sha256-…`) of each inline `<script>` (one without `src`) in an HTML
 * template. Refuses a script containing EJS tags: its rendered text, and so its hash, would vary.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? '';
    const body = match[2] ?? '';
    if (/\bsrc\s*=/i.test(attributes)) continue;
    if (body.includes('<%')) {
      throw new Error('An inline script in the layout contains EJS; its CSP hash would vary.');
    }
    hashes.push(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  return hashes;
}
