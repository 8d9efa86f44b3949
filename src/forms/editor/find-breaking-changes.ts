import type { FormModel } from '../form-model.js';
import { describeKind } from '../../validation/describe-field.js';
import type { StepType } from '../../workflow/step-type.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';

/** Why publishing a form version would break a workflow step. */
export interface BreakingChange {
  workflowId: string;
  stepId: string;
  pointer: string;
  message: string;
}

function kindAt(form: FormModel, pointer: string): string | undefined {
  const schema = form.index.schemaFor(pointer);
  if (!schema) return undefined;
  const kind = describeKind(schema, (node) => form.index.resolve(node));
  const type = Array.isArray(schema.type)
    ? schema.type.join('/')
    : typeof schema.type === 'string'
      ? schema.type
      : kind;
  return kind === 'choice' || kind === 'date' || kind === 'document' ? kind : type;
}

/**
 * Every step of `workflows` (those that start `candidate`'s form) that reads a field of the
 * form's data which `candidate` no longer asks, or asks as another type than `current` does.
 */
export function findBreakingChanges(
  current: FormModel | undefined,
  candidate: FormModel,
  workflows: readonly WorkflowDefinition[],
  types: ReadonlyMap<string, StepType<never>>,
): BreakingChange[] {
  const found: BreakingChange[] = [];
  for (const workflow of workflows) {
    if (workflow.form !== candidate.definition.id) continue;
    for (const [stepId, step] of Object.entries(workflow.steps)) {
      const type = types.get(step.type);
      if (!type) continue;
      for (const { pointer } of type.formPointers((step.options ?? {}) as never)) {
        const add = (message: string) => {
          found.push({ workflowId: workflow.id, stepId, pointer, message });
        };
        const now = kindAt(candidate, pointer);
        if (now === undefined) {
          add(
            `The workflow "${workflow.id}" step "${stepId}" reads ${pointer}, which this version removes`,
          );
          continue;
        }
        const before = current ? kindAt(current, pointer) : undefined;
        if (before !== undefined && before !== now) {
          add(
            `The workflow "${workflow.id}" step "${stepId}" reads ${pointer}, which this version changes from ${before} to ${now}`,
          );
        }
      }
    }
  }
  return found;
}
