import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio';
import type { ParsedMail } from 'mailparser';
import { openDocumentStore } from '../../src/adapters/dms/open-document-store.js';
import type { Role } from '../../src/auth/roles.js';
import { toCollectionYear } from '../../src/census/census-year.js';
import { loadConfig } from '../../src/config/config.js';
import { accessOf, type Audience, type RouteAccess } from '../../src/http/route-access.js';
import {
  generateCensusReturns,
  InMemoryCensusRecordSource,
} from '../support/in-memory-census-source.js';
import { loadForms } from '../../src/forms/load-forms.js';
import { formsAccess } from '../../src/http/forms-router.js';
import { postReferral } from '../support/post-referral.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The route × role matrix. Every route the running app mounts must be declared (next to its
 * router, with declareAccess); every declaration is then tried by every kind of user, and the
 * answer must be what the declaration says: allowed, or refused (401, 403, 404, or sent to
 * sign in). A new route needs only its line in its router's table; a new `:param` needs a
 * value in `params` below; a new audience word needs its principals in `audienceOf`.
 */

interface Principal {
  name: string;
  email?: string;
  roles: readonly Role[];
  /** The organisation (LA code or id) the roles are held in. */
  organisation?: string;
  token?: 'a' | 'b';
}

const statisticsYear = 2025;
// the return being collected today
const censusYear = String(toCollectionYear(new Date()));
const laA = '383';
const laB = '373';
// the referral form's `roles`: who may fill it in
const referralFillers: readonly Role[] = ['social-worker', 'team-manager'];
// and its `allowedEmailDomains`: the typed referrer's address is of neither
const referralDomains = ['example.gov.uk', 'example.org'];
const principals: readonly Principal[] = [
  {
    name: 'social worker LA A',
    email: 'sw.a@example.gov.uk',
    roles: ['social-worker'],
    organisation: laA,
  },
  {
    name: 'team manager LA A',
    email: 'tm.a@example.gov.uk',
    roles: ['team-manager'],
    organisation: laA,
  },
  {
    name: 'social worker LA B',
    email: 'sw.b@example.gov.uk',
    roles: ['social-worker'],
    organisation: laB,
  },
  { name: 'coordinator', email: 'coordinator@example.gov.uk', roles: ['coordinator'] },
  // The home staff's address is the fixture home's, known once the referral has gone out.
  { name: 'home staff', roles: ['home-staff'] },
  // Staff by their role in the home, whatever address the pack went to; and another home's.
  {
    name: 'more staff of the home',
    email: 'duty.manager@homes.example.org',
    roles: ['home-staff'],
  },
  { name: 'staff of another home', email: 'other.home@homes.example.org', roles: ['home-staff'] },
  {
    name: 'form administrator',
    email: 'forms.admin@example.gov.uk',
    roles: ['form-administrator'],
  },
  { name: 'DPO', email: 'dpo@example.gov.uk', roles: ['data-protection-officer'] },
  { name: 'analyst', email: 'analyst@example.gov.uk', roles: ['analyst'] },
  {
    name: 'HR officer LA A',
    email: 'hr.a@example.gov.uk',
    roles: ['hr-officer'],
    organisation: laA,
  },
  {
    name: 'HR officer LA B',
    email: 'hr.b@example.gov.uk',
    roles: ['hr-officer'],
    organisation: laB,
  },
  {
    name: 'DPO LA A',
    email: 'dpo.a@example.gov.uk',
    roles: ['data-protection-officer'],
    organisation: laA,
  },
  // The address typed into the referral as the referrer's: a user, but not of the referring LA.
  {
    name: 'the typed referrer address',
    email: 'jordan.sample@exampleshire.example.gov.uk',
    roles: ['social-worker'],
    organisation: laB,
  },
  { name: 'anonymous', roles: [] },
  { name: 'API token of LA A', roles: [], token: 'a' },
  { name: 'API token of LA B', roles: [], token: 'b' },
];

