import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { isAppError } from '../../src/errors/app-error.js';
import {
  assertNoProblems,
  checkForms,
  formatProblems,
  loadForms,
} from '../../src/forms/load-forms.js';
import { fixedClock } from './build-form.js';

interface DefinitionCase {
  name: string;
  definition?: unknown;
  definitions?: unknown[];
  problem: { pointer: string; message: string } | null;
}

const cases = JSON.parse(
  readFileSync(new URL('../cases/form-definitions.json', import.meta.url), 'utf8'),
) as DefinitionCase[];

async function withForms<T>(files: Record<string, string>, run: (dir: string) => Promise<T>) {
  const dir = await mkdtemp(join(tmpdir(), 'formwork-forms-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('checkForms', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const definitions = testCase.definitions ?? [testCase.definition];
      const files = Object.fromEntries(
        definitions.map((definition, at) => [
          `form-${String(at)}.json`,
          JSON.stringify(definition),
        ]),
      );
      const problems = await withForms(files, (dir) => checkForms(dir, { clock: fixedClock }));
      if (testCase.problem === null) {
        assert.deepEqual(problems, []);
        return;
      }
      const expected = testCase.problem;
      const match = problems.find(
        (problem) =>
          problem.pointer === expected.pointer && problem.message.includes(expected.message),
      );
      assert.ok(
        match,
        `expected ${JSON.stringify(expected)} in ${JSON.stringify(problems, null, 2)}`,
      );
    });
  }

  it('reports a file that is not JSON', async () => {
    const problems = await withForms({ 'broken.json': '{ "id": ' }, (dir) => checkForms(dir));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.file, 'broken.json');
    assert.match(problems[0]!.message, /not valid JSON/);
  });
});

describe('loadForms', () => {
  const minimal = JSON.stringify({
    id: 'pet-registration',
    title: 'Register a pet',
    version: '1.2.0',
    schema: { type: 'object', properties: { name: { type: 'string' } } },
  });

  it('loads every definition with its computed version and defaults', async () => {
    const registry = await withForms({ 'pet.json': minimal, 'notes.txt': 'ignored' }, (dir) =>
      loadForms(dir),
    );
    const form = registry.get('pet-registration');
    assert.ok(form);
    const hash = createHash('sha256').update(minimal).digest('hex').slice(0, 12);
    assert.equal(form.version, `1.2.0+${hash}`);
    assert.equal(form.definition.access, 'signed-in');
    assert.equal(form.definition.referencePrefix, 'PR');
    assert.equal(form.definition.organisation, 'default');
    assert.deepEqual(
      registry.list().map((each) => each.definition.id),
      ['pet-registration'],
    );
    assert.equal(registry.get('nothing'), undefined);
  });

  describe('when one definition has a problem', () => {
    it('serves the other forms and lists every problem of the refused files', async () => {
      const registry = await withForms(
        {
          'a.json': JSON.stringify({
            id: 'a-form',
            title: 'A',
            schema: { type: 'array' },
            extra: 1,
          }),
          'b.json': '{',
          'c.json': JSON.stringify({
            id: 'good-form',
            title: 'Good',
            schema: { type: 'object', properties: { name: { type: 'string' } } },
          }),
        },
        (dir) => loadForms(dir),
      );
      assert.deepEqual(
        registry.list().map((form) => form.definition.id),
        ['good-form'],
      );
      assert.equal(registry.get('a-form'), undefined);
      const message = formatProblems(registry.problems);
      assert.match(message, /a\.json \/extra: is not a known key/);
      assert.match(message, /a\.json \/schema\/type: /);
      assert.match(message, /b\.json \/: is not valid JSON/);
    });

    it('throws one error listing them when asked to', async () => {
      const error = await withForms({ 'b.json': '{' }, async (dir) => {
        try {
          assertNoProblems(await loadForms(dir), dir);
          return undefined;
        } catch (caught) {
          return caught;
        }
      });
      assert.ok(isAppError(error));
      assert.equal(error.code, 'ERR_FORM_DEFINITION_INVALID');
    });
  });
});
