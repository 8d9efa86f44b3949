import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadForms } from '../../src/forms/load-forms.js';
import type { FormModel } from '../../src/forms/form-model.js';
import { completeForm, pageIdOf } from '../support/form-journey.js';
import { publicFixture } from '../support/journey-forms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const formId = 'public-enquiry';

describe('A public form with sections', function () {
  this.timeout(90_000);
  let app: TestApp;
  let form: FormModel;
  let dir: string;

  before(async () => {
    // the public fixture, its pages grouped into two sections
    const definition = JSON.parse(await readFile(publicFixture, 'utf8')) as {
      pages: { id: string }[];
      sections?: unknown;
    };
    const pages = definition.pages.map((page) => page.id);
    definition.sections = [
      { id: 'about-you', title: 'About you', pages: pages.slice(0, 1) },
      { id: 'your-question', title: 'Your question', pages: pages.slice(1) },
    ];
    dir = await mkdtemp(join(tmpdir(), 'formwork-public-sections-'));
    await writeFile(join(dir, `${formId}.json`), JSON.stringify(definition));
    form = (await loadForms(dir)).get(formId)!;
    assert.ok(form, 'the definition with sections is accepted');
    app = await startTestApp({
      formsDir: dir,
      env: { WORKFLOWS_DIR: 'test/fixtures/no-workflows' },
    });
  });
  after(async () => {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens its task list to an anonymous person from the start page, before any draft', async () => {
    const client = app.client();
    const start = await client.get(`/forms/${formId}`);
    assert.equal(start.status, 200);
    const taskList = await client.submit(start);
    assert.equal(taskList.status, 200);
    assert.equal(pageIdOf(taskList), 'task-list');
    assert.equal(taskList.$('ul.govuk-task-list').length, 1);
    const links = taskList.$('a.govuk-task-list__link').toArray();
    assert.ok(links.length > 0, 'a section to start');
    const first = await client.get(taskList.$(links[0]).attr('href')!);
    assert.equal(first.status, 200);
    assert.equal(first.$('.govuk-back-link').attr('href'), new URL(taskList.url).pathname);
  });

  it('is sent end to end through its task list, and shows the reference', async () => {
    const client = app.client();
    await client.get(`/forms/${formId}`);
    const { confirmation, visited } = await completeForm(client, form, form.examples()[0]!);
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.$('.govuk-panel--confirmation').text(), /ENQ-\d{4}-\d{5}/);
    assert.ok(visited.length > 0);
  });

  it('answers a task list of no draft, or of someone else\u2019s, as not found, never a dead end', async () => {
    const owner = app.client();
    await owner.get(`/forms/${formId}`);
    const taskList = await owner.post(`/forms/${formId}/start`, {});
    const stranger = app.client();
    await stranger.get(`/forms/${formId}`);
    const theirs = await stranger.get(new URL(taskList.url).pathname);
    assert.equal(theirs.status, 404);
    assert.ok(theirs.$(`a[href="/forms/${formId}"]`).length > 0 || theirs.$('main a').length > 0);
    const none = await stranger.get(
      `/forms/${formId}/00000000-0000-4000-8000-000000000000/task-list`,
    );
    assert.equal(none.status, 404);
    const bad = await stranger.get(`/forms/${formId}/not-a-draft/task-list`);
    assert.equal(bad.status, 404);
  });
});
