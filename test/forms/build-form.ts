import { createField } from '../../src/forms/fields/create-field.js';
import { applyDefaults, type RawFormDefinition } from '../../src/forms/form-definition.js';
import { FormModel } from '../../src/forms/form-model.js';
import { createAjv } from '../../src/validation/create-ajv.js';
import { ValidatorCache } from '../../src/validation/validator-cache.js';

/** A fixed day for date keywords in tests. */
export const fixedClock = { now: () => new Date('2026-03-15T12:00:00Z') };

let counter = 0;

/** A FormModel from an in-memory definition, with real Ajv and real field types. */
export function buildForm(
  raw: Omit<RawFormDefinition, 'id' | 'title'> & { id?: string; title?: string },
): FormModel {
  counter += 1;
  const definition = applyDefaults(
    { id: 'test-form', title: 'Test form', ...raw },
    `1+test${String(counter)}`,
  );
  return new FormModel(definition, {
    validators: new ValidatorCache(createAjv(fixedClock)),
    createField,
  });
}
