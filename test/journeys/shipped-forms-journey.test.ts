import assert from 'node:assert/strict';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import type { FormModel } from '../../src/forms/form-model.js';
import { answerPage, completeForm, followTaskList, pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary } from '../support/web-client.js';
import { databaseFactories } from '../support/databases.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { journeyForms, makeJourneyFormsDir, type JourneyForm } from '../support/journey-forms.js';
import type { WebClient } from '../support/web-client.js';

/** Document answers are replaced by fresh uploads, so compare everything else. */
function withoutDocuments(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => {
      if (Array.isArray(item))
        return (item as unknown[]).filter(
          (entry) => !(typeof entry === 'string' && entry.startsWith('doc_')),
        );
      return typeof item === 'string' && item.startsWith('doc_') ? undefined : item;
    }),
  ) as unknown;
}

for (const database of databaseFactories.map((factory) => factory.name)) {
  describe(`The shipped forms and a public form, filled in over HTTP (${database})`, function () {
    this.timeout(60_000);
    let app: TestApp;
    let forms: FormRegistry;
    let postgres: TestPostgres | undefined;
    let people = 0;
    /** A different person each time, so the sign-in code rate limit never applies. */
    const nextEmail = () => `social.worker.${(people += 1)}@example.gov.uk`;
    /** A person at the form's start page: signed in for a signed-in form, anonymous otherwise. */
    const personFor = async (journeyForm: JourneyForm): Promise<WebClient> => {
      if (journeyForm.access === 'signed-in')
        return app.signedIn(nextEmail(), `/forms/${journeyForm.id}`);
      const client = app.client();
      await client.get(`/forms/${journeyForm.id}`);
      return client;
    };

    before(async () => {
      const formsDir = await makeJourneyFormsDir();
      forms = await loadForms(formsDir);
      if (database === 'postgres') postgres = await startTestPostgres();
      app = await startTestApp({ formsDir, ...(postgres ? { databaseUrl: postgres.url } : {}) });
    });
    after(async () => {
      await app.stop();
      await postgres?.stop();
    });

    for (const journeyForm of journeyForms) {
      const formId = journeyForm.id;
      describe(`${formId} (${journeyForm.access})`, () => {
        let form: FormModel;
        before(() => {
          form = forms.get(formId)!;
        });

        it('takes every example from start page to confirmation and stores the answers exactly', async () => {
          const client = await personFor(journeyForm);
          for (const example of form.examples()) {
            const { confirmation, visited } = await completeForm(client, form, example);
            // Each shown page once, in order; a page asking a question that a later answer
            // revealed (under 13 → approval) comes once more, straight before check your answers.
            const expectedPages = form.pagesShown(example).map((page) => page.id);
            // With a task list the page revealed by a later answer is asked as soon as the
            // list shows its section in progress again, so only the set of pages is fixed.
            if (form.definition.sections) {
              assert.deepEqual([...new Set(visited)].sort(), [...expectedPages].sort());
            } else {
              assert.deepEqual(visited.slice(0, expectedPages.length), expectedPages);
            }
            assert.ok(visited.length <= expectedPages.length + 1, visited.join(' → '));
            const panel = confirmation.$('.govuk-panel--confirmation');
            assert.equal(panel.length, 1);
            const reference = /[A-Z]{2,6}-\d{4}-\d{5}/.exec(panel.text())?.[0];
            assert.ok(reference, 'the confirmation panel shows a reference');
            assert.ok(
              reference.startsWith(
                `${form.definition.referencePrefix}-${new Date().getUTCFullYear()}-`,
              ),
            );

            const token = await app.apiToken();
            const response = await fetch(`${app.url}/api/v1/submissions/${reference}`, {
              headers: { authorization: `Bearer ${token}` },
            });
            assert.equal(response.status, 200);
            const stored = (await response.json()) as {
              workflow: { state: string };
              data: unknown;
              formId: string;
              formVersion: string;
              status: string;
            };
            // The referral starts its workflow; the census and the public form have none.
            assert.equal(
              stored.workflow.state === 'none',
              !journeyForm.hasWorkflow,
              stored.workflow.state,
            );
            assert.equal(stored.formId, formId);
            assert.equal(stored.formVersion, form.version);
            assert.deepEqual(
              withoutDocuments(stored.data),
              withoutDocuments(form.pruneHidden(example)),
            );
          }
        });

        it('shows every answer on check your answers, and a Change link comes back to it', async () => {
          const client = await personFor(journeyForm);
          const example = form.examples()[0]!;
          let page = await client.post(`/forms/${formId}/start`, {});
          while (!page.url.endsWith('/check-answers'))
            page = await answerPage(client, form, page, example);
          const rows = page.$('.govuk-summary-list__row');
          assert.ok(rows.length >= 5, 'several answers are summarised');
          for (const row of form.summary(form.pruneHidden(example)).flatMap((s) => s.rows))
            assert.match(page.$('.govuk-summary-list').text(), new RegExp(escapeRegExp(row.key)));
          const change = page.$('.govuk-summary-list__actions a').first().attr('href')!;
          assert.match(change, /\?return=check-answers/);
          const changePage = await client.get(change);
          assert.equal(changePage.status, 200);
          const back = await answerPage(client, form, changePage, example);
          assert.ok(back.url.endsWith('/check-answers'), `returned to ${back.url}`);
        });

        it('refuses an empty first page with an error summary linking to each field', async () => {
          const client = await personFor(journeyForm);
          const started = await client.post(`/forms/${formId}/start`, {});
          const first =
            pageIdOf(started) === 'task-list' ? await followTaskList(client, started) : started;
          const refused = await client.post(new URL(first.url).pathname, { _action: 'continue' });
          assert.equal(refused.status, 422);
          assert.equal(pageIdOf(refused), pageIdOf(first));
          const errors = errorSummary(refused);
          assert.ok(errors.length > 0);
          refused.$('.govuk-error-summary__list a').each((_index, link) => {
            const href = refused.$(link).attr('href')!;
            assert.equal(refused.$(href).length, 1, `${href} exists on the page`);
          });
          assert.match(refused.$('title').text(), /^Error: /);
        });
      });
    }

    for (const journeyForm of journeyForms.filter((candidate) => !candidate.hasWorkflow)) {
      it(`stores one submission of ${journeyForm.id} when check your answers is sent twice`, async () => {
        const form = forms.get(journeyForm.id)!;
        const client = await personFor(journeyForm);
        const example = form.examples()[0]!;
        let page = await client.post(`/forms/${journeyForm.id}/start`, {});
        while (!page.url.endsWith('/check-answers'))
          page = await answerPage(client, form, page, example);
        const action = new URL(page.url).pathname;
        const first = await client.post(action, {});
        const second = await client.post(action, {});
        const referenceOf = (html: string) => /[A-Z]{2,6}-\d{4}-\d{5}/.exec(html)?.[0];
        assert.ok(referenceOf(first.html));
        assert.equal(referenceOf(second.html), referenceOf(first.html));
        const { rows } = await app.running.db.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM submissions WHERE reference = $1`,
          [referenceOf(first.html)],
        );
        assert.equal(rows[0]?.count, 1);
      });
    }
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
