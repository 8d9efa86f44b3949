import * as cheerio from 'cheerio';

/** A response as a person's browser would see it. */
export interface Page {
  status: number;
  url: string;
  html: string;
  $: cheerio.CheerioAPI;
  headers: Headers;
}

/**
 * A cookie-keeping HTTP client that behaves like a browser without JavaScript: follows
 * redirects, sends the page's CSRF token with posts, and reads pages with cheerio.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  private lastCsrf: string | undefined;

  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<Page> {
    return this.request(path, { method: 'GET' });
  }

  /** Posts urlencoded fields; adds the CSRF token of the last page unless `_csrf` is given. */
  async post(path: string, fields: [string, string][] | Record<string, string>): Promise<Page> {
    const entries = Array.isArray(fields) ? fields : Object.entries(fields);
    const body = new URLSearchParams(entries);
    if (!body.has('_csrf') && this.lastCsrf) body.set('_csrf', this.lastCsrf);
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  /** Posts multipart form data (for uploads). */
  async postMultipart(path: string, form: FormData): Promise<Page> {
    // As a browser does with our forms, the CSRF token goes first: it is checked before any file.
    const ordered = new FormData();
    const token = form.get('_csrf') ?? this.lastCsrf;
    if (token !== undefined) ordered.append('_csrf', token);
    for (const [name, value] of form) if (name !== '_csrf') ordered.append(name, value);
    return this.request(path, { method: 'POST', body: ordered });
  }

  /** Submits the page's main form with its current values overridden by `fields`. */
  async submit(page: Page, fields: Record<string, string | string[]> = {}, action = 'continue') {
    const form = page.$('main form[method="post"]').last();
    const target = form.attr('action') ?? new URL(page.url).pathname;
    const entries: [string, string][] = [];
    const overridden = new Set(Object.keys(fields));
    form.find('input, select, textarea').each((_index, element) => {
      const field = page.$(element);
      const name = field.attr('name');
      // a browser never sends a disabled control
      if (!name || overridden.has(name) || field.attr('disabled') !== undefined) return;
      const type = field.attr('type');
      if (type === 'file' || type === 'submit') return;
      if ((type === 'radio' || type === 'checkbox') && field.attr('checked') === undefined) return;
      if (element.tagName === 'select') {
        entries.push([name, field.find('option[selected]').attr('value') ?? '']);
      } else if (element.tagName === 'textarea') {
        entries.push([name, field.text()]);
      } else {
        entries.push([name, field.attr('value') ?? '']);
      }
    });
    for (const [name, value] of Object.entries(fields)) {
      for (const item of [value].flat()) entries.push([name, item]);
    }
    entries.push(['_action', action]);
    return this.post(target, entries);
  }

  /** This session's `Cookie` header, for requests sent by hand. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The raw bytes of a download (a PDF, say), with this session's cookies. */
  async download(path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const headers = new Headers();
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(new URL(path, this.baseUrl), { headers, redirect: 'manual' });
    return {
      status: response.status,
      bytes: Buffer.from(await response.arrayBuffer()),
      headers: response.headers,
    };
  }

  private async request(path: string, init: RequestInit, redirects = 0): Promise<Page> {
    const url = new URL(path, this.baseUrl);
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie) || value === '') {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      if (redirects > 10) throw new Error('too many redirects');
      await response.arrayBuffer();
      return this.request(new URL(location, url).toString(), { method: 'GET' }, redirects + 1);
    }
    const html = await response.text();
    const $ = cheerio.load(html);
    const csrf = $('input[name="_csrf"]').first().attr('value');
    if (csrf) this.lastCsrf = csrf;
    return { status: response.status, url: url.toString(), html, $, headers: response.headers };
  }
}

/** The texts of a page's error summary, in order. */
export function errorSummary(page: Page): string[] {
  return page
    .$('.govuk-error-summary__list a')
    .map((_index, element) => page.$(element).text().trim())
    .get();
}

/** The error summary's links (`#id`), in order. */
export function errorLinks(page: Page): string[] {
  return page
    .$('.govuk-error-summary__list a')
    .map((_index, element) => page.$(element).attr('href') ?? '')
    .get();
}
