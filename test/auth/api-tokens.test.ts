import assert from 'node:assert/strict';
import {
  createApiToken,
  hashApiToken,
  revokeApiToken,
  verifyApiToken,
} from '../../src/auth/api-tokens.js';
import type { Database } from '../../src/store/database.js';
import {
  clearSecurityTables,
  openTestDatabase,
  startSecurityApp,
  type SecurityApp,
} from '../http/security/security-app.js';

describe('API tokens', function () {
  this.timeout(60_000);
  let db: Database;
  let app: SecurityApp;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await clearSecurityTables(db);
    app = await startSecurityApp({ db });
  });
  afterEach(async () => {
    await app.close();
  });

  const echo = (authorization?: string) =>
    fetch(`${app.baseUrl}/api/v1/echo`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      },
      body: '{"ok":true}',
    });

  it('creates a fwk_ token and stores only its sha256', async () => {
    const { id, token } = await createApiToken(db, {
      name: 'Case system',
      formIds: ['secure-welfare'],
      organisationId: 'north-council',
    });
    assert.match(token, /^fwk_[A-Za-z0-9_-]{43}$/);
    const { rows } = await db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [id],
    );
    assert.equal(rows[0]?.token_hash, hashApiToken(token));
    assert.deepEqual(await verifyApiToken(db, token), {
      id,
      name: 'Case system',
      organisationId: 'north-council',
      formIds: ['secure-welfare'],
    });
  });

  describe('over HTTP', () => {
    it('lets a good token through and sets req.apiToken (no CSRF token needed)', async () => {
      const { id, token } = await createApiToken(db, { name: 'Case system' });
      const response = await echo(`Bearer ${token}`);
      assert.equal(response.status, 201);
      const json = (await response.json()) as { token: { id: string; formIds: unknown } };
      assert.equal(json.token.id, id);
      assert.equal(json.token.formIds, null);
      assert.deepEqual(app.changes, ['api-echo']);
    });

    const refusals: [string, () => Promise<string | undefined>][] = [
      ['no Authorization header', () => Promise.resolve(undefined)],
      ['a made-up token', () => Promise.resolve(`Bearer fwk_${'A'.repeat(43)}`)],
      ['a malformed header', () => Promise.resolve('Basic dXNlcjpwYXNz')],
      [
        'a revoked token',
        async () => {
          const { id, token } = await createApiToken(db, { name: 'Old system' });
          assert.equal(await revokeApiToken(db, id), true);
          return `Bearer ${token}`;
        },
      ],
    ];
    for (const [what, header] of refusals) {
      it(`refuses ${what} with 401 ERR_AUTH_TOKEN_INVALID and WWW-Authenticate`, async () => {
        const response = await echo(await header());
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
        const json = (await response.json()) as { error: { code: string } };
        assert.equal(json.error.code, 'ERR_AUTH_TOKEN_INVALID');
        assert.deepEqual(app.changes, []);
      });
    }
  });
});
