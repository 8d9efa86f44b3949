import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maxJsonDepth } from '../../src/http/middleware/body.js';
import { makeJourneyFormsDir } from '../support/journey-forms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorLinks, errorSummary, type WebClient } from '../support/web-client.js';

const formId = 'public-enquiry';
const valid = {
  yourName: 'Alex Example',
  email: 'alex.example@example.org',
  contactBy: 'email',
  topic: 'becoming',
  question: 'Can I foster if I rent my home?',
};

describe('Edge inputs', function () {
  this.timeout(180_000);
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp({ formsDir: await makeJourneyFormsDir() });
    token = await app.apiToken();
  });
  after(() => app.stop());

  const post = (body: string) =>
    fetch(`${app.url}/api/v1/forms/${formId}/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  const stored = async () => {
    const { rows } = await app.running.db.query<{ count: number }>(
      `SELECT (SELECT count(*) FROM submissions)::int + (SELECT count(*) FROM audit_events
         WHERE action = 'draft.update')::int AS count`,
    );
    return rows[0]?.count ?? 0;
  };

  describe('on the JSON API', () => {
    for (const [name, text] of [
      ['a NUL character', 'Alex\u0000Example'],
      ['a lone surrogate', 'Alex \ud800 Example'],
      ['a control character', 'Alex\u001bExample'],
    ] as const) {
      it(`refuses ${name} with 422 naming the field, and stores nothing`, async () => {
        const before = await stored();
        const response = await post(JSON.stringify({ ...valid, yourName: text }));
        assert.equal(response.status, 422);
        const body = (await response.json()) as { errors: { path: string; message: string }[] };
        assert.equal(body.errors[0]?.path, '/yourName');
        assert.match(body.errors[0].message, /cannot be stored/);
        assert.equal(await stored(), before);
      });
    }

    it('refuses a NUL character in a property name', async () => {
      const response = await post(JSON.stringify({ ...valid, 'your\u0000Name': 'x' }));
      assert.equal(response.status, 422);
      const body = (await response.json()) as { errors: { path: string }[] };
      assert.equal(body.errors[0]?.path, '/your\\u0000Name');
    });

    it(`refuses JSON nested deeper than ${maxJsonDepth} with 400, even 10,000 deep`, async () => {
      const before = await stored();
      for (const depth of [maxJsonDepth + 1, 10_000]) {
        const response = await post(`{"question":${'['.repeat(depth)}${']'.repeat(depth)}}`);
        assert.equal(response.status, 400);
        const body = (await response.json()) as { error: { code: string } };
        assert.equal(body.error.code, 'ERR_HTTP_BODY_TOO_DEEP');
      }
      const within = await post(
        `{"question":${'['.repeat(maxJsonDepth - 1)}${']'.repeat(maxJsonDepth - 1)}}`,
      );
      assert.equal(within.status, 422, 'nesting within the limit is read, then found invalid');
      assert.equal(await stored(), before);
    });

    it('refuses properties the schema closes out with 422 naming each, and stores nothing', async () => {
      const before = await stored();
      const response = await post(JSON.stringify({ ...valid, nickname: 'Al', extra: { a: 1 } }));
      assert.equal(response.status, 422);
      const body = (await response.json()) as { errors: { path: string; message: string }[] };
      assert.deepEqual(body.errors.map((error) => error.path).sort(), ['/extra', '/nickname']);
      assert.match(body.errors[0]!.message, /not a question on this form/);
      assert.equal(await stored(), before);
      const accepted = await post(JSON.stringify(valid));
      assert.equal(accepted.status, 201);
    });

    it('never answers arbitrary JSON with a 500, and stores nothing when it refuses', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.json({ maxDepth: 6 }),
            fc
              .jsonValue({ maxDepth: 4 })
              .map((value) => JSON.stringify({ ...valid, question: value })),
            fc
              .string({ unit: 'binary' })
              .map((text) => JSON.stringify({ ...valid, yourName: text })),
            fc
              .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 }))
              .map((extra) => JSON.stringify({ ...valid, ...extra })),
            fc.string({ unit: 'binary' }),
          ),
          async (body) => {
            const before = await stored();
            const response = await post(body);
            await response.arrayBuffer();
            assert.ok(response.status < 500, `${response.status} for ${JSON.stringify(body)}`);
            if (response.status >= 400) assert.equal(await stored(), before, body);
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe('on a form page', () => {
    const startDraft = async (): Promise<{ client: WebClient; path: string }> => {
      const client = app.client();
      await client.get(`/forms/${formId}`);
      const page = await client.post(`/forms/${formId}/start`, {});
      return { client, path: new URL(page.url).pathname };
    };

    for (const [name, text] of [
      ['a NUL character', 'Alex\u0000Example'],
      ['a control character', 'Alex\u001bExample'],
    ] as const) {
      it(`shows the page again when an answer holds ${name}: the error names the question, the other answers are kept, nothing is saved`, async () => {
        const { client, path } = await startDraft();
        const before = await stored();
        const refused = await client.post(path, {
          yourName: text,
          email: valid.email,
          contactBy: 'email',
          _action: 'continue',
        });
        assert.equal(refused.status, 422);
        assert.equal(new URL(refused.url).pathname, path, 'the same question page');
        assert.deepEqual(errorLinks(refused), ['#yourName']);
        assert.match(
          errorSummary(refused)[0] ?? '',
          new RegExp(`^Your full name contained ${name}`),
        );
        assert.equal(refused.$('[id="yourName"]').length, 1, 'the link resolves');
        assert.equal(refused.$('#email').val(), valid.email, 'the other answers are kept');
        assert.equal(refused.$('#yourName').val(), 'AlexExample', 'the character is taken out');
        assert.equal(await stored(), before);
        // continuing from the page as shown goes on
        const next = await client.submit(refused);
        assert.notEqual(new URL(next.url).pathname, path);
      });
    }

    it('drops a posted name holding a NUL character that is no question of the page', async () => {
      const { client, path } = await startDraft();
      const page = await client.post(path, [
        ['zz\u0000top', 'x'],
        ['_action', 'continue'],
      ]);
      assert.ok(page.status === 422 || page.status === 200, String(page.status));
      assert.ok(!page.$('main').text().includes('\u0000'));
      assert.doesNotMatch(page.$('main').text(), /cannot be stored/);
    });

    it('never answers arbitrary strings with a 500, and saves nothing when it refuses', async () => {
      const { client, path } = await startDraft();
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'binary' }),
          fc.constantFrom('yourName', 'email', 'contactBy', '__proto__', 'yourName.x.y', ''),
          async (value, other, field) => {
            const before = await stored();
            const page = await client.post(path, [
              [field, value],
              ['email', other],
              ['_action', 'continue'],
            ]);
            assert.ok(page.status < 500, `${page.status} for ${JSON.stringify([field, value])}`);
            if (page.status >= 400 && page.status !== 422) assert.equal(await stored(), before);
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});
