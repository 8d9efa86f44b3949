import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { loadForms } from '../../src/forms/load-forms.js';
import type { FormModel } from '../../src/forms/form-model.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { uploadExampleDocuments } from '../support/upload-example-documents.js';

const metricsToken = 'metrics-token-for-the-journey-0123456789';

describe('organisations, roles and tokens in the running app', function () {
  this.timeout(180_000);
  let app: TestApp;
  let example: Record<string, unknown>;
  let referral: FormModel;
  const logged: string[] = [];

  before(async () => {
    app = await startTestApp({
      env: { HOST: '127.0.0.1', METRICS_TOKEN: metricsToken },
      log: (line) => logged.push(line),
    });
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    example = form.schema.examples[0] ?? {};
    const loaded = (await loadForms('forms')).get('secure-welfare-referral');
    if (!loaded) throw new Error('no referral form');
    referral = loaded;
  });
  after(() => app.stop());

  const submit = async (token: string) => {
    const response = await fetch(`${app.url}/api/v1/forms/secure-welfare-referral/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(await uploadExampleDocuments(app.url, token, referral, example)),
    });
    assert.equal(response.status, 201);
    return ((await response.json()) as { reference: string }).reference;
  };
  const read = (token: string, reference: string) =>
    fetch(`${app.url}/api/v1/submissions/${reference}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  describe('when it starts with no administrator', () => {
    it('logs how to create the first one', () => {
      assert.ok(
        logged.some((line) =>
          line.includes(
            'npx formwork user add --email <you@your-organisation.gov.uk> --role form-administrator',
          ),
        ),
        logged.join('\n'),
      );
    });
  });

  describe('when a token of another authority asks for a referral by its reference', () => {
    it('answers 404, exactly as for a reference that does not exist', async () => {
      const leeds = await app.apiToken(undefined, '383');
      const sheffield = await app.apiToken(undefined, '373');
      const unassigned = await app.apiToken();
      const reference = await submit(leeds);
      assert.equal((await read(leeds, reference)).status, 200);
      for (const other of [sheffield, unassigned]) {
        const refused = await read(other, reference);
        assert.equal(refused.status, 404);
        const missing = await read(other, 'SWR-2026-99999');
        assert.deepEqual(await refused.json(), await missing.json());
      }
    });
  });

  describe('when a coordinator is added with formwork user add', () => {
    it('opens the console from the role in the database; others are refused', async () => {
      await app.addUser('second.coordinator@example.gov.uk', 'coordinator');
      const coordinator = await app.signedIn('second.coordinator@example.gov.uk', '/coordinator');
      const console = await coordinator.get('/coordinator');
      assert.equal(console.status, 200);
      assert.ok(console.$('a[href="/admin/queues"]').length > 0, 'the header links bull-board');
      // the development outbox too: coordinators are users with the role, not a list of addresses
      assert.equal((await coordinator.get('/dev/outbox')).status, 200);
      const worker = await app.signedIn('not.a.coordinator@example.gov.uk');
      assert.equal((await worker.get('/coordinator')).status, 403);
      assert.equal((await worker.get('/dev/outbox')).status, 403);
    });

    it('refuses a scoped role without its organisation, with a clear reason', async () => {
      await assert.rejects(app.addUser('x@example.gov.uk', 'social-worker'), /needs --org/);
    });
  });

  describe('operations', () => {
    it('listens on HOST and serves /metrics only with the metrics token', async () => {
      const address = app.running.server?.address() as AddressInfo;
      assert.equal(address.address, '127.0.0.1');
      assert.equal((await fetch(`${app.url}/metrics`)).status, 401);
      const metrics = await fetch(`${app.url}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      assert.equal(metrics.status, 200);
    });
  });
});
