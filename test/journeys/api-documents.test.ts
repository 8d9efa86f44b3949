import assert from 'node:assert/strict';
import { samplePdf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const formId = 'evidence-upload';

describe('Documents sent through the JSON API', function () {
  this.timeout(120_000);
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp({
      formsDir: 'test/fixtures/forms',
      env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
    });
    token = await app.apiToken();
  });
  after(() => app.stop());

  const upload = (
    field: string,
    bytes: Uint8Array,
    filename: string | undefined,
    bearer = token,
    form = formId,
  ) =>
    fetch(`${app.url}/api/v1/forms/${form}/documents?field=${encodeURIComponent(field)}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/octet-stream',
        ...(filename === undefined
          ? {}
          : { 'content-disposition': `attachment; filename="${filename}"` }),
      },
      body: bytes,
    });
  const uploaded = async (field = '/evidence/letter', bearer = token): Promise<string> => {
    const response = await upload(field, samplePdf, 'letter.pdf', bearer);
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { documentId: string }).documentId;
  };
  const submit = (letter: string, bearer = token) =>
    fetch(`${app.url}/api/v1/forms/${formId}/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ evidence: { name: 'Sam Example', letter } }),
    });
  const counts = async () => {
    const { rows } = await app.running.db.query<{ submissions: number; linked: number }>(
      `SELECT (SELECT count(*) FROM submissions)::int AS submissions,
              (SELECT count(*) FROM documents WHERE submission_id IS NOT NULL)::int AS linked`,
    );
    return rows[0];
  };
  const refusedNaming = async (response: Response, path: string) => {
    assert.equal(response.status, 422);
    const body = (await response.json()) as { errors: { path: string; message: string }[] };
    assert.deepEqual(
      body.errors.map((error) => error.path),
      [path],
    );
    return body.errors[0]?.message ?? '';
  };

  it('takes a file for a question, returns its id, and links it to the submission that names it', async () => {
    const response = await upload('/evidence/letter', samplePdf, 'letter.pdf');
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, unknown>;
    assert.match(String(body.documentId), /^doc_[0-9a-f]{30}$/);
    assert.equal(body.mediaType, 'application/pdf');
    assert.equal(body.filename, 'letter.pdf');
    const sent = await submit(String(body.documentId));
    assert.equal(sent.status, 201, await sent.clone().text());
    const { rows } = await app.running.db.query<{ submission_id: string | null }>(
      'SELECT submission_id FROM documents WHERE id = $1',
      [String(body.documentId)],
    );
    assert.ok(rows[0]?.submission_id, 'linked to the submission');
  });

  it('refuses a made-up document id with 422 naming the field, and stores nothing', async () => {
    const before = await counts();
    const message = await refusedNaming(
      await submit('doc_00000000000000000000000000aaaa'),
      '/evidence/letter',
    );
    assert.match(message, /not uploaded for this submission/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses an id another token uploaded, and one another submission already took', async () => {
    const other = await app.apiToken();
    const theirs = await uploaded('/evidence/letter', other);
    const before = await counts();
    await refusedNaming(await submit(theirs), '/evidence/letter');
    const mine = await uploaded();
    assert.equal((await submit(mine)).status, 201);
    await refusedNaming(await submit(mine), '/evidence/letter');
    assert.equal((await counts())?.submissions, (before?.submissions ?? 0) + 1);
  });

  it('refuses an id uploaded for a different question', async () => {
    const carePlan = await uploaded('/evidence/carePlan');
    await refusedNaming(await submit(carePlan), '/evidence/letter');
  });

  it('checks the bytes against the question: a disguised or unaccepted file is refused', async () => {
    const text = new TextEncoder().encode('just some text, not a PDF');
    const disguised = await upload('/evidence/letter', text, 'letter.pdf');
    assert.equal(disguised.status, 422);
    assert.match(await refusedNaming(disguised, '/evidence/letter'), /must be a PDF/);
    // a PDF named as something else does not agree with its name
    const misnamed = await upload('/evidence/letter', samplePdf, 'letter.docx');
    assert.equal(misnamed.status, 422);
    const empty = await upload('/evidence/letter', new Uint8Array(), 'letter.pdf');
    assert.equal(empty.status, 422);
  });

  it('refuses a file over the question limit with 413, before storing it', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(samplePdf);
    const response = await upload('/evidence/letter', big, 'letter.pdf');
    assert.equal(response.status, 413);
  });

  it('asks for a file name, a file question and a form the token may use', async () => {
    assert.equal((await upload('/evidence/letter', samplePdf, undefined)).status, 400);
    await refusedNaming(await upload('/evidence/name', samplePdf, 'a.pdf'), '/evidence/name');
    await refusedNaming(await upload('', samplePdf, 'a.pdf'), '');
    const narrow = await app.apiToken(['public-enquiry']);
    const forbidden = await upload('/evidence/letter', samplePdf, 'a.pdf', narrow);
    assert.equal(forbidden.status, 404);
    const anonymous = await fetch(`${app.url}/api/v1/forms/${formId}/documents?field=/x`, {
      method: 'POST',
      body: samplePdf,
    });
    assert.equal(anonymous.status, 401);
  });

  describe('when a file is sent inline as a data: URL, as form builders send format data-url', () => {
    const dataUrl = (bytes: Uint8Array, type: string, name?: string) =>
      `data:${type}${name === undefined ? '' : `;name=${encodeURIComponent(name)}`};base64,${Buffer.from(bytes).toString('base64')}`;

    it('stores it as a document of the submission, named as the URL names it', async () => {
      const before = await counts();
      const sent = await submit(dataUrl(samplePdf, 'application/pdf', 'scan of letter.pdf'));
      assert.equal(sent.status, 201, await sent.clone().text());
      const { reference } = (await sent.json()) as { reference: string };
      const read = await fetch(`${app.url}/api/v1/submissions/${reference}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { data } = (await read.json()) as { data: { evidence: { letter: string } } };
      // the answer names the stored document, whose bytes are the file sent
      assert.match(data.evidence.letter, /^doc_[0-9a-f]{30}$/);
      const { rows } = await app.running.db.query<{ filename: string; size_bytes: number }>(
        'SELECT filename, size_bytes FROM documents WHERE id = $1 AND submission_id IS NOT NULL',
        [data.evidence.letter],
      );
      assert.deepEqual(rows[0], { filename: 'scan of letter.pdf', size_bytes: samplePdf.length });
      assert.equal((await counts())?.linked, (before?.linked ?? 0) + 1);
    });

    it('names a file without a name by its question and its type', async () => {
      const sent = await submit(dataUrl(samplePdf, 'application/pdf'));
      assert.equal(sent.status, 201, await sent.clone().text());
      const { rows } = await app.running.db.query<{ filename: string }>(
        'SELECT filename FROM documents ORDER BY created_at DESC LIMIT 1',
      );
      assert.equal(rows[0]?.filename, 'letter.pdf');
    });

    it('refuses a file the question does not accept, naming the field, and stores nothing', async () => {
      const before = await counts();
      const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
      const disguised = await submit(dataUrl(html, 'application/pdf', 'letter.pdf'));
      assert.match(await refusedNaming(disguised, '/evidence/letter'), /must be a PDF/);
      assert.deepEqual(await counts(), before);
    });
  });
});
