import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { AppError } from '../errors/app-error.js';
import type { FormRegistry } from '../forms/load-forms.js';
import { isEmailTemplate } from '../steps/email-personal-data.js';
import { toDurationMs } from './duration.js';
import type { StepType } from './step-type.js';
import { stepTypes as defaultStepTypes } from './step-types.js';
import type { LoadedWorkflow, WorkflowDefinition } from './workflow-definition.js';
import metaSchema from './workflow-definition.schema.json' with { type: 'json' };

// CommonJS default export seen through NodeNext ESM interop
const Ajv2020 = Ajv2020Module.default;

/** One thing wrong with a workflow file. */
export interface WorkflowProblem {
  file: string;
  /** JSON pointer into the file. */
  pointer: string;
  message: string;
}

/** What checking may be given besides the folder and the forms. */
export interface CheckWorkflowsOptions {
  stepTypes?: ReadonlyMap<string, StepType<never>>;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
const validateMeta = ajv.compile(metaSchema);
const optionValidators = new Map<string, ValidateFunction>();

function optionsValidator(type: StepType<never>): ValidateFunction {
  let validate = optionValidators.get(type.type);
  if (!validate) {
    validate = ajv.compile(type.optionsSchema);
    optionValidators.set(type.type, validate);
  }
  return validate;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `has an unknown property "${String(params.additionalProperty)}"`;
    case 'required':
      return `is missing the required property "${String(params.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'pattern':
      return `"${String(error.data)}" does not match the pattern ${String(params.pattern)}`;
    default:
      return error.message ?? 'is not valid';
  }
}

function toProblems(
  file: string,
  base: string,
  errors: readonly ErrorObject[] | null | undefined,
): WorkflowProblem[] {
  return (errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => ({
      file,
      pointer: `${base}${error.instancePath}`,
      message: describeError(error),
    }));
}

/** The stored version: the `version` label (default `1`), `+`, 12 hex of the file's sha256. */
export function toWorkflowVersion(label: string | undefined, content: string): string {
  return `${label ?? '1'}+${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

/**
 * Everything wrong with one parsed definition beyond its JSON: the meta-schema, each step's
 * options against its type's schema, transitions, reachability and form-field pointers.
 */
export function checkWorkflowDefinition(
  file: string,
  parsed: unknown,
  forms: FormRegistry,
  types: ReadonlyMap<string, StepType<never>> = defaultStepTypes,
): WorkflowProblem[] {
  if (!validateMeta(parsed)) return toProblems(file, '', validateMeta.errors);
  const definition = parsed as unknown as WorkflowDefinition;
  const problems: WorkflowProblem[] = [];
  const add = (pointer: string, message: string) => problems.push({ file, pointer, message });
  const form = forms.get(definition.form);
  if (!form) add('/form', `names the form "${definition.form}", which does not exist`);
  const stepIds = new Set(Object.keys(definition.steps));
  const target = (pointer: string, id: string) => {
    if (!stepIds.has(id)) add(pointer, `names the step "${id}", which does not exist`);
  };
  target('/start', definition.start);
  if (definition.onWithdraw !== undefined) target('/onWithdraw', definition.onWithdraw);
  const consoleFields = definition.console ?? {};
  for (const [name, pointer] of [
    ['neededBy', consoleFields.neededBy],
    ['authority', consoleFields.authority],
    ['emergency/pointer', consoleFields.emergency?.pointer],
  ] as const) {
    if (pointer === undefined || !form || form.index.get(form.index.toPattern(pointer))) continue;
    add(
      `/console/${name}`,
      `names "${pointer}", which is not a field of the form "${form.definition.id}"`,
    );
  }
  const review = definition.review;
  const reviewFields: [string, string][] = review
    ? [
        ...Object.keys(review.set).map((pointer): [string, string] => [
          `set/${escape(pointer)}`,
          pointer,
        ]),
        ['reference', review.reference],
        ...(review.today ?? []).map((pointer, index): [string, string] => [
          `today/${String(index)}`,
          pointer,
        ]),
        ...(review.askAgain ?? []).map((pointer, index): [string, string] => [
          `askAgain/${String(index)}`,
          pointer,
        ]),
      ]
    : [];
  for (const [name, pointer] of reviewFields) {
    // askAgain may name a whole section (`/declaration`), the others a question
    if (!form || form.index.get(form.index.toPattern(pointer))) continue;
    add(
      `/review/${name}`,
      `names "${pointer}", which is not a field of the form "${form.definition.id}"`,
    );
  }
  for (const [id, step] of Object.entries(definition.steps)) {
    const at = `/steps/${escape(id)}`;
    const ways = [step.next, step.on, step.end].filter((way) => way !== undefined).length;
    if (ways !== 1) add(at, 'needs exactly one of "next", "on" or "end"');
    const type = types.get(step.type);
    if (!type) {
      add(`${at}/type`, `"${step.type}" is not a step type`);
      continue;
    }
    const options = step.options ?? {};
    const validate = optionsValidator(type);
    const valid = validate(options);
    if (!valid) {
      problems.push(...toProblems(file, `${at}/options`, validate.errors));
    } else {
      for (const problem of type.checkOptions?.(options as never, definition) ?? [])
        add(`${at}/options${problem.at}`, problem.message);
    }
    if (valid && form) {
      for (const { pointer, at: where } of type.formPointers(options as never)) {
        if (!form.index.get(form.index.toPattern(pointer))) {
          add(
            `${at}/options${where}`,
            `names "${pointer}", which is not a field of the form "${form.definition.id}"`,
          );
        }
      }
    }
    if (step.next !== undefined) target(`${at}/next`, step.next);
    const known = [...type.outcomes, ...(type.optionalOutcomes ?? [])];
    for (const [outcome, next] of Object.entries(step.on ?? {})) {
      target(`${at}/on/${escape(outcome)}`, next);
      if (!known.includes(outcome)) {
        add(
          `${at}/on/${escape(outcome)}`,
          `"${outcome}" is not an outcome of ${step.type} (${known.join(', ')})`,
        );
      }
    }
    if (step.on) {
      for (const outcome of type.outcomes) {
        if (!(outcome in step.on))
          add(`${at}/on`, `does not say where the outcome "${outcome}" goes`);
      }
    }
    (step.timers ?? []).forEach((timer, index) => {
      if (timer.action === 'expire' && !type.expire) {
        add(`${at}/timers/${index}/action`, `a ${step.type} step cannot expire`);
      }
      if (timer.action === 'remind' && !type.reminderRecipients) {
        add(`${at}/timers/${index}/action`, `a ${step.type} step has nobody to remind`);
      }
      if (timer.template !== undefined && !isEmailTemplate(timer.template))
        add(`${at}/timers/${index}/template`, `"${timer.template}" is not an email template`);
      if (toDurationMs(timer.after) === 0)
        add(`${at}/timers/${index}/after`, 'must be longer than zero');
    });
  }
  // Every step must be reachable from the start or the withdrawal step.
  const reached = new Set<string>();
  const queue = [
    definition.start,
    ...(definition.onWithdraw === undefined ? [] : [definition.onWithdraw]),
  ];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const step = definition.steps[id];
    if (reached.has(id) || !step) continue;
    reached.add(id);
    if (step.next !== undefined) queue.push(step.next);
    queue.push(...Object.values(step.on ?? {}));
  }
  for (const id of stepIds) {
    if (!reached.has(id))
      add(`/steps/${escape(id)}`, `the step "${id}" cannot be reached from the start`);
  }
  return problems;
}

async function readAll(
  dir: string,
  forms: FormRegistry,
  types: ReadonlyMap<string, StepType<never>>,
): Promise<{ workflows: LoadedWorkflow[]; problems: WorkflowProblem[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return { workflows: [], problems: [] };
  }
  const workflows: LoadedWorkflow[] = [];
  const problems: WorkflowProblem[] = [];
  const byForm = new Map<string, string>();
  for (const file of names) {
    const content = await readFile(join(dir, file), 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      problems.push({
        file,
        pointer: '',
        message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    const found = checkWorkflowDefinition(file, parsed, forms, types);
    problems.push(...found);
    if (found.length > 0) continue;
    const definition = parsed as WorkflowDefinition;
    const other = byForm.get(definition.form);
    if (other !== undefined) {
      problems.push({
        file,
        pointer: '/form',
        message: `the form "${definition.form}" already starts ${other}`,
      });
      continue;
    }
    byForm.set(definition.form, file);
    workflows.push({ file, definition, version: toWorkflowVersion(definition.version, content) });
  }
  return { workflows, problems };
}

/** Everything wrong with the workflow files in `dir` (empty when all are good). */
export async function checkWorkflows(
  dir: string,
  forms: FormRegistry,
  options: CheckWorkflowsOptions = {},
): Promise<WorkflowProblem[]> {
  return (await readAll(dir, forms, options.stepTypes ?? defaultStepTypes)).problems;
}

/** One line per problem: `file /pointer: message`. */
export function formatWorkflowProblems(problems: readonly WorkflowProblem[]): string {
  return problems
    .map((problem) => `${problem.file} ${problem.pointer || '/'}: ${problem.message}`)
    .join('\n');
}

/**
 * Loads every `*.json` workflow in `dir`; a missing folder means no workflows. Every problem in
 * every file is thrown as one ERR_WORKFLOW_DEFINITION_INVALID, so one start-up shows them all.
 */
export async function loadWorkflows(
  dir: string,
  forms: FormRegistry,
  options: CheckWorkflowsOptions = {},
): Promise<LoadedWorkflow[]> {
  const { workflows, problems } = await readAll(dir, forms, options.stepTypes ?? defaultStepTypes);
  if (problems.length > 0) {
    throw new AppError(
      'ERR_WORKFLOW_DEFINITION_INVALID',
      `Workflow definitions in ${dir} are not valid:\n${formatWorkflowProblems(problems)}`,
      { details: { problems } },
    );
  }
  return workflows;
}
