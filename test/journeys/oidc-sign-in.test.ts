import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { freePort } from '../support/postgres.js';
import { startOidcTestProvider, type OidcTestProvider } from '../support/oidc-test-provider.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A browser without JavaScript that keeps cookies per origin and follows redirects by hand. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();
  private csrf: string | undefined;

  /**
   * Requests `url` and follows redirects, stopping before a URL that starts with `stopAt`
   * (returned unvisited in `stoppedAt`).
   */
  async go(
    url: string,
    init: { method?: string; fields?: Record<string, string>; stopAt?: string } = {},
  ): Promise<{ status: number; url: string; html: string; stoppedAt?: string }> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body: string | undefined;
    if (init.fields) {
      const fields = new URLSearchParams(init.fields);
      if (!fields.has('_csrf') && this.csrf) fields.set('_csrf', this.csrf);
      body = fields.toString();
    }
    for (let hop = 0; hop < 20; hop += 1) {
      const jar = this.jars.get(current.origin) ?? new Map<string, string>();
      this.jars.set(current.origin, jar);
      const headers = new Headers();
      if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      if (body !== undefined) headers.set('content-type', 'application/x-www-form-urlencoded');
      const response = await fetch(current, { method, headers, body, redirect: 'manual' });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const index = pair.indexOf('=');
        const value = pair.slice(index + 1);
        if (value === '' || /expires=thu, 01 jan 1970/i.test(cookie))
          jar.delete(pair.slice(0, index));
        else jar.set(pair.slice(0, index), value);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        const next = new URL(location, current);
        if (init.stopAt && next.href.startsWith(init.stopAt)) {
          return { status: response.status, url: current.href, html: '', stoppedAt: next.href };
        }
        current = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await response.text();
      const token = cheerio.load(html)('input[name="_csrf"]').first().attr('value');
      if (token) this.csrf = token;
      return { status: response.status, url: current.href, html };
    }
    throw new Error('too many redirects');
  }
}

const heading = (html: string) => cheerio.load(html)('h1').first().text().trim();

