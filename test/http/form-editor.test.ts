import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';

const adminEmail = 'forms.admin@example.gov.uk';
const personEmail = 'sam.applicant@example.gov.uk';
const formPath = '/admin/forms/pet-licence';

/** The questions the structured editor lists, as `title (type · required)`. */
function questionsOf(page: Page): string[] {
  return page
    .$('main .govuk-summary-list__row')
    .map((_index, row) => page.$(row).find('dt').text().trim())
    .get();
}

describe('The form editor over HTTP', function () {
  this.timeout(240_000);
  let app: TestApp;
  let admin: WebClient;

  const count = async (table: string) =>
    Number(
      (await app.running.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n,
    );
  const audit = async (action: string) =>
    (
      await app.running.db.query<{ actor_id: string; details: Record<string, unknown> }>(
        `SELECT actor_id, details FROM audit_events WHERE action = $1 AND subject_id = 'pet-licence' ORDER BY id`,
        [action],
      )
    ).rows;
  const draftJson = async () =>
    (
      await app.running.db.query<{ definition: Record<string, unknown> }>(
        `SELECT definition FROM form_versions WHERE form_id = 'pet-licence' AND version = 'draft'`,
      )
    ).rows[0]?.definition;

  before(async () => {
    app = await startTestApp({
      formsDir: 'test/fixtures/editor-forms',
      env: { WORKFLOWS_DIR: 'test/fixtures/editor-workflows' },
    });
    await app.addUser(adminEmail, 'form-administrator');
    admin = await app.signedIn(adminEmail, '/admin/forms');
  });
  after(async () => {
    await app.stop();
  });

  describe('who may use it', () => {
    it('sends a person who is not signed in to sign in', async () => {
      const page = await app.client().get('/admin/forms');
      assert.match(new URL(page.url).pathname, /^\/sign-in/);
    });

    it('refuses a signed-in person who is not a form administrator', async () => {
      const person = await app.signedIn(personEmail);
      for (const path of ['/admin/forms', formPath, '/admin/workflows', `${formPath}/draft`]) {
        assert.equal((await person.get(path)).status, 403, path);
      }
      const refused = await person.post(`${formPath}/draft`, {});
      assert.equal(refused.status, 403);
      assert.equal(await draftJson(), undefined);
    });
  });

  describe('the list of forms and versions', () => {
    it('lists the form loaded from the forms folder as version 1, published', async () => {
      const list = await admin.get('/admin/forms');
      assert.equal(list.status, 200);
      assert.match(list.$('#forms').text(), /Apply for a pet licence\s+Version 1 published/);
      const form = await admin.get(formPath);
      assert.match(form.$('#versions').text(), /Version 1\s+Published/);
    });

    it('exports a version as a definition file', async () => {
      const file = await admin.download(`${formPath}/versions/1/export`);
      assert.equal(file.status, 200);
      assert.match(
        file.headers.get('content-disposition') ?? '',
        /^attachment; filename="?pet-licence-version-1\.json"?$/,
      );
      const definition = JSON.parse(file.bytes.toString('utf8')) as { id: string; version: string };
      assert.equal(definition.id, 'pet-licence');
      assert.equal(definition.version, '1');
    });

    it('answers 404 for a version that does not exist, and for a malformed one', async () => {
      assert.equal((await admin.get(`${formPath}/versions/9/export`)).status, 404);
      assert.equal((await admin.get(`${formPath}/versions/x'1/export`)).status, 404);
      assert.equal((await admin.get('/admin/forms/no-such-form')).status, 404);
    });
  });

  describe('editing a draft as JSON', () => {
    before(async () => {
      const page = await admin.post(`${formPath}/draft`, {});
      assert.equal(new URL(page.url).pathname, `${formPath}/draft`);
    });

    it('refuses text that is not JSON, with its line and column, and keeps what was typed', async () => {
      const before = await draftJson();
      await admin.get(`${formPath}/draft/json`);
      const text = '{\n  "id": "pet-licence",\n  "title": "x"\n  "schema": {}\n}';
      const page = await admin.post(`${formPath}/draft/json`, { definition: text });
      assert.equal(page.status, 422);
      assert.match(errorSummary(page)[0] ?? '', /^Line 4, column 3: /);
      assert.equal(page.$('#definition').text(), text);
      assert.deepEqual(await draftJson(), before);
    });

    it('refuses a definition `forms check` refuses, pointing to the line and JSON pointer', async () => {
      const edit = await admin.get(`${formPath}/draft/json`);
      const text = edit.$('#definition').text().replace('"type": "boolean"', '"type": "boolen"');
      const page = await admin.post(`${formPath}/draft/json`, { definition: text });
      assert.equal(page.status, 422);
      const line = text.split('\n').findIndex((row) => row.includes('"boolen"')) + 1;
      const hasPetLine = text.split('\n').findIndex((row) => row.includes('"hasPet": {')) + 1;
      assert.ok(
        errorSummary(page).some((error) =>
          new RegExp(
            `^Line (${String(line)}|${String(hasPetLine)}) \\(/schema/properties/hasPet(/type)?\\): `,
          ).test(error),
        ),
        errorSummary(page).join('\n'),
      );
    });

    it('refuses changing the form id', async () => {
      const edit = await admin.get(`${formPath}/draft/json`);
      const text = edit
        .$('#definition')
        .text()
        .replace('"id": "pet-licence"', '"id": "other-form"');
      const page = await admin.post(`${formPath}/draft/json`, { definition: text });
      assert.equal(page.status, 422);
      assert.match(errorSummary(page).join(), /Line 2 \(\/id\): must stay "pet-licence"/);
    });

    it('saves a valid definition and audits who changed what', async () => {
      const edit = await admin.get(`${formPath}/draft/json`);
      const text = edit.$('#definition').text().replace('"Full name"', '"Your full name"');
      const page = await admin.post(`${formPath}/draft/json`, { definition: text });
      assert.equal(page.status, 200);
      assert.match(page.$('.govuk-notification-banner').text(), /The draft was saved/);
      const events = await audit('form.draft.edit');
      assert.equal(events.length, 1);
      assert.ok(events[0]?.actor_id);
      const questions = events.at(0)?.details.questions as { details: string[] }[] | undefined;
      assert.deepEqual(questions?.at(0)?.details, ['Title: "Full name" → "Your full name"']);
    });
  });

  describe('the structured editor', () => {
    it('adds a question shown only when another question has a value', async () => {
      const form = await admin.get(`${formPath}/draft/pages/your-pet/questions/new`);
      assert.equal(form.status, 200);
      const page = await admin.post(`${formPath}/draft/pages/your-pet/questions`, {
        title: 'What kind of pet is it?',
        hint: 'For example, dog or cat',
        type: 'choice',
        choices: 'dog | Dog\ncat | Cat\nOther',
        required: 'yes',
        conditionQuestion: 'hasPet',
        conditionValue: 'yes',
      });
      assert.equal(page.status, 200);
      assert.deepEqual(questionsOf(page), [
        'Your full name',
        'Email address',
        'Do you have a pet?',
        "Pet's name",
        'What kind of pet is it?',
      ]);
      assert.match(page.$('main').text(), /Shown when “Do you have a pet\?” is yes/);
      const schema = (await draftJson())?.schema as { allOf: unknown[] };
      assert.deepEqual(schema.allOf, [
        {
          if: { properties: { hasPet: { const: true } }, required: ['hasPet'] },
          then: {
            properties: {
              whatKindOfPetIs: {
                type: 'string',
                oneOf: [
                  { const: 'dog', title: 'Dog' },
                  { const: 'cat', title: 'Cat' },
                  { const: 'other', title: 'Other' },
                ],
                title: 'What kind of pet is it?',
                description: 'For example, dog or cat',
              },
            },
            required: ['whatKindOfPetIs'],
          },
        },
      ]);
    });

    it('says what is missing and changes nothing when a question has no title or a bad value', async () => {
      const before = await draftJson();
      const blank = await admin.post(`${formPath}/draft/pages/your-pet/questions`, {
        title: '',
        type: 'text',
      });
      assert.equal(blank.status, 422);
      assert.deepEqual(errorSummary(blank), ['Enter the question']);
      assert.equal(blank.$('.govuk-error-summary a').attr('href'), '#title');
      const badValue = await admin.post(`${formPath}/draft/pages/your-pet/questions`, {
        title: 'Why not?',
        type: 'text',
        conditionQuestion: 'hasPet',
        conditionValue: 'perhaps',
      });
      assert.equal(badValue.status, 422);
      assert.deepEqual(errorSummary(badValue), ['Enter yes or no as the value']);
      assert.deepEqual(await draftJson(), before);
    });

    it('refuses to remove a question another question depends on', async () => {
      const page = await admin.post(`${formPath}/draft/question/remove`, { at: '/hasPet' });
      assert.equal(page.status, 422);
      assert.match(
        errorSummary(page)[0] ?? '',
        /"What kind of pet is it\?" is shown depending on this question/,
      );
    });

    it('changes a question: title, hint, required', async () => {
      const edit = await admin.get(
        `${formPath}/draft/question?at=${encodeURIComponent('/petName')}`,
      );
      assert.equal(edit.$('#title').attr('value'), "Pet's name");
      const page = await admin.post(
        `${formPath}/draft/question?at=${encodeURIComponent('/petName')}`,
        {
          title: 'What is your pet called?',
          hint: 'As on its vaccination card',
          type: 'text',
          required: 'yes',
        },
      );
      assert.equal(page.status, 200);
      const definition = (await draftJson()) as {
        schema: { properties: { petName: Record<string, unknown> }; required: string[] };
      };
      assert.equal(definition.schema.properties.petName.title, 'What is your pet called?');
      assert.equal(definition.schema.properties.petName.maxLength, 100);
      assert.ok(definition.schema.required.includes('petName'));
    });

    it('reorders questions and pages, adds and removes a page', async () => {
      await admin.post(`${formPath}/draft/question/move`, { at: '/email', direction: 'up' });
      let page = await admin.get(`${formPath}/draft`);
      assert.deepEqual(questionsOf(page).slice(0, 2), ['Email address', 'Your full name']);
      page = await admin.post(`${formPath}/draft/pages`, {
        pageTitle: 'Declaration',
        questionTitle: 'I confirm the answers are true',
        questionType: 'yes-no',
      });
      assert.deepEqual(
        page
          .$('main h2.govuk-heading-m')
          .map((_i, el) => page.$(el).text())
          .get(),
        ['About you', 'Your pet', 'Declaration'],
      );
      page = await admin.post(`${formPath}/draft/pages/declaration/move`, { direction: 'up' });
      assert.deepEqual(
        page
          .$('main h2.govuk-heading-m')
          .map((_i, el) => page.$(el).text())
          .get(),
        ['About you', 'Declaration', 'Your pet'],
      );
      page = await admin.post(`${formPath}/draft/pages/declaration/remove`, {});
      assert.deepEqual(
        page
          .$('main h2.govuk-heading-m')
          .map((_i, el) => page.$(el).text())
          .get(),
        ['About you', 'Your pet'],
      );
      await admin.post(`${formPath}/draft/question/move`, { at: '/email', direction: 'down' });
      const changes = (await audit('form.draft.edit')).map((event) => event.details.change);
      assert.deepEqual(changes.slice(-6), [
        'question.change',
        'question.move-up',
        'page.add',
        'page.move-up',
        'page.remove',
        'question.move-down',
      ]);
    });
  });

  describe('previewing the draft', () => {
    it('shows the page as a person sees it, with the error summary for a blank Continue, and stores nothing', async () => {
      const drafts = await count('drafts');
      const submissions = await count('submissions');
      let page = await admin.get(`${formPath}/draft/preview`);
      assert.equal(new URL(page.url).pathname, `${formPath}/draft/preview/about-you`);
      assert.match(page.$('.govuk-notification-banner').text(), /This is a preview/);
      page = await admin.submit(page, {});
      assert.equal(page.status, 422);
      assert.equal(errorSummary(page).length, 2, errorSummary(page).join());
      page = await admin.submit(page, { fullName: 'Alex Example', email: 'alex@example.org' });
      assert.equal(new URL(page.url).pathname, `${formPath}/draft/preview/your-pet`);
      // the conditional question is revealed under "Yes"
      assert.equal(page.$('input[name="whatKindOfPetIs"]').length, 3);
      page = await admin.submit(page, { hasPet: 'true', petName: 'Rex' });
      // without JavaScript the follow-up is asked once its answer is sent, as for everyone
      assert.match(
        page.$('.govuk-notification-banner').text(),
        /Answer the questions that now appear/,
      );
      page = await admin.submit(page, { hasPet: 'true', petName: 'Rex' });
      assert.equal(page.status, 422);
      assert.match(errorSummary(page)[0] ?? '', /kind of pet/i);
      page = await admin.submit(page, { hasPet: 'true', petName: 'Rex', whatKindOfPetIs: 'dog' });
      assert.deepEqual(errorSummary(page), []);
      assert.equal(new URL(page.url).pathname, `${formPath}/draft/preview/check-answers`);
      assert.match(page.$('main').text(), /Dog/);
      assert.equal(await count('drafts'), drafts);
      assert.equal(await count('submissions'), submissions);
    });
  });

  describe('comparing versions', () => {
    it('lists the draft’s changes by question', async () => {
      const page = await admin.get(`${formPath}/compare?from=1&to=draft`);
      assert.equal(page.status, 200);
      const text = page
        .$('#diff li, #diff dt, #diff .govuk-tag')
        .map((_i, el) => page.$(el).text().trim())
        .get()
        .join(' ');
      assert.match(
        text,
        /What kind of pet is it\? Added Type: One choice from a list Required shown when hasPet is true/,
      );
      assert.match(text, /Your full name Changed Title: "Full name" → "Your full name"/);
      assert.match(
        text,
        /What is your pet called\? Changed Title: "Pet's name" → "What is your pet called\?" Hint: "" → "As on its vaccination card" Now required/,
      );
    });
  });

  describe('publishing', () => {
    let inFlight: WebClient;
    let inFlightDraft: string;

    before(async () => {
      // someone begins the form on version 1 before the new version is published
      inFlight = await app.signedIn(personEmail, '/forms/pet-licence');
      const page = await inFlight.post('/forms/pet-licence/start', {});
      inFlightDraft = new URL(page.url).pathname.split('/')[3] ?? '';
      await inFlight.submit(page, { fullName: 'Sam Applicant', email: personEmail });
    });

    it('refuses a change that removes a field a workflow step reads, saying which', async () => {
      const edit = await admin.get(`${formPath}/draft/json`);
      const original = edit.$('#definition').text();
      const definition = JSON.parse(original) as {
        schema: { properties: Record<string, Record<string, unknown>> };
      };
      definition.schema.properties.email = { type: 'integer', title: 'Email address' };
      const retyped = JSON.stringify(definition, null, 2);
      assert.notEqual(retyped, original);
      await admin.post(`${formPath}/draft/json`, { definition: retyped });
      let page = await admin.get(`${formPath}/draft/publish`);
      assert.match(
        page.$('#reasons').text(),
        /The workflow "pet-licence" step "acknowledge" reads \/email, which this version changes from string to integer/,
      );
      page = await admin.post(`${formPath}/draft/publish`, {});
      assert.equal(page.status, 422);
      assert.match(errorSummary(page)[0] ?? '', /reads \/email, which this version changes/);
      // and removed
      await admin.post(`${formPath}/draft/json`, { definition: original });
      await admin.post(`${formPath}/draft/question/remove`, { at: '/email' });
      page = await admin.post(`${formPath}/draft/publish`, {});
      assert.equal(page.status, 422);
      assert.match(
        errorSummary(page)[0] ?? '',
        /The workflow "pet-licence" step "acknowledge" reads \/email, which this version removes/,
      );
      assert.equal((await audit('form.publish')).length, 0);
      await admin.post(`${formPath}/draft/json`, { definition: original });
    });

    it('publishes the draft as version 2, served to new people, audited', async () => {
      const page = await admin.post(`${formPath}/draft/publish`, {});
      assert.equal(page.status, 200);
      assert.match(page.$('.govuk-notification-banner').text(), /Version 2 is published/);
      assert.match(page.$('#versions').text(), /Version 2\s+Published/);
      assert.match(page.$('#versions').text(), /Version 1\s+Archived/);
      const events = await audit('form.publish');
      assert.equal(events.length, 1);
      assert.equal(events[0]?.details.number, 2);
      const person = await app.signedIn('new.person@example.gov.uk', '/forms/pet-licence');
      let form = await person.post('/forms/pet-licence/start', {});
      form = await person.submit(form, {
        fullName: 'New Person',
        email: 'new.person@example.gov.uk',
      });
      assert.match(form.$('main').text(), /What kind of pet is it\?/);
    });

    it('lets a draft begun on version 1 finish on version 1', async () => {
      let page = await inFlight.get(`/forms/pet-licence/${inFlightDraft}/your-pet`);
      assert.doesNotMatch(page.$('main').text(), /What kind of pet is it\?/);
      assert.match(page.$('main').text(), /Pet's name/);
      page = await inFlight.submit(page, { hasPet: 'false' });
      page = await inFlight.submit(page, {});
      assert.equal(page.$('.govuk-panel--confirmation').length, 1, page.$('main').text());
      const { rows } = await app.running.db.query<{ number: number }>(
        `SELECT v.number FROM submissions s JOIN form_versions v
           ON v.form_id = s.form_id AND v.version = s.form_version WHERE s.form_id = 'pet-licence'`,
      );
      assert.deepEqual(
        rows.map((row) => row.number),
        [1],
      );
    });

    it('rolls back to version 1, publishing it again, audited', async () => {
      await admin.get(formPath);
      const page = await admin.post(`${formPath}/versions/1/rollback`, {});
      assert.match(page.$('.govuk-notification-banner').text(), /Version 1 is published again/);
      assert.match(page.$('#versions').text(), /Version 1\s+Published/);
      const events = await audit('form.rollback');
      assert.deepEqual([events[0]?.details.from, events[0]?.details.to], [2, 1]);
      const person = await app.signedIn('third.person@example.gov.uk', '/forms/pet-licence');
      let form = await person.post('/forms/pet-licence/start', {});
      assert.match(form.$('main').text(), /Full name/);
      form = await person.submit(form, {
        fullName: 'Third Person',
        email: 'third.person@example.gov.uk',
      });
      assert.doesNotMatch(form.$('main').text(), /What kind of pet is it\?/);
    });
  });

  describe('importing a definition file', () => {
    const upload = (name: string, content: string) => {
      const body = new FormData();
      body.append('file', new Blob([content], { type: 'application/json' }), name);
      return admin.postMultipart('/admin/forms/import', body);
    };

    it('refuses a file that is not JSON, or not a valid definition, changing nothing', async () => {
      await admin.get('/admin/forms');
      const drafts = await app.running.db.query(
        `SELECT 1 FROM form_versions WHERE version = 'draft'`,
      );
      let page = await upload('form.json', '{ "id": ');
      assert.equal(page.status, 422);
      assert.match(errorSummary(page)[0] ?? '', /^The file is not valid JSON: line 1/);
      await admin.get('/admin/forms');
      page = await upload('form.json', '{\n  "id": "imported-form",\n  "title": "Imported"\n}');
      assert.equal(page.status, 422);
      assert.match(errorSummary(page).join(), /Line 1 \(\/\): must have "schema"/);
      await admin.get('/admin/forms');
      page = await upload('form.txt', '{}');
      assert.equal(page.status, 422);
      assert.deepEqual(errorSummary(page), ['The selected file must be a .json file']);
      const after = await app.running.db.query(
        `SELECT 1 FROM form_versions WHERE version = 'draft'`,
      );
      assert.equal(after.rows.length, drafts.rows.length);
    });

    it('imports a file as the draft of the form it names', async () => {
      await admin.get('/admin/forms');
      const exported = await admin.download(`${formPath}/versions/2/export`);
      const page = await upload('pet-licence.json', exported.bytes.toString('utf8'));
      assert.equal(page.status, 200);
      assert.equal(new URL(page.url).pathname, `${formPath}/draft`);
      assert.ok(questionsOf(page).includes('What kind of pet is it?'));
      assert.equal((await audit('form.import')).length, 1);
    });
  });

  describe('bad input', () => {
    it('answers a clear 4xx and changes nothing', async () => {
      await admin.get(`${formPath}/draft`);
      const before = await draftJson();
      const cases: [string, Record<string, string>, number][] = [
        [`${formPath}/draft/question/remove`, { at: '/nope' }, 422],
        [`${formPath}/draft/question/move`, { at: '', direction: 'sideways' }, 422],
        [`${formPath}/draft/pages/nope/remove`, {}, 422],
        [`${formPath}/draft/pages/nope/questions`, { title: 'Q', type: 'text' }, 422],
        [`${formPath}/draft/question?at=%2Fnope`, { title: 'Q', type: 'text' }, 422],
        [`${formPath}/draft/pages/your-pet/questions`, { title: 'Q', type: 'spreadsheet' }, 422],
        ['/admin/forms/no-such-form/draft/json', { definition: '{}' }, 404],
        ['/admin/forms/no-such-form/draft/publish', {}, 404],
        [`${formPath}/versions/99/rollback`, {}, 404],
      ];
      for (const [path, fields, status] of cases) {
        const page = await admin.post(path, fields);
        assert.equal(page.status, status, path);
        assert.doesNotMatch(page.html, /at .*\.ts:\d+/, path);
      }
      assert.equal((await admin.get(`${formPath}/compare?from=abc&to=1`)).status, 404);
      assert.equal((await admin.get(`${formPath}/draft/question?at=%2Fnope`)).status, 404);
      assert.equal((await admin.get('/admin/forms/no-such-form/draft/preview')).status, 404);
      assert.deepEqual(await draftJson(), before);
    });
  });

  describe('a draft with no change', () => {
    it('is not published as a new version', async () => {
      await admin.get(`${formPath}/draft`);
      await admin.post(`${formPath}/draft/discard`, {});
      await admin.post(`${formPath}/draft`, {});
      const page = await admin.post(`${formPath}/draft/publish`, {});
      assert.equal(page.status, 422);
      assert.deepEqual(errorSummary(page), [
        'The draft is the same as the published version: there is nothing to publish',
      ]);
      assert.equal((await audit('form.draft.discard')).length, 1);
    });
  });

  describe('workflow definitions', () => {
    it('shows the workflow, checked, with its versions', async () => {
      const page = await admin.get('/admin/workflows/pet-licence');
      assert.equal(page.status, 200);
      assert.match(page.$('#check').text(), /passes every check/);
      assert.match(page.$('#versions').text(), /Version 1\s+Published/);
    });

    it('refuses a draft whose step reads a field the form does not have, with its line', async () => {
      await admin.post('/admin/workflows/pet-licence/draft/new', {});
      const edit = await admin.get('/admin/workflows/pet-licence/draft');
      const text = edit.$('#definition').text().replace('"to": "/email"', '"to": "/emial"');
      const line = text.split('\n').findIndex((row) => row.includes('/emial')) + 1;
      const page = await admin.post('/admin/workflows/pet-licence/draft', {
        definition: text,
        _action: 'save',
      });
      assert.equal(page.status, 422, page.url + page.$('main').text().slice(0, 500));
      assert.match(
        errorSummary(page)[0] ?? '',
        new RegExp(
          `^Line ${String(line)} \\(/steps/acknowledge/options/to\\): names "/emial", which is not a field`,
        ),
      );
    });

    it('publishes a checked draft as version 2 and rolls back to version 1', async () => {
      const edit = await admin.get('/admin/workflows/pet-licence/draft');
      const text = edit
        .$('#definition')
        .text()
        .replace('"Acknowledge the application"', '"Say we have it"');
      let page = await admin.post('/admin/workflows/pet-licence/draft', {
        definition: text,
        _action: 'publish',
      });
      assert.match(page.$('.govuk-notification-banner').text(), /Version 2 is published/);
      const published = await app.running.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'workflow.publish'`,
      );
      assert.equal(published.rows[0]?.n, 1);
      page = await admin.post('/admin/workflows/pet-licence/versions/1/rollback', {});
      assert.match(page.$('#versions').text(), /Version 1\s+Published/);
    });
  });
});
