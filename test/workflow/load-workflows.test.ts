import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/errors/app-error.js';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import {
  generateWorkflowTypes,
  generatedWorkflowTypesDir,
} from '../../src/workflow/generate-workflow-types.js';
import { checkWorkflowDefinition, loadWorkflows } from '../../src/workflow/load-workflows.js';

interface DefinitionCase {
  description: string;
  definition: unknown;
  problems: { pointer: string; message: string }[];
}

const cases = JSON.parse(
  await readFile(new URL('../cases/workflow-definitions.json', import.meta.url), 'utf8'),
) as DefinitionCase[];

describe('checkWorkflowDefinition', () => {
  let forms: FormRegistry;
  before(async () => {
    forms = await loadForms('forms');
  });

  for (const testCase of cases) {
    it(`rejects ${testCase.description} with a clear message`, () => {
      const problems = checkWorkflowDefinition('bad.json', testCase.definition, forms);
      assert.deepEqual(
        problems.map(({ pointer, message }) => ({ pointer, message })),
        testCase.problems,
      );
      assert.ok(problems.every((problem) => problem.file === 'bad.json'));
    });
  }

  it('accepts the shipped workflows', async () => {
    const workflows = await loadWorkflows('workflows', forms);
    assert.deepEqual(
      workflows.map((workflow) => workflow.definition.id),
      ['secure-welfare-referral'],
    );
    assert.match(workflows[0]?.version ?? '', /^1\.0\.0\+[0-9a-f]{12}$/);
  });

  it('refuses to load a folder with a bad file, naming the file and pointer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'formwork-workflows-'));
    try {
      await writeFile(join(dir, 'broken.json'), JSON.stringify(cases[1]?.definition));
      await assert.rejects(loadWorkflows(dir, forms), (error: unknown) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'ERR_WORKFLOW_DEFINITION_INVALID');
        assert.match(error.message, /broken\.json \/steps\/a\/next: names the step "b"/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('generated workflow types', () => {
  it('are up to date with the meta-schema and the step options schemas (run npm run gen:types)', async () => {
    for (const { file, content } of await generateWorkflowTypes()) {
      const onDisk = await readFile(join(generatedWorkflowTypesDir, file), 'utf8');
      assert.equal(onDisk, content, `${file} is stale`);
    }
  });
});
