import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import {
  checkForms,
  loadForms,
  type DefinitionProblem,
  type FormRegistry,
} from '../../src/forms/load-forms.js';
import { answerPage, pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorLinks, errorSummary, type Page, type WebClient } from '../support/web-client.js';

// CommonJS default exports seen through NodeNext ESM interop
const Ajv2020 = Ajv2020Module.default;
const AjvDraft07 = AjvModule.default;
const addFormats = formatsModule.default;

const corpusDir = 'test/fixtures/forms/corpus';
const files = readdirSync(corpusDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

interface CorpusForm {
  id: string;
  title: string;
  schema: Record<string, unknown> & { examples?: Record<string, unknown>[] };
}

/** The schema's own verdict: a fresh, plain Ajv (2020-12, or draft-07 when it says so). */
function judge(schema: Record<string, unknown>): (data: unknown) => boolean {
  const draft07 = typeof schema.$schema === 'string' && schema.$schema.includes('draft-07');
  // strict mode is Ajv's, not the standard's: a keyword of another draft is simply ignored
  const options = { logger: false, strict: false } as const;
  const ajv = draft07 ? new AjvDraft07(options) : new Ajv2020(options);
  addFormats(ajv);
  // not an ajv-formats format: a file question's answer, any string to the plain schema
  ajv.addFormat('data-url', true);
  const validate = ajv.compile(schema);
  return (data) => validate(data);
}

/** The example with one change at a time: what a careless or hostile integrator might send. */
function toMutations(example: Record<string, unknown>): [string, unknown][] {
  const mutations: [string, unknown][] = [
    ['an empty object', {}],
    ['an unknown property added', { ...example, zzNotAQuestion: 'x' }],
  ];
  for (const [key, value] of Object.entries(example)) {
    const without = Object.fromEntries(Object.entries(example).filter(([other]) => other !== key));
    mutations.push([`without ${key}`, without]);
    const wrong =
      typeof value === 'string' ? 12345 : typeof value === 'object' ? 'not an object' : 'text';
    mutations.push([`${key} of the wrong type`, { ...example, [key]: wrong }]);
  }
  return mutations;
}

/**
 * Where answers sent through the pages differ from the example, and why: everything else the
 * pages send is stored exactly as the example.
 */
const webDifferences: Record<string, (example: Record<string, unknown>) => unknown> = {
  // a read-only answer is the schema's default, whatever the example says
  'gallery-const-read-only.json': (example) => ({ ...example, createdBy: 'system' }),
  'gallery-widgets.json': (example) => ({ ...example, disabled: 'I am disabled.' }),
  // keys beyond the named questions at the top of a schema are taken only through the API
  'spec-additional-properties.json': ({ keyword: _keyword, ...asked }) => asked,
  // the pages ask a tuple's fixed positions; entries after them only through the API
  'builder-arrays.json': (example) => ({
    ...example,
    fixedItemsList: (example.fixedItemsList as unknown[]).slice(0, 2),
  }),
};

function hasPrimaryButton(page: Page): boolean {
  return (
    page.$('main form[method="post"] button.govuk-button:not(.govuk-button--secondary)').length > 0
  );
}

function questionCount(page: Page): number {
  return page.$(
    'main form[method="post"] input:not([type="hidden"]), main form[method="post"] select, main form[method="post"] textarea',
  ).length;
}

describe('The corpus of form definitions written without Formwork in mind', function () {
  this.timeout(600_000);
  let problems: DefinitionProblem[];
  let registry: FormRegistry;
  let app: TestApp;
  let client: WebClient;
  let token: string;
  let workflowsDir: string;

  before(async () => {
    problems = await checkForms(corpusDir);
    registry = await loadForms(corpusDir);
    // these forms have no workflows: an empty workflows directory
    workflowsDir = await mkdtemp(join(tmpdir(), 'formwork-corpus-workflows-'));
    // none of these forms names allowed domains, so the tester's domain is allowed for the service
    app = await startTestApp({
      formsDir: corpusDir,
      env: { WORKFLOWS_DIR: workflowsDir, SIGN_IN_EMAIL_DOMAINS: 'example.gov.uk' },
    });
    client = await app.signedIn('corpus.tester@example.gov.uk');
    token = await app.apiToken();
  });
  after(async () => {
    await app.stop();
    await rm(workflowsDir, { recursive: true, force: true });
  });

  const api = (path: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('holds at least 40 definitions', () => {
    assert.ok(files.length >= 40, `${String(files.length)} definitions`);
  });

  for (const file of files) {
    const definition = JSON.parse(readFileSync(join(corpusDir, file), 'utf8')) as CorpusForm;
    const example = definition.schema.examples?.[0] ?? {};

    describe(file, () => {
      const refusals = () => problems.filter((problem) => problem.file === file);

      it('is accepted by forms check, or refused naming the pointer and keyword in plain words', () => {
        for (const problem of refusals()) {
          assert.match(
            problem.pointer,
            /^\/(schema|id|referencePrefix|pages|ui)(\/|$)/,
            'a pointer',
          );
          const keyword = problem.pointer.split('/').at(-1) ?? '';
          assert.ok(
            problem.message.includes(keyword) || /^[$a-zA-Z]+$/.test(keyword),
            `names the keyword: ${problem.pointer} ${problem.message}`,
          );
          assert.doesNotMatch(problem.message, /strict\w*|allowUnionTypes|Ajv|ajv/);
          assert.match(problem.message, /: |write|use|name|declare|make/, 'says what to write');
        }
        assert.equal(registry.get(definition.id) === undefined, refusals().length > 0);
      });

      it('renders every page with a question and a button; a blank Continue moves on or links every error', async () => {
        if (refusals().length > 0) {
          const page = await client.get(`/forms/${definition.id}`);
          assert.equal(page.status, 404, 'a refused form is not available');
          return;
        }
        const form = registry.get(definition.id);
        assert.ok(form);
        await client.get(`/forms/${definition.id}`);
        let page = await client.post(`/forms/${definition.id}/start`, {});
        const visited: string[] = [];
        while (!new URL(page.url).pathname.endsWith('/check-answers')) {
          const pageId = pageIdOf(page);
          assert.ok(visited.length < 40, `the journey ends (at ${pageId})`);
          visited.push(pageId);
          assert.equal(page.status, 200, `page ${pageId} renders`);
          assert.ok(hasPrimaryButton(page), `page ${pageId} has a primary button`);
          assert.ok(questionCount(page) > 0, `page ${pageId} asks something`);
          const path = new URL(page.url).pathname;
          const blank = await client.post(path, [['_action', 'continue']]);
          if (blank.status === 422) {
            const links = errorLinks(blank);
            assert.ok(links.length > 0, `page ${pageId} shows an error summary`);
            for (const href of links) {
              assert.match(href, /^#./);
              assert.equal(blank.$(`[id="${href.slice(1)}"]`).length, 1, `${href} on ${pageId}`);
            }
          } else {
            assert.equal(blank.status, 200, `a blank ${pageId} moves on`);
            assert.notEqual(new URL(blank.url).pathname, path, `a blank ${pageId} moves on`);
          }
          const next = await answerPage(client, form, await client.get(path), example);
          assert.ok(
            next.status === 200 && new URL(next.url).pathname !== path,
            `page ${pageId} takes the example's answers: ${errorSummary(next).join('; ')}`,
          );
          page = next;
        }
        assert.equal(page.status, 200);
        assert.ok(page.$('.govuk-summary-list').length > 0, 'check your answers lists them');
        const sent = await client.submit(page, {}, 'send');
        const reference = sent.$('.govuk-panel__body strong').text().trim();
        const stored = (await (await api(`/api/v1/submissions/${reference}`)).json()) as {
          data: Record<string, unknown>;
        };
        assert.deepEqual(stored.data, webDifferences[file]?.(example) ?? example);
      });

      it('stores the example through the API and reads it back equal', async () => {
        const response = await api(`/api/v1/forms/${definition.id}/submissions`, example);
        if (refusals().length > 0) {
          assert.equal(response.status, 404, 'a refused form takes no submissions');
          return;
        }
        assert.equal(response.status, 201, JSON.stringify(await response.clone().json()));
        const { reference } = (await response.json()) as { reference: string };
        const stored = (await (await api(`/api/v1/submissions/${reference}`)).json()) as {
          data: unknown;
        };
        assert.deepEqual(stored.data, example);
      });

      it('answers 422 exactly when the schema says the data is invalid', async () => {
        if (refusals().length > 0) {
          const response = await api(`/api/v1/forms/${definition.id}/submissions`, {});
          assert.equal(response.status, 404);
          return;
        }
        const isValid = judge(definition.schema);
        for (const [name, data] of toMutations(example)) {
          const response = await api(`/api/v1/forms/${definition.id}/submissions`, data);
          assert.ok([201, 422].includes(response.status), `${name}: ${String(response.status)}`);
          if (response.status === 201 && name === 'an unknown property added') {
            // stored, but reported, unless the schema itself takes any other name
            const { notAsked } = (await response.json()) as { notAsked?: { path: string }[] };
            const takesAnyName = [
              'additionalProperties',
              'patternProperties',
              'unevaluatedProperties',
            ].some((keyword) => keyword in definition.schema);
            assert.deepEqual(
              notAsked?.map((entry) => entry.path),
              takesAnyName ? undefined : ['/zzNotAQuestion'],
            );
          }
          assert.equal(
            response.status === 422,
            !isValid(data),
            `${name}: answered ${String(response.status)}, the schema says ${isValid(data) ? 'valid' : 'invalid'}`,
          );
        }
      });
    });
  }
});
