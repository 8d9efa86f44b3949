import type {
  ReviewDefinition,
  StepDefinition,
  StepTimer,
  WorkflowDefinition,
} from '../generated/workflows/workflow-definition.js';

export type { ReviewDefinition, StepDefinition, StepTimer, WorkflowDefinition };

/** A checked workflow file and the version it is stored and pinned under. */
export interface LoadedWorkflow {
  file: string;
  definition: WorkflowDefinition;
  /** `<label or 1>+<12 hex of the file's sha256>`. */
  version: string;
}

/** The step an outcome leads to, `null` at the end, or undefined when the outcome is not handled. */
export function toNextStepId(step: StepDefinition, outcome: string): string | null | undefined {
  if (step.end === true) return null;
  if (step.next !== undefined) return step.next;
  return step.on?.[outcome];
}
