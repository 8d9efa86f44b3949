import assert from 'node:assert/strict';
import { samplePdf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type WebClient } from '../support/web-client.js';

describe('File uploads on a public form', function () {
  this.timeout(60_000);
  let app: TestApp;

  before(async () => {
    app = await startTestApp({
      formsDir: 'test/fixtures/forms',
      env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
    });
  });
  after(() => app.stop());

  const startDraft = async (client: WebClient) => {
    const page = await client.post('/forms/evidence-upload/start', {});
    return new URL(page.url).pathname;
  };
  const upload = (
    client: WebClient,
    path: string,
    file: Blob,
    filename: string,
    extra: [string, string][] = [],
  ) => {
    const body = new FormData();
    body.append('evidence.name', 'Sam Example');
    for (const [name, value] of extra) body.append(name, value);
    body.append('evidence.letter', file, filename);
    body.append('_action', 'continue');
    return client.postMultipart(path, body);
  };

  it('stores a real PDF and shows the file on the page when going back', async () => {
    const client = app.client();
    await client.get('/forms/evidence-upload');
    const path = await startDraft(client);
    const next = await upload(client, path, new Blob([samplePdf]), 'letter.pdf');
    assert.ok(next.url.endsWith('/check-answers'), next.url);
    assert.match(next.$('.govuk-summary-list').text(), /1 file uploaded/);
    const back = await client.get(path);
    assert.match(back.html, /letter\.pdf/);
  });

  it('refuses a file whose bytes are not what its name says, and keeps nothing', async () => {
    const client = app.client();
    await client.get('/forms/evidence-upload');
    const path = await startDraft(client);
    const executable = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);
    const refused = await upload(client, path, new Blob([executable]), 'letter.pdf');
    assert.equal(refused.status, 422);
    assert.doesNotMatch(refused.html, /at .*\(|node_modules/);
    const page = await client.get(path);
    assert.doesNotMatch(page.html, /letter\.pdf/);
  });

  it('refuses a file over the size limit with 413', async () => {
    const client = app.client();
    await client.get('/forms/evidence-upload');
    const path = await startDraft(client);
    const big = Buffer.concat([samplePdf, Buffer.alloc(11 * 1024 * 1024, 32)]);
    const refused = await upload(client, path, new Blob([big]), 'letter.pdf');
    assert.equal(refused.status, 413);
  });

  it("attaches nothing when a person posts another draft's document id", async () => {
    const owner = app.client();
    await owner.get('/forms/evidence-upload');
    const ownerPath = await startDraft(owner);
    await upload(owner, ownerPath, new Blob([samplePdf]), 'private.pdf');
    const ownerPage = await owner.get(ownerPath);
    const stolenId = ownerPage.$('input[name="evidence.letter._keep"]').attr('value');
    assert.ok(stolenId?.startsWith('doc_'), 'the owner page keeps the uploaded id');

    const stranger = app.client();
    await stranger.get('/forms/evidence-upload');
    const strangerPath = await startDraft(stranger);
    const attempt = await stranger.post(strangerPath, [
      ['evidence.name', 'Mallory Example'],
      ['evidence.letter._keep', stolenId!],
      ['evidence.letter', stolenId!],
      ['_action', 'continue'],
    ]);
    assert.equal(attempt.status, 422);
    assert.deepEqual(errorSummary(attempt), ['Upload the letter']);
    assert.doesNotMatch(attempt.html, /private\.pdf/);
  });
});
