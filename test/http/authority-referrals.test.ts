import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { postReferral } from '../support/post-referral.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe('"Your forms" lists the referrals of the user\'s local authority (HTTP)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let reference: string;

  before(async () => {
    app = await startTestApp();
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const response = await postReferral(
      app.url,
      await app.apiToken(undefined, '383'),
      form.schema.examples[0] ?? {},
    );
    assert.equal(response.status, 201);
    reference = ((await response.json()) as { reference: string }).reference;
    await app.addUser('manager.383@example.gov.uk', 'team-manager', '383');
    await app.addUser('worker.373@example.gov.uk', 'social-worker', '373');
  });

  after(async () => {
    await app.stop();
  });

  it('lists the API-sent referral to a team manager of 383, linking to its status page', async () => {
    const manager = await app.signedIn('manager.383@example.gov.uk', '/my-forms');
    const page = await waitFor('the listing', async () => {
      const got = await manager.get('/my-forms');
      return got.html.includes(reference) ? got : undefined;
    });
    assert.equal(page.status, 200);
    assert.match(page.$('h2').text(), /Referrals from your authority/);
    assert.match(page.html, /You have not sent any forms/);
    const link = page.$(`a[href="/referrals/${reference}"]`);
    assert.equal(link.length, 1);
    const row = link.closest('tr').text();
    assert.match(row, /EX-104233/);
    assert.doesNotMatch(page.html, /Alex/);
    const status = await manager.get(`/referrals/${reference}`);
    assert.equal(status.status, 200);
  });

  it('does not list it to a social worker of another authority', async () => {
    const other = await app.signedIn('worker.373@example.gov.uk', '/my-forms');
    const page = await other.get('/my-forms');
    assert.equal(page.status, 200);
    assert.match(page.$('h2').text(), /Referrals from your authority/);
    assert.match(page.html, /Your authority has not sent any referrals/);
    assert.ok(!page.html.includes(reference));
  });

  it('shows no such section to home staff or the coordinator', async () => {
    const { rows } = await app.running.db.query<{ email: string }>(
      `SELECT email FROM homes ORDER BY name LIMIT 1`,
    );
    for (const email of ['coordinator@example.gov.uk', rows[0]!.email]) {
      const client = await app.signedIn(email, '/my-forms');
      const page = await client.get('/my-forms');
      assert.equal(page.status, 200, email);
      assert.doesNotMatch(page.html, /Referrals from your authority/, email);
      assert.ok(!page.html.includes(reference), email);
    }
  });
});