describe('OpenID Connect sign-in against a real provider', function () {
  this.timeout(120_000);
  let app: TestApp;
  let provider: OidcTestProvider;
  let callback: string;
  const worker = { email: 'oidc.coordinator@example.gov.uk', emailVerified: true };

  before(async () => {
    const providerPort = await freePort();
    app = await startTestApp({
      env: {
        OIDC_ISSUER: `http://localhost:${String(providerPort)}`,
        OIDC_CLIENT_ID: 'formwork-test',
        OIDC_CLIENT_SECRET: 'formwork-test-client-secret-0123456789',
        OIDC_NAME: 'your council account',
      },
    });
    callback = `${app.url}/sign-in/oidc/callback`;
    provider = await startOidcTestProvider({ port: providerPort, redirectUri: callback });
    await app.addUser(worker.email, 'coordinator');
  });
  after(async () => {
    await provider.stop();
    await app.stop();
  });
  beforeEach(() => {
    provider.signInAs(worker);
    provider.setCodeLifetime(60);
  });

  /** Opens the sign-in page and presses the provider's button, stopping at the callback. */
  const leaveForProvider = async (browser: Browser, returnPath = '/coordinator') => {
    const page = await browser.go(`${app.url}/sign-in?return=${encodeURIComponent(returnPath)}`);
    assert.match(page.html, /Sign in with your council account/);
    const left = await browser.go(`${app.url}/sign-in/oidc`, {
      method: 'POST',
      fields: {},
      stopAt: callback,
    });
    assert.ok(
      left.stoppedAt,
      `the provider did not send the browser back (${String(left.status)})`,
    );
    return new URL(left.stoppedAt);
  };

  describe('when a known user signs in', () => {
    it('offers both ways on the sign-in page and returns signed in, with PKCE and nonce sent', async () => {
      const browser = new Browser();
      const page = await browser.go(`${app.url}/sign-in`);
      const $ = cheerio.load(page.html);
      assert.equal($('form[action="/sign-in"] input[name="email"]').length, 1);
      assert.equal(
        $('form[action="/sign-in/oidc"] button').text().trim(),
        'Sign in with your council account',
      );

      const start = await browser.go(`${app.url}/sign-in/oidc`, {
        method: 'POST',
        fields: {},
        stopAt: `http://localhost:`,
      });
      const authorize = new URL(start.stoppedAt ?? '');
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authorize.searchParams.get('state'));
      assert.ok(authorize.searchParams.get('nonce'));
      assert.equal(authorize.searchParams.get('redirect_uri'), callback);

      const back = await leaveForProvider(browser);
      const landed = await browser.go(back.href);
      assert.equal(landed.status, 200);
      assert.equal(new URL(landed.url).pathname, '/coordinator');
    });
  });

  describe('when the callback is used again', () => {
    it('refuses the same URL in the same browser with a 400 page', async () => {
      const browser = new Browser();
      const back = await leaveForProvider(browser);
      assert.equal((await browser.go(back.href)).status, 200);
      const again = await browser.go(back.href);
      assert.equal(again.status, 400);
      assert.equal(heading(again.html), 'You are not signed in');
    });

    it('refuses a redeemed code planted with another browser’s own state (the provider says invalid_grant)', async () => {
      const victim = new Browser();
      const used = await leaveForProvider(victim);
      assert.equal((await victim.go(used.href)).status, 200);

      const attacker = new Browser();
      const own = await leaveForProvider(attacker);
      const planted = new URL(own.href);
      planted.searchParams.set('code', used.searchParams.get('code') ?? '');
      const page = await attacker.go(planted.href);
      assert.equal(page.status, 400);
      assert.match(page.html, /did not complete/);
      assert.equal(
        (await attacker.go(`${app.url}/coordinator`, { stopAt: `${app.url}/sign-in` }))
          .stoppedAt !== undefined,
        true,
      );
    });
  });

  describe('when the code has expired', () => {
    it('answers 400 and does not sign in', async () => {
      provider.setCodeLifetime(1);
      const browser = new Browser();
      const back = await leaveForProvider(browser);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const page = await browser.go(back.href);
      assert.equal(page.status, 400);
      assert.match(page.html, /did not complete/);
    });
  });

  describe('when the state is wrong', () => {
    it('answers 400 before asking the provider anything', async () => {
      const browser = new Browser();
      const back = await leaveForProvider(browser);
      back.searchParams.set('state', 'not-the-state-this-browser-was-given');
      const page = await browser.go(back.href);
      assert.equal(page.status, 400);
      assert.equal(heading(page.html), 'You are not signed in');
    });

    it('answers 400 to a callback this browser never started', async () => {
      const page = await new Browser().go(`${callback}?code=abc&state=def`);
      assert.equal(page.status, 400);
    });
  });

  describe('when the provider vouches for someone Formwork does not know', () => {
    it('refuses with a clear page and creates no user', async () => {
      provider.signInAs({ email: 'stranger@example.gov.uk', emailVerified: true });
      const browser = new Browser();
      const back = await leaveForProvider(browser);
      const page = await browser.go(back.href);
      assert.equal(page.status, 403);
      assert.match(page.html, /no Formwork user with the email address/);
      const { rows } = await app.running.db.query('SELECT 1 FROM users WHERE email = $1', [
        'stranger@example.gov.uk',
      ]);
      assert.equal(rows.length, 0);
    });
  });

  describe('when the provider has not verified the email', () => {
    it('refuses even a known user', async () => {
      provider.signInAs({ email: worker.email, emailVerified: false });
      const browser = new Browser();
      const back = await leaveForProvider(browser);
      const page = await browser.go(back.href);
      assert.equal(page.status, 403);
      assert.match(page.html, /does not confirm your email address/);
    });
  });
});
