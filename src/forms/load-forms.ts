import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { createAjv } from '../validation/create-ajv.js';
import { ValidatorCache } from '../validation/validator-cache.js';
import { checkDefinition, type DefinitionProblem } from './check-definition.js';
import type { Field, FieldOptions } from './field.js';
import { createField } from './fields/create-field.js';
import {
  applyDefaults,
  defaultReferencePrefix,
  type RawFormDefinition,
} from './form-definition.js';
import { FormModel } from './form-model.js';

export type { DefinitionProblem } from './check-definition.js';

/** The forms of a service, by id. */
export interface FormRegistry {
  get(id: string): FormModel | undefined;
  list(): FormModel[];
  /** The model of the version a draft or submission is pinned to, when it can be found. */
  atVersion(id: string, version: string): Promise<FormModel | undefined>;
  /** What is wrong with the definitions that were refused (and so are not served). */
  readonly problems: readonly DefinitionProblem[];
}

/** What loading forms may be given; defaults suit production. */
export interface LoadFormsOptions {
  /** Today, for `past`/`future`/age keywords. */
  clock?: Clock;
  /** Builds fields; default src/forms/fields/create-field.ts. */
  createField?: (options: FieldOptions) => Field;
  /** The compiled-validator cache (and its one Ajv instance) to use. */
  validators?: ValidatorCache;
}

/** The stored form version: the `version` label (default `1`), `+`, 12 hex of the file's sha256. */
export function toFormVersion(label: string | undefined, content: string): string {
  return `${label ?? '1'}+${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

interface CheckedFile {
  file: string;
  raw?: RawFormDefinition;
  version?: string;
}

async function readAndCheck(
  dir: string,
  validators: ValidatorCache,
): Promise<{ files: CheckedFile[]; problems: DefinitionProblem[] }> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const problems: DefinitionProblem[] = [];
  const files: CheckedFile[] = [];
  const ids = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const file of names) {
    const content = await readFile(join(dir, file), 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      problems.push({ file, pointer: '', message: `is not valid JSON: ${detail}` });
      files.push({ file });
      continue;
    }
    const label =
      typeof parsed === 'object' &&
      parsed !== null &&
      'version' in parsed &&
      typeof parsed.version === 'string'
        ? parsed.version
        : undefined;
    const version = toFormVersion(label, content);
    const found = checkDefinition(parsed, version, validators);
    problems.push(...found.map((problem) => ({ file, ...problem })));
    if (found.length > 0) {
      files.push({ file });
      continue;
    }
    const raw = parsed as RawFormDefinition;
    const other = ids.get(raw.id);
    if (other !== undefined) {
      problems.push({ file, pointer: '/id', message: `"${raw.id}" is also the id of ${other}` });
    }
    ids.set(raw.id, file);
    // references are unique per prefix: two forms with one prefix would clash on the second send
    const prefix = raw.referencePrefix ?? defaultReferencePrefix(raw.id);
    const sharing = prefixes.get(prefix);
    if (sharing !== undefined) {
      problems.push({
        file,
        pointer: raw.referencePrefix === undefined ? '/id' : '/referencePrefix',
        message: `the reference prefix "${prefix}" is also used by ${sharing}: set a different "referencePrefix"`,
      });
    }
    prefixes.set(prefix, file);
    files.push({ file, raw, version });
  }
  return { files, problems };
}

/** Everything wrong with the definition files in `dir` (empty when all are good). */
export async function checkForms(
  dir: string,
  options: LoadFormsOptions = {},
): Promise<DefinitionProblem[]> {
  const validators =
    options.validators ?? new ValidatorCache(createAjv(options.clock ?? systemClock));
  return (await readAndCheck(dir, validators)).problems;
}

/** One line per problem: `file /pointer: message`. */
export function formatProblems(problems: readonly DefinitionProblem[]): string {
  return problems
    .map((problem) => `${problem.file} ${problem.pointer || '/'}: ${problem.message}`)
    .join('\n');
}

/**
 * Loads every `*.json` definition in `dir`. A definition with a problem is refused and not
 * served, and its problems are kept on the registry for the caller to log: one bad file never
 * stops the other forms. {@link assertNoProblems} turns them into one error where that is wanted.
 */
export async function loadForms(
  dir: string,
  options: LoadFormsOptions = {},
): Promise<FormRegistry> {
  const validators =
    options.validators ?? new ValidatorCache(createAjv(options.clock ?? systemClock));
  const { files, problems } = await readAndCheck(dir, validators);
  const refused = new Set(
    problems
      .filter((problem) => problem.pointer === '/id' || problem.pointer === '/referencePrefix')
      .map((problem) => problem.file),
  );
  const forms = new Map<string, FormModel>();
  for (const { file, raw, version } of files) {
    if (!raw || version === undefined || refused.has(file)) continue;
    try {
      forms.set(
        raw.id,
        new FormModel(applyDefaults(raw, version), {
          validators,
          createField: options.createField ?? createField,
        }),
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      problems.push({ file, pointer: '/schema', message: `cannot be used: ${detail}` });
    }
  }
  return {
    get: (id) => forms.get(id),
    list: () => [...forms.values()],
    atVersion: (id, version) => {
      const form = forms.get(id);
      return Promise.resolve(form?.version === version ? form : undefined);
    },
    problems,
  };
}

/** Throws one ERR_FORM_DEFINITION_INVALID listing every problem of `registry`, if it has any. */
export function assertNoProblems(registry: FormRegistry, dir: string): void {
  if (registry.problems.length === 0) return;
  throw new AppError(
    'ERR_FORM_DEFINITION_INVALID',
    `Form definitions in ${dir} are not valid:\n${formatProblems(registry.problems)}`,
    { details: { problems: registry.problems } },
  );
}
