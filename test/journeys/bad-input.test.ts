import assert from 'node:assert/strict';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import { answerPage, pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const census = 'social-care-workforce-census';

describe('Bad input', function () {
  this.timeout(60_000);
  let app: TestApp;
  let forms: FormRegistry;
  let token: string;

  before(async () => {
    forms = await loadForms('forms');
    app = await startTestApp();
    token = await app.apiToken();
  });
  after(() => app.stop());

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${app.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  /** The sequence number of a fresh probe submission: it rises by one only if nothing else was stored. */
  const submissionCount = async () => {
    const reference = await api(`/api/v1/forms/${census}/submissions`, {
      method: 'POST',
      body: JSON.stringify(forms.get(census)!.examples()[0]),
    });
    const { reference: value } = (await reference.json()) as { reference: string };
    return Number(value.split('-')[2]);
  };

  describe('on the JSON API', () => {
    it('answers malformed JSON with 400 and stores nothing', async () => {
      const before = await submissionCount();
      const response = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: '{"AgencyWorker": ',
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'ERR_HTTP_BODY_MALFORMED');
      assert.doesNotMatch(JSON.stringify(body), /at .*\.ts|node_modules/);
      assert.equal(await submissionCount(), before + 1);
    });

    it('answers an oversized body with 413', async () => {
      const response = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: JSON.stringify({ QualInst: 'x'.repeat(2 * 1024 * 1024) }),
      });
      assert.equal(response.status, 413);
    });

    it('answers wrong types with 422 and JSON pointers', async () => {
      const example = { ...forms.get(census)!.examples()[0], AgencyWorker: 'yes' };
      const response = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: JSON.stringify(example),
      });
      assert.equal(response.status, 422);
      const body = (await response.json()) as { errors: { path: string; message: string }[] };
      assert.ok(
        body.errors.some((error) => error.path === '/AgencyWorker'),
        JSON.stringify(body.errors),
      );
      assert.ok(body.errors.every((error) => error.message.length > 0));
    });

    it('refuses __proto__ keys', async () => {
      const response = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: '{"__proto__": {"polluted": true}, "AgencyWorker": 1}',
      });
      assert.equal(response.status, 400);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('refuses a request without a token, and a forged one', async () => {
      const none = await fetch(`${app.url}/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: '{}',
      });
      assert.equal(none.status, 401);
      const forged = await fetch(`${app.url}/api/v1/submissions/CSWW-2026-00001`, {
        headers: { authorization: 'Bearer fwk_forged' },
      });
      assert.equal(forged.status, 401);
    });

    it('does not show a reference to a token scoped to another form', async () => {
      const created = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: JSON.stringify(forms.get(census)!.examples()[0]),
      });
      const { reference } = (await created.json()) as { reference: string };
      const stranger = await app.apiToken(['secure-welfare-referral']);
      const response = await fetch(`${app.url}/api/v1/submissions/${reference}`, {
        headers: { authorization: `Bearer ${stranger}` },
      });
      assert.equal(response.status, 404);
      const junk = await api('/api/v1/submissions/not-a-reference');
      assert.equal(junk.status, 404);
    });

    it('makes a retried submission with the same Idempotency-Key store once', async () => {
      const body = JSON.stringify(forms.get(census)!.examples()[0]);
      const headers = { 'idempotency-key': 'retry-test-1' };
      const first = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body,
        headers,
      });
      const second = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body,
        headers,
      });
      assert.equal(first.status, 201);
      assert.equal(second.status, 200);
      assert.deepEqual(await second.json(), await first.json());
      const other = JSON.stringify({ ...forms.get(census)!.examples()[0], Cases30: 99 });
      const conflict = await api(`/api/v1/forms/${census}/submissions`, {
        method: 'POST',
        body: other,
        headers,
      });
      assert.equal(conflict.status, 409);
    });
  });

  describe('in the browser journey', () => {
    it('refuses a post with a forged or missing CSRF token and saves nothing', async () => {
      const client = await app.signedIn('person.1@example.gov.uk', `/forms/${census}`);
      const first = await client.post(`/forms/${census}/start`, {});
      const path = new URL(first.url).pathname;
      const forged = await client.post(path, {
        _csrf: 'forged',
        SWENo: 'SW99999',
        _action: 'continue',
      });
      assert.equal(forged.status, 403);
      const missing = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'SWENo=SW99999',
        redirect: 'manual',
      });
      assert.ok([302, 303, 403].includes(missing.status));
      const again = await client.get(path);
      assert.equal(again.$('input[name="SWENo"]').attr('value') ?? '', '');
    });

    it("shows another person's draft as not found", async () => {
      const owner = await app.signedIn('person.2@example.gov.uk', `/forms/${census}`);
      const first = await owner.post(`/forms/${census}/start`, {});
      const stranger = await app.signedIn('person.3@example.gov.uk', `/forms/${census}`);
      const page = await stranger.get(new URL(first.url).pathname);
      assert.equal(page.status, 404);
      const posted = await stranger.post(new URL(first.url).pathname, {
        SWENo: 'XX1',
        _action: 'continue',
      });
      assert.equal(posted.status, 404);
    });

    it('keeps script typed into a text field as inert text', async () => {
      const form = forms.get(census)!;
      const client = await app.signedIn('person.4@example.gov.uk', `/forms/${census}`);
      const example = { ...form.examples().find((candidate) => candidate.AgencyWorker === 0)! };
      example.QualInst = '<script>alert(1)</script>';
      let page = await client.post(`/forms/${census}/start`, {});
      while (!page.url.endsWith('/check-answers')) {
        const next = await answerPage(client, form, page, example);
        assert.notEqual(pageIdOf(next), pageIdOf(page), 'the page accepted the answers');
        page = next;
      }
      assert.ok(page.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.equal(page.$('script:not([src])').length, 1, 'only the layout script is a script');
    });

    it('keeps a form closed to an email domain it does not allow, however the person signed in', async () => {
      // A social worker, so the form's roles admit them, but on a domain it does not allow.
      await app.addUser('someone@example.net', 'social-worker', '383');
      const client = await app.signedIn('someone@example.net', '/my-forms');
      await client.get('/forms/secure-welfare-referral');
      const refused = await client.post('/forms/secure-welfare-referral/start', {});
      assert.equal(refused.status, 403);
      assert.match(refused.$('main').text(), /@example\.net/);
      const mine = await client.get('/my-forms');
      assert.equal(mine.$('table').length, 0, 'no draft was created');
    });

    it('answers an unknown form and page with 404 pages, not stack traces', async () => {
      const client = app.client();
      const missing = await client.get('/forms/no-such-form');
      assert.equal(missing.status, 404);
      assert.match(missing.$('h1').text(), /Page not found/);
      assert.doesNotMatch(missing.html, /Error: |at .*\(/);
    });
  });
});
