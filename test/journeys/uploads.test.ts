import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import pg from 'pg';
import { samplePdf } from '../support/form-journey.js';
import { officeFile } from '../support/office-files.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { fileHead, partHead, sendSlowly } from '../support/send-slowly.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';

/** The stored files of the document store (encrypted, one file per document). */
async function storedFileCount(dataDir: string): Promise<number> {
  const entries = await readdir(join(dataDir, 'dms'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.fwd')).length;
}

describe('File uploads on a public form', function () {
  this.timeout(120_000);
  let app: TestApp;
  let postgres: TestPostgres;
  let db: pg.Client;

  before(async () => {
    postgres = await startTestPostgres();
    app = await startTestApp({
      formsDir: 'test/fixtures/forms',
      databaseUrl: postgres.url,
      env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
    });
    db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
  });
  after(async () => {
    await db.end();
    await app.stop();
    await postgres.stop();
  });

  const startDraft = async (client: WebClient) => {
    await client.get('/forms/evidence-upload');
    const page = await client.post('/forms/evidence-upload/start', {});
    return new URL(page.url).pathname;
  };
  const draftIdOf = (path: string) => path.split('/')[3] ?? '';
  const documentsOf = async (draftId: string) =>
    (
      await db.query<{ id: string; filename: string; submission_id: string | null }>(
        'SELECT id, filename, submission_id FROM documents WHERE draft_id = $1 ORDER BY filename',
        [draftId],
      )
    ).rows;

  /** Posts the evidence page as a browser would: token first, the fields, then the files. */
  const postEvidence = (
    client: WebClient,
    path: string,
    files: { field: 'letter' | 'carePlan'; bytes: Uint8Array; filename: string }[],
    extra: [string, string][] = [],
  ) => {
    const body = new FormData();
    body.append('evidence.name', 'Sam Example');
    body.append('evidence.notes', 'Letter from the school, March');
    for (const [name, value] of extra) body.append(name, value);
    for (const file of files) {
      body.append(`evidence.${file.field}`, new Blob([file.bytes]), file.filename);
    }
    body.append('_action', 'continue');
    return client.postMultipart(path, body);
  };

  /** The current page's kept-file fields, as the browser would send them back. */
  const keptFields = (page: Page): [string, string][] =>
    page
      .$('input[type="hidden"][name$="._keep"]')
      .toArray()
      .map((input) => [page.$(input).attr('name') ?? '', page.$(input).attr('value') ?? '']);

  describe('the upload question', () => {
    it('names the allowed types and size limit in its hint and accept attribute', async () => {
      const client = app.client();
      const page = await client.get(await startDraft(client));
      const carePlan = page.$('#evidence-carePlan');
      assert.equal(carePlan.attr('type'), 'file');
      assert.equal(
        carePlan.attr('accept'),
        '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
      assert.equal(
        page.$('#evidence-carePlan-hint').text().trim(),
        'PDF or Word document, up to 10 MB',
      );
      assert.match(carePlan.attr('aria-describedby') ?? '', /evidence-carePlan-hint/);
    });
  });

  describe('when a file is uploaded, replaced and removed', () => {
    it('names the files on check your answers', async () => {
      const client = app.client();
      const path = await startDraft(client);
      const next = await postEvidence(client, path, [
        { field: 'letter', bytes: samplePdf, filename: 'school-letter.pdf' },
        { field: 'carePlan', bytes: officeFile('docx'), filename: 'care-plan.docx' },
      ]);
      assert.equal(next.status, 200);
      const contactPage = next;
      const checkAnswers = await client.submit(contactPage, {
        'contact.email': 'sam.example@example.org',
      });
      assert.ok(checkAnswers.url.endsWith('/check-answers'), checkAnswers.url);
      const summary = checkAnswers.$('.govuk-summary-list').text();
      assert.match(summary, /school-letter\.pdf/);
      assert.match(summary, /care-plan\.docx/);
      assert.doesNotMatch(summary, /file uploaded/);
    });

    it('deletes a replaced file, row and stored bytes, when it is replaced', async () => {
      const client = app.client();
      const path = await startDraft(client);
      await postEvidence(client, path, [
        { field: 'letter', bytes: samplePdf, filename: 'first-letter.pdf' },
      ]);
      const [first] = await documentsOf(draftIdOf(path));
      assert.equal(first?.filename, 'first-letter.pdf');
      const stored = await storedFileCount(app.dataDir);

      const back = await client.get(path);
      await postEvidence(
        client,
        path,
        [{ field: 'letter', bytes: samplePdf, filename: 'second-letter.pdf' }],
        keptFields(back),
      );
      assert.deepEqual(
        (await documentsOf(draftIdOf(path))).map((row) => row.filename),
        ['second-letter.pdf'],
      );
      assert.equal(await storedFileCount(app.dataDir), stored, 'one file in, one file out');
      const page = await client.get(path);
      assert.match(page.html, /second-letter\.pdf/);
      assert.doesNotMatch(page.html, /first-letter\.pdf/);
    });

    it('deletes a removed file when it is removed, and never links it to the submission', async () => {
      // Anonymous, as anyone filling in a public form is.
      const client = app.client();
      const path = await startDraft(client);
      await postEvidence(client, path, [
        { field: 'letter', bytes: samplePdf, filename: 'letter.pdf' },
        { field: 'carePlan', bytes: samplePdf, filename: 'old-care-plan.pdf' },
      ]);
      const rows = await documentsOf(draftIdOf(path));
      const removed = rows.find((row) => row.filename === 'old-care-plan.pdf')!;
      const stored = await storedFileCount(app.dataDir);

      const back = await client.get(path);
      const contact = await postEvidence(
        client,
        path,
        [],
        [...keptFields(back), ['evidence.carePlan._remove', removed.id]],
      );
      assert.deepEqual(
        (await documentsOf(draftIdOf(path))).map((row) => row.filename),
        ['letter.pdf'],
      );
      assert.equal(await storedFileCount(app.dataDir), stored - 1);

      const checkAnswers = await client.submit(contact, {
        'contact.email': 'sam.example@example.org',
      });
      assert.doesNotMatch(checkAnswers.html, /old-care-plan\.pdf/);
      const confirmation = await client.submit(checkAnswers, {}, 'send');
      const reference = /EVD-\d{4}-\d{5}/.exec(confirmation.html)?.[0];
      assert.ok(reference, 'the confirmation shows a reference');
      const linked = await db.query<{ filename: string }>(
        `SELECT d.filename FROM documents d JOIN submissions s ON s.id = d.submission_id
         WHERE s.reference = $1`,
        [reference],
      );
      assert.deepEqual(
        linked.rows.map((row) => row.filename),
        ['letter.pdf'],
      );
      const token = await app.apiToken();
      const stored2 = (await (
        await fetch(`${app.url}/api/v1/submissions/${reference}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { data: { evidence: Record<string, unknown> } };
      assert.equal(stored2.data.evidence.carePlan, undefined);
      assert.equal(
        stored2.data.evidence.letter,
        rows.find((row) => row.filename === 'letter.pdf')?.id,
      );
    });
  });

  describe('when a file is refused', () => {
    const cases: {
      what: string;
      field: 'letter' | 'carePlan';
      bytes: Uint8Array;
      filename: string;
      message: string;
    }[] = [
      {
        what: 'an HTML page renamed .pdf',
        field: 'letter',
        bytes: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
        filename: 'letter.pdf',
        message: 'The selected file must be a PDF',
      },
      {
        what: 'a text file renamed .docx',
        field: 'carePlan',
        bytes: Buffer.from('Care plan notes\n'),
        filename: 'care-plan.docx',
        message: 'The selected file must be a PDF or Word document',
      },
      {
        what: 'a zip that is not an Office document, renamed .docx',
        field: 'carePlan',
        bytes: zipSync({ 'notes.txt': strToU8('hello'), 'word/x.txt': strToU8('x') }),
        filename: 'care-plan.docx',
        message: 'The selected file must be a PDF or Word document',
      },
      {
        what: 'an SVG image for a PDF or Word question',
        field: 'carePlan',
        bytes: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        filename: 'care-plan.svg',
        message: 'The selected file must be a PDF or Word document',
      },
      {
        what: 'a real Word document for a PDF-only question',
        field: 'letter',
        bytes: officeFile('docx'),
        filename: 'letter.docx',
        message: 'The selected file must be a PDF',
      },
      {
        what: 'an empty file',
        field: 'letter',
        bytes: new Uint8Array(0),
        filename: 'letter.pdf',
        message: 'The selected file is empty',
      },
      {
        what: 'a file over the size limit',
        field: 'carePlan',
        bytes: Buffer.concat([samplePdf, Buffer.alloc(11 * 1024 * 1024, 0x20)]),
        filename: 'care-plan.pdf',
        message: 'The selected file must be smaller than 10 MB',
      },
    ];
    for (const refused of cases) {
      it(`refuses ${refused.what} on the page, keeping every other answer`, async () => {
        const client = app.client();
        const path = await startDraft(client);
        const files = [{ field: refused.field, bytes: refused.bytes, filename: refused.filename }];
        if (refused.field === 'carePlan') {
          files.unshift({ field: 'letter', bytes: samplePdf, filename: 'good-letter.pdf' });
        }
        const page = await postEvidence(client, path, files);
        assert.equal(page.status, 422);
        assert.ok(new URL(page.url).pathname === path, 'the same question page');
        assert.deepEqual(errorSummary(page), [refused.message]);
        const href = page.$('.govuk-error-summary__list a').attr('href')!;
        assert.equal(href, `#evidence-${refused.field}`);
        assert.equal(page.$(href).attr('type'), 'file');
        assert.match(
          page.$(`#evidence-${refused.field}-error`).text(),
          new RegExp(refused.message),
        );
        assert.equal(page.$('#evidence-name').attr('value'), 'Sam Example');
        assert.equal(
          page.$('#evidence-notes').attr('value') ?? page.$('#evidence-notes').text(),
          'Letter from the school, March',
        );
        if (refused.field === 'carePlan') assert.match(page.html, /good-letter\.pdf/);
        assert.doesNotMatch(page.html, new RegExp(refused.filename.replace('.', '\\.')));
        const kept = await documentsOf(draftIdOf(path));
        assert.deepEqual(
          kept.map((row) => row.filename),
          refused.field === 'carePlan' ? ['good-letter.pdf'] : [],
        );
      });
    }
  });

  describe('when multipart arrives where it should not', () => {
    it('refuses a multipart post to a page without a file question with 415', async () => {
      const client = app.client();
      const path = await startDraft(client);
      const contact = path.replace(/\/[^/]+$/, '/contact');
      const body = new FormData();
      body.append('contact.email', 'sam.example@example.org');
      body.append('sneaky', new Blob([samplePdf]), 'letter.pdf');
      const refused = await client.postMultipart(contact, body);
      assert.equal(refused.status, 415);
    });

    it('refuses an anonymous 100 MiB multipart body before reading it', async () => {
      const client = app.client();
      const path = await startDraft(client);
      for (const chunked of [false, true]) {
        const result = await sendSlowly({
          url: app.url,
          path,
          head: Buffer.from(fileHead('evidence.letter', 'letter.pdf')),
          totalBytes: 100 * 1024 * 1024,
          chunked,
        });
        assert.ok([403, 413].includes(result.status), String(result.status));
        assert.ok(result.written < 4 * 1024 * 1024, `${String(result.written)} bytes were read`);
      }
      assert.deepEqual(await documentsOf(draftIdOf(path)), []);
    });

    it('refuses a forged CSRF token before reading the file after it', async () => {
      const client = app.client();
      const path = await startDraft(client);
      const result = await sendSlowly({
        url: app.url,
        path,
        cookie: client.cookieHeader(),
        head: Buffer.from(partHead('_csrf', 'forged') + fileHead('evidence.letter', 'letter.pdf')),
        totalBytes: 100 * 1024 * 1024,
        chunked: true,
      });
      assert.equal(result.status, 403);
      assert.ok(result.written < 4 * 1024 * 1024, `${String(result.written)} bytes were read`);
      assert.deepEqual(await documentsOf(draftIdOf(path)), []);
    });
  });

  it("attaches nothing when a person posts another draft's document id", async () => {
    const owner = app.client();
    const ownerPath = await startDraft(owner);
    await postEvidence(owner, ownerPath, [
      { field: 'letter', bytes: samplePdf, filename: 'private.pdf' },
    ]);
    const ownerPage = await owner.get(ownerPath);
    const stolenId = ownerPage.$('input[name="evidence.letter._keep"]').attr('value');
    assert.ok(stolenId?.startsWith('doc_'), 'the owner page keeps the uploaded id');

    const stranger = app.client();
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