/** The principals each audience word admits. */
function audienceOf(word: Audience, principal: Principal, route: RouteAccess): boolean {
  const signedIn = principal.name !== 'anonymous' && principal.token === undefined;
  switch (word) {
    case 'anyone':
      return true;
    case 'signed-in':
      return signedIn;
    case 'signed-out':
      return !signedIn;
    // the form journey routes open the referral form: its social workers and team managers,
    // and from Start on only at its allowedEmailDomains (the start page shows whatever the address)
    case 'form-filler':
      return (
        signedIn &&
        principal.roles.some((role) => referralFillers.includes(role)) &&
        (route.method === 'GET' ||
          referralDomains.some((domain) => principal.email?.endsWith(`@${domain}`)))
      );
    case 'referrer':
      return principal.name === 'social worker LA A' || principal.name === 'team manager LA A';
    case 'home-of-request':
      return principal.name === 'home staff' || principal.name === 'more staff of the home';
    case 'draft-owner':
      return principal.name === 'social worker LA A';
    case 'api-token':
      return principal.token !== undefined;
    case 'api-token-of-submitter':
      return principal.token === 'a';
    case 'metrics-token':
      return false;
    // every path the matrix walks names LA A (`:laCode`)
    case 'authority-hr-officer':
      return signedIn && principal.name === 'HR officer LA A';
    case 'authority-dpo':
      return signedIn && principal.name === 'DPO LA A';
    default:
      return signedIn && principal.roles.includes(word);
  }
}

/** A browser without JavaScript (or an API client): cookies, the last CSRF token, no redirects followed. */
class Client {
  private readonly cookies = new Map<string, string>();
  private csrf = '';
  constructor(
    private readonly base: string,
    private readonly bearer?: string,
  ) {}

  /** Posts one file as a browser posts a form with a file question: the CSRF token first. */
  async sendFile(path: string, field: string, filename: string, content: string) {
    const form = new FormData();
    form.append('_csrf', this.csrf);
    form.append(field, new Blob([content], { type: 'text/csv' }), filename);
    const response = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: form,
      redirect: 'manual',
    });
    await response.text();
    return { status: response.status, location: response.headers.get('location') ?? '' };
  }

  async send(method: string, path: string, body?: Record<string, string>) {
    const headers = new Headers();
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (this.bearer) headers.set('authorization', `Bearer ${this.bearer}`);
    let payload: string | undefined;
    if (method !== 'GET') {
      if (path.startsWith('/api/')) {
        headers.set('content-type', 'application/json');
        payload = '{}';
      } else {
        headers.set('content-type', 'application/x-www-form-urlencoded');
        payload = new URLSearchParams({ _csrf: this.csrf, ...body }).toString();
      }
    }
    const response = await fetch(new URL(path, this.base), {
      method,
      headers,
      body: payload,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const value = pair.slice(index + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie))
        this.cookies.delete(pair.slice(0, index));
      else this.cookies.set(pair.slice(0, index), value);
    }
    const html = await response.text();
    const token = cheerio.load(html)('input[name="_csrf"]').first().attr('value');
    if (token) this.csrf = token;
    return { status: response.status, location: response.headers.get('location') ?? '', html };
  }
}

const isRefusal = (answer: { status: number; location: string }) =>
  [401, 403, 404].includes(answer.status) ||
  (answer.status >= 300 && answer.status < 400 && answer.location.startsWith('/sign-in?return='));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string | string[];
  slash?: boolean;
};

/** Every route and mount the app has, and every declaration its routers made. */
function walkApp(app: unknown) {
  const routes = new Set<string>();
  const mounts = new Set<string>();
  const declared: RouteAccess[] = [...(accessOf(app) ?? [])];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat())
          for (const method of Object.keys(layer.route.methods))
            if (method !== '_all') routes.add(`${method.toUpperCase()} ${prefix}${path}`);
      } else if (layer.handle?.stack) {
        declared.push(...(accessOf(layer.handle) ?? []));
        walk(layer.handle.stack, layer.slash ? prefix : `${prefix}${String(layer.rawPath)}`);
      } else if (!layer.slash) {
        mounts.add(`${prefix}${String(layer.rawPath)}`);
      }
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack, '');
  return { routes, mounts, declared };
}

