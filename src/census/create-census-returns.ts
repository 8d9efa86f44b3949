import { readFileSync } from 'node:fs';
import type { FormRegistry } from '../forms/load-forms.js';
import { CensusReturnStore } from '../store/census-return-store.js';
import type { Database } from '../store/database.js';
import { CensusReturns } from './census-returns.js';
import { toColumnKinds } from './to-census-record.js';

/** The census worker-record form's id: its schema and retention rule drive the return. */
export const censusFormId = 'social-care-workforce-census';

const release = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** The census returns over the loaded census form, or undefined when that form is not served. */
export function createCensusReturns(options: {
  db: Database;
  forms: FormRegistry;
  clock: { now(): Date };
}): CensusReturns | undefined {
  const form = options.forms.get(censusFormId);
  if (!form) return undefined;
  return new CensusReturns({
    db: options.db,
    store: new CensusReturnStore(),
    formId: censusFormId,
    form,
    kinds: toColumnKinds(form.definition.schema),
    clock: options.clock,
    release,
  });
}
