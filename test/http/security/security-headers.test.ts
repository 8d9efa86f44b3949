import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inlineScriptHashes } from '../../../src/http/middleware/security-headers.js';
import type { Database } from '../../../src/store/database.js';
import { openTestDatabase, startSecurityApp, type SecurityApp } from './security-app.js';

const layoutPath = fileURLToPath(new URL('../../../views/layout.ejs', import.meta.url));

describe('security headers', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;

  before(async () => {
    db = await openTestDatabase();
    app = await startSecurityApp({ db });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('allows exactly the layout inline script by its hash, and nothing inline otherwise', async () => {
    const response = await fetch(`${app.baseUrl}/sign-in`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const layout = readFileSync(layoutPath, 'utf8');
    const inline = /<script>([\s\S]*?)<\/script>/.exec(layout)?.[1] ?? '';
    const hash = createHash('sha256').update(inline).digest('base64');
    assert.match(csp, new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    for (const directive of [
      "default-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ]) {
      assert.ok(csp.includes(directive), directive);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    // The page served really carries that same script, so the hash matches what browsers see.
    const html = await response.text();
    assert.ok(html.includes(`<script>${inline}</script>`));
  });

  it('sets the other protective headers and no-store on pages', async () => {
    const response = await fetch(`${app.baseUrl}/public`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.match(response.headers.get('permissions-policy') ?? '', /camera=\(\)/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('lets assets be cached', async () => {
    const response = await fetch(`${app.baseUrl}/assets/app.css`);
    assert.equal(response.status, 200);
    assert.notEqual(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  it('refuses a layout whose inline script contains EJS', () => {
    assert.throws(() => inlineScriptHashes('<script>var x = "<%= y %>";</script>'), /EJS/);
    assert.deepEqual(inlineScriptHashes('<script src="/a.js"></script>'), []);
  });
});
