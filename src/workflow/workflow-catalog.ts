import { AppError } from '../errors/app-error.js';
import type { Queryable } from '../store/database.js';
import type { LoadedWorkflow, WorkflowDefinition } from './workflow-definition.js';

/**
 * The workflows of a service: the current one for each form, and any stored version an older
 * instance is pinned to.
 */
export class WorkflowCatalog {
  private readonly byForm = new Map<string, LoadedWorkflow>();
  private readonly versions = new Map<string, WorkflowDefinition>();

  constructor(
    private readonly db: Queryable,
    workflows: readonly LoadedWorkflow[],
  ) {
    for (const workflow of workflows) {
      this.byForm.set(workflow.definition.form, workflow);
      this.versions.set(`${workflow.definition.id}@${workflow.version}`, workflow.definition);
    }
  }

  /** Stores every current definition under its version, once (instances are pinned to them). */
  async record(): Promise<void> {
    for (const workflow of this.byForm.values()) {
      await this.db.query(
        `INSERT INTO workflow_definitions (workflow_id, version, definition) VALUES ($1, $2, $3)
         ON CONFLICT (workflow_id, version) DO NOTHING`,
        [workflow.definition.id, workflow.version, JSON.stringify(workflow.definition)],
      );
    }
  }

  /** The current workflow a form's submissions start, if it has one. */
  forForm(formId: string): LoadedWorkflow | undefined {
    return this.byForm.get(formId);
  }

  /** Every current workflow. */
  list(): LoadedWorkflow[] {
    return [...this.byForm.values()];
  }

  /** The definition an instance is pinned to. */
  async version(
    workflowId: string,
    version: string,
    q: Queryable = this.db,
  ): Promise<WorkflowDefinition> {
    const key = `${workflowId}@${version}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const { rows } = await q.query<{ definition: WorkflowDefinition }>(
      `SELECT definition FROM workflow_definitions WHERE workflow_id = $1 AND version = $2`,
      [workflowId, version],
    );
    const definition = rows[0]?.definition;
    if (!definition) {
      throw new AppError('ERR_WORKFLOW_DEFINITION_INVALID', `no stored workflow ${key}`);
    }
    this.versions.set(key, definition);
    return definition;
  }
}
