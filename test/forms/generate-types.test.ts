import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFormType, generateFormTypes } from '../../src/forms/generate-types.js';
import { loadForms } from '../../src/forms/load-forms.js';

describe('generateFormTypes', () => {
  it('keeps src/generated/forms in step with forms/ (run `npm run gen:types` when this fails)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'formwork-types-'));
    try {
      await generateFormTypes(await loadForms('forms'), dir);
      const fresh = (await readdir(dir)).sort();
      const committed = (await readdir('src/generated/forms')).sort();
      assert.deepEqual(committed, fresh);
      for (const name of fresh) {
        const expected = await readFile(join(dir, name), 'utf8');
        const actual = await readFile(join('src/generated/forms', name), 'utf8');
        assert.equal(actual, expected, `src/generated/forms/${name} is stale`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('types branch-declared questions as optional properties and marks the file generated', async () => {
    const source = await generateFormType('pet-form', {
      type: 'object',
      properties: { kind: { enum: ['cat', 'dog'] }, name: { type: 'string', title: 'Name' } },
      required: ['name'],
      if: { properties: { kind: { const: 'dog' } }, required: ['kind'] },
      then: { properties: { licence: { type: 'string' } } },
    });
    assert.match(source, /Do not edit/);
    assert.match(source, /export interface PetFormAnswers \{/);
    assert.match(source, /kind\?: 'cat' \| 'dog';/);
    assert.match(source, /name: string;/);
    assert.match(source, /licence\?: string;/);
  });
});
