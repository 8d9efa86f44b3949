import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FieldError } from '../../src/forms/field-error.js';
import type { SchemaNode } from '../../src/forms/field.js';
import { toApiErrors } from '../../src/validation/to-api-errors.js';
import { buildForm } from '../forms/build-form.js';

interface FieldErrorCase {
  name: string;
  schema: SchemaNode;
  data: Record<string, unknown>;
  expected: FieldError[];
}

const cases = JSON.parse(
  readFileSync(new URL('../cases/field-errors.json', import.meta.url), 'utf8'),
) as FieldErrorCase[];

describe('Ajv errors as GOV.UK field errors', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = buildForm({ schema: testCase.schema }).validate(testCase.data);
      assert.equal(result.valid, false);
      assert.deepEqual(result.errors, testCase.expected);
    });
  }

  it('reports the same errors to the API as path and message', () => {
    const form = buildForm({ schema: cases[0]!.schema });
    const errors = form.validate(cases[0]!.data).errors;
    assert.deepEqual(toApiErrors(errors), [
      { path: '/child/firstName', message: "Enter the child's first name" },
    ]);
  });
});
