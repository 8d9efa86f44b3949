import { performance } from 'node:perf_hooks';
import type { FormModel } from '../../src/forms/form-model.js';
import { createAjv } from '../../src/validation/create-ajv.js';

/** Validations per second of the form model and of the bare compiled Ajv validator. */
export interface ValidationBenchResult {
  formValidatePerSecond: number;
  rawAjvPerSecond: number;
}

/** Calls `work` for about `seconds` after a warm-up; returns calls per second. */
function rate(work: () => boolean, seconds: number): number {
  const until = (deadline: number, count: number) => {
    let calls = 0;
    while (performance.now() < deadline) {
      for (let i = 0; i < count; i += 1) {
        if (!work()) throw new Error('the example stopped being valid');
      }
      calls += count;
    }
    return calls;
  };
  until(performance.now() + 500, 100);
  const start = performance.now();
  const calls = until(start + seconds * 1000, 100);
  return calls / ((performance.now() - start) / 1000);
}

/**
 * `form.validate(example)` (hidden answers pruned, errors mapped) against the ceiling: the same
 * schema compiled once by a fresh Ajv with the same keywords, called on the same data.
 */
export function benchValidation(form: FormModel, seconds = 3): ValidationBenchResult {
  const example = form.examples()[0];
  if (!example) throw new Error(`${form.definition.id} has no example`);
  const raw = createAjv().compile(form.definition.schema);
  return {
    formValidatePerSecond: rate(() => form.validate(example).valid, seconds),
    rawAjvPerSecond: rate(() => raw(example), seconds),
  };
}