describe('who may use each route: every route × every role', function () {
  this.timeout(300_000);
  let app: TestApp;
  let clients: Map<string, Client>;
  let params: Record<string, string>;
  let overrides: Record<string, Record<string, string>>;
  /** A query string a route needs to name what it opens. */
  let queries: Record<string, string>;
  let walked: ReturnType<typeof walkApp>;

  before(async () => {
    app = await startTestApp({
      // counted census returns of both authorities, so the statistics pages have figures
      censusSource: new InMemoryCensusRecordSource(
        generateCensusReturns({
          year: statisticsYear,
          authorities: [
            { laCode: laA, name: 'Authority A' },
            { laCode: laB, name: 'Authority B' },
          ],
          workers: 40,
        }),
      ),
      env: {
        METRICS_TOKEN: 'metrics-token-for-the-matrix-0123456789',
        // Mounted so its routes are in the matrix; nothing listens there, so it answers 503.
        OIDC_ISSUER: 'http://localhost:9',
        OIDC_CLIENT_ID: 'formwork',
        OIDC_CLIENT_SECRET: 'a-secret-nobody-listens-for',
      },
    });
    for (const principal of principals)
      if (
        principal.email &&
        principal.name !== 'coordinator' &&
        !principal.roles.includes('home-staff')
      )
        await app.addUser(principal.email, principal.roles[0] ?? '', principal.organisation);
    const tokenA = await app.apiToken(undefined, laA);
    const tokenB = await app.apiToken(undefined, laB);

    // LA A's case-management system refers a child.
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const submitted = await postReferral(app.url, tokenA, form.schema.examples[0] ?? {});
    assert.equal(submitted.status, 201);
    const reference = ((await submitted.json()) as { reference: string }).reference;
    const db = app.running.db;
    await waitFor('the review task', async () => {
      const { rows } = await db.query(
        `SELECT 1 FROM workflow_review_tasks t JOIN workflow_instances i ON i.id = t.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1 AND t.state = 'open'`,
        [reference],
      );
      return rows[0];
    });

    const signIn = async (email: string) => {
      const client = new Client(app.url);
      await client.send('GET', '/sign-in');
      const before = (await app.mails()).length;
      await client.send('POST', '/sign-in', { email });
      const code = /\b(\d{6})\b/.exec((await app.mails()).slice(before).at(-1)?.text ?? '')?.[1];
      assert.ok(code, `a code for ${email}`);
      const signed = await client.send('POST', '/sign-in/code', { code });
      assert.equal(signed.status, 303);
      await client.send('GET', '/sign-out');
      return client;
    };

    // The coordinator approves the proposed homes; each gets its pack email with its link.
    const coordinator = await signIn('coordinator@example.gov.uk');
    const review = await coordinator.send('GET', `/coordinator/referrals/${reference}`);
    const $ = cheerio.load(review.html);
    const homes = $('input[name="homes"][checked]')
      .map((_i, box) => $(box).attr('value') ?? '')
      .get();
    const taskId = $('input[name="taskId"]').attr('value') ?? '';
    // approving is confirmed on its own page; the confirmation's post is what sends the packs
    const approved = await coordinator.send(
      'POST',
      `/coordinator/referrals/${reference}/review/confirm`,
      { taskId, homes: homes[0] ?? '' },
    );
    assert.equal(approved.status, 303);
    const homeId = homes[0] ?? '';
    const { rows: homeRows } = await db.query<{ email: string }>(
      'SELECT email FROM homes WHERE id = $1',
      [homeId],
    );
    const homeEmail = homeRows[0]?.email ?? '';
    const pack = await waitFor('the pack email', async () =>
      (await app.mails()).find(
        (mail: ParsedMail) =>
          mail.subject?.includes('please respond') === true &&
          mail.text?.includes('/homes/respond/') === true,
      ),
    );
    const token = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(pack.text ?? '')?.[1] ?? '';
    await waitFor('the pack', async () => {
      const { rows } = await db.query(
        `SELECT 1 FROM workflow_home_requests r JOIN workflow_instances i ON i.id = r.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1 AND r.state = 'awaiting'`,
        [reference],
      );
      return rows[0];
    });

    // A document sent with the referral.
    const config = loadConfig({ DATA_DIR: app.dataDir });
    await openDocumentStore(config).put('matrix/court-order', Buffer.from('%PDF-1.4 matrix'), {
      filename: 'court-order.pdf',
      mediaType: 'application/pdf',
    });
    await db.query(
      `INSERT INTO documents (id, organisation_id, submission_id, field_path, filename, media_type,
         size_bytes, sha256, storage_key, retain_until)
       SELECT 'doc_matrix000000000000000000', organisation_id, id, '/attachments', 'court-order.pdf',
         'application/pdf', 15, 'x', 'matrix/court-order', retain_until FROM submissions WHERE reference = $1`,
      [reference],
    );

    const otherHome =
      (
        await db.query<{ id: string }>(
          'SELECT id FROM homes WHERE id <> $1 ORDER BY id DESC LIMIT 1',
          [homeId],
        )
      ).rows[0]?.id ?? '';
    await app.addUser('duty.manager@homes.example.org', 'home-staff', homeId);
    await app.addUser('other.home@homes.example.org', 'home-staff', otherHome);

    // Every principal's client.
    clients = new Map();
    for (const principal of principals) {
      const email = principal.name === 'home staff' ? homeEmail : principal.email;
      let client: Client;
      if (principal.name === 'coordinator') client = coordinator;
      else if (email) client = await signIn(email);
      else {
        client = new Client(
          app.url,
          principal.token === 'a' ? tokenA : principal.token === 'b' ? tokenB : undefined,
        );
        await client.send('GET', '/sign-in');
      }
      clients.set(principal.name, client);
    }

    // Social worker A's own draft of the referral form, a form only its roles may fill in.
    const owner = clients.get('social worker LA A');
    assert.ok(owner);
    const outbox = await coordinator.send('GET', '/dev/outbox');
    const messageId = /href="\/dev\/outbox\/([^"]+)"/.exec(outbox.html)?.[1] ?? '';
    // Not the fixture home: the matrix issues that one a new link, which ends its old one.
    const vacancyHome =
      (
        await db.query<{ id: string }>('SELECT id FROM homes WHERE id <> $1 ORDER BY id LIMIT 1', [
          homeId,
        ])
      ).rows[0]?.id ?? '';
    const vacancy = await coordinator.send(
      'POST',
      `/coordinator/homes/${vacancyHome}/vacancy-link`,
    );
    const link = await coordinator.send('GET', vacancy.location);
    const vacancyToken =
      /\/vacancies\/([A-Za-z0-9_-]+)$/.exec(cheerio.load(link.html)('#vacancy-link').text())?.[1] ??
      '';
    await owner.send('GET', '/sign-out');
    const referralDraft = await owner.send('POST', '/forms/secure-welfare-referral/start');
    const referralDraftId = /^\/forms\/secure-welfare-referral\/([0-9a-f-]{36})\//i.exec(
      referralDraft.location,
    )?.[1];
    assert.ok(referralDraftId, referralDraft.location);
    const taskList = await owner.send('GET', referralDraft.location);
    const referralPageId =
      new RegExp(`/forms/secure-welfare-referral/${referralDraftId}/([a-z0-9-]+)"`, 'i').exec(
        taskList.html,
      )?.[1] ?? '';
    assert.ok(referralPageId, 'the task list links a page');
    const censusForm = (await loadForms('forms')).get('social-care-workforce-census');
    await owner.send('GET', '/sign-out');

    // LA A's HR officer uploads a census file with an error: the upload waits for their choice.
    const hr = clients.get('HR officer LA A');
    assert.ok(hr);
    await hr.send('GET', `/census/${laA}/${censusYear}`);
    const uploaded = await hr.sendFile(
      `/census/${laA}/${censusYear}/upload`,
      'censusFile',
      'workers.csv',
      'AgencyWorker,SWENo\r\n7,SW123456\r\n',
    );
    const uploadId = /\/uploads\/([0-9a-f-]{36})/.exec(uploaded.location)?.[1] ?? '';
    assert.ok(uploadId, `the upload answered ${String(uploaded.status)} ${uploaded.location}`);

    // The form administrator's draft of the census form, for the editor's draft pages.
    const editor = clients.get('form administrator');
    assert.ok(editor);
    await editor.send('GET', '/admin/forms/social-care-workforce-census');
    const drafted = await editor.send('POST', '/admin/forms/social-care-workforce-census/draft');
    assert.equal(drafted.status, 303, 'the editor starts a draft');

    params = {
      laCode: laA,
      year: censusYear,
      uploadId,
      file: 'headlines.csv',
      number: '1',
      workflowId: 'secure-welfare-referral',
      formId: 'social-care-workforce-census',
      draftId: referralDraftId,
      // the census form's first page, for the editor's draft pages
      pageId: censusForm?.pages[0]?.id ?? '',
      reference,
      token,
      documentId: 'doc_matrix000000000000000000',
      homeId,
      flagId: '1',
      id: messageId,
    };
    const statistics = { year: String(statisticsYear) };
    queries = { '/admin/forms/:formId/draft/question': '?at=%2FSWENo' };
    overrides = {
      '/statistics/:year': statistics,
      '/statistics/:year/tables/:file': { ...statistics, file: 'by-authority.csv' },
      '/statistics/:year/authorities/:laCode': statistics,
      '/statistics/:year/authorities/:laCode/tables/:file': statistics,
      // every form journey route opens the referral form, which names the roles that fill it in
      ...Object.fromEntries(
        formsAccess.map((route) => [
          route.path,
          { formId: 'secure-welfare-referral', draftId: referralDraftId, pageId: referralPageId },
        ]),
      ),
      '/vacancies/:token': { token: vacancyToken },
    };
    walked = walkApp(app.running.server?.listeners('request')[0]);
  });
  after(() => app.stop());

  it('has a declaration for every mounted route, and no declaration for a route that is not there', () => {
    const declared = new Set(
      walked.declared.filter((r) => !r.mount).map((r) => `${r.method} ${r.path}`),
    );
    assert.deepEqual(
      [...walked.routes].filter((route) => !declared.has(route)),
      [],
      'undeclared routes',
    );
    assert.deepEqual(
      [...declared].filter((route) => !walked.routes.has(route)),
      [],
      'declared but not mounted',
    );
    const mounts = new Set(walked.declared.filter((r) => r.mount).map((r) => r.path));
    const paths = walked.declared.map((r) => r.path);
    assert.deepEqual(
      [...walked.mounts].filter(
        (mount) => !mounts.has(mount) && !paths.some((path) => path.startsWith(`${mount}/`)),
      ),
      [],
      'undeclared mounts',
    );
    assert.ok(walked.routes.size >= 50, `only ${String(walked.routes.size)} routes found`);
  });

  it('answers every principal on every route as the declaration says', async () => {
    const wrong: string[] = [];
    let tried = 0;
    // Publishing, rolling back or discarding ends the editor's draft, and signing out ends a
    // principal's session: those routes go last.
    const rank = ({ method, path }: RouteAccess) =>
      path.startsWith('/sign-out')
        ? 3
        : path.endsWith('/discard')
          ? 2
          : method === 'POST' && /\/(publish|rollback)$/.test(path)
            ? 1
            : 0;
    const ordered = [...walked.declared].sort((a, b) => rank(a) - rank(b));
    for (const route of ordered) {
      const values = { ...params, ...overrides[route.path] };
      const path =
        route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
          const value = values[name];
          if (value === undefined || value === '')
            throw new Error(`no value for :${name} in ${route.path}`);
          return encodeURIComponent(value);
        }) + (queries[route.path] ?? '');
      for (const principal of principals) {
        const client = clients.get(principal.name);
        assert.ok(client);
        // A fresh CSRF token: an earlier sign-out ended the session the last one belonged to.
        if (route.path.startsWith('/sign-out')) await client.send('GET', '/sign-out');
        const answer = await client.send(route.method, path);
        tried += 1;
        const allowed = route.allow.some((word) => audienceOf(word, principal, route));
        if (allowed === isRefusal(answer))
          wrong.push(
            `${route.method} ${route.path} for ${principal.name}: ${String(answer.status)} ${answer.location} (declared ${allowed ? 'allowed' : 'refused'})`,
          );
        if (answer.status >= 500 && answer.status !== 503)
          wrong.push(
            `${route.method} ${route.path} for ${principal.name}: ${String(answer.status)}`,
          );
      }
    }
    assert.deepEqual(wrong, []);
    assert.equal(tried, ordered.length * principals.length);
    assert.ok(ordered.length >= 60, `only ${String(ordered.length)} declared routes were tried`);
  });
});
