import * as cheerio from 'cheerio';
import type { TestApp } from '../support/test-app.js';

/** A signed-in browser session, as raw headers autocannon can replay. */
export interface BenchSession {
  /** The `Cookie` request header. */
  cookie: string;
  /** Fetches `path` with the session's cookie, following no redirects. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The CSRF token of the page at `path`. */
  csrfOf(path: string): Promise<string>;
}

/**
 * Signs in through the real one-time-code journey and keeps the cookies in the open, because
 * the load generator has to send them itself.
 */
export async function signInForBench(
  app: TestApp,
  email: string,
  returnPath: string,
): Promise<BenchSession> {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', cookieHeader());
    const response = await fetch(new URL(path, app.url), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) cookies.delete(pair.slice(0, at));
      else cookies.set(pair.slice(0, at), value);
    }
    return response;
  };
  const csrfOf = async (path: string): Promise<string> => {
    const response = await send(path);
    const token = cheerio
      .load(await response.text())('input[name="_csrf"]')
      .first()
      .attr('value');
    if (token === undefined) throw new Error(`no CSRF token on ${path} (${response.status})`);
    return token;
  };
  const post = (path: string, fields: Record<string, string>) =>
    send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  const signIn = `/sign-in?return=${encodeURIComponent(returnPath)}`;
  const before = (await app.mails()).length;
  await post(signIn, { email, _csrf: await csrfOf(signIn) });
  const mail = (await app.mails()).slice(before).at(-1);
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
  if (code === undefined) throw new Error('no sign-in code was emailed');
  const codePage = '/sign-in/code';
  const signedIn = await post(codePage, { code, _csrf: await csrfOf(codePage) });
  if (signedIn.status !== 303) throw new Error(`sign-in failed with ${signedIn.status}`);
  return {
    get cookie() {
      return cookieHeader();
    },
    fetch: send,
    csrfOf,
  };
}
