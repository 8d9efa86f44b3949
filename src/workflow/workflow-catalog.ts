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

  /**
   * Stores every file's definition as a version, once (instances are pinned to them): a changed
   * file becomes the new published version, an unchanged one is left as it is, so a version
   * published in the editor stays published. Then serves the published version of each.
   */
  async record(): Promise<void> {
    for (const workflow of this.byForm.values()) {
      const id = workflow.definition.id;
      // versions stored before numbering get numbers in the order they were first seen
      await this.db.query(
        `UPDATE workflow_definitions v SET number = n.number FROM (
           SELECT version, (SELECT COALESCE(max(number), 0) FROM workflow_definitions WHERE workflow_id = $1)
             + row_number() OVER (ORDER BY first_seen_at, version) AS number
           FROM workflow_definitions WHERE workflow_id = $1 AND number IS NULL AND state <> 'draft') n
         WHERE v.workflow_id = $1 AND v.version = n.version`,
        [id],
      );
      const existing = await this.db.query(
        `SELECT 1 FROM workflow_definitions WHERE workflow_id = $1 AND version = $2`,
        [id, workflow.version],
      );
      if (existing.rows.length === 0) {
        await this.db.query(
          `UPDATE workflow_definitions SET state = 'archived' WHERE workflow_id = $1 AND state = 'published'`,
          [id],
        );
      }
      await this.db.query(
        `INSERT INTO workflow_definitions
           (workflow_id, version, definition, definition_text, state, number, published_at)
         VALUES ($1, $2, $3, $4, 'published',
           (SELECT COALESCE(max(number), 0) + 1 FROM workflow_definitions WHERE workflow_id = $1), now())
         ON CONFLICT (workflow_id, version) DO NOTHING`,
        [
          id,
          workflow.version,
          JSON.stringify(workflow.definition),
          JSON.stringify(workflow.definition),
        ],
      );
      // a version stored before versions had states and numbers is the published one
      await this.db.query(
        `UPDATE workflow_definitions SET state = 'published',
           number = COALESCE(number, (SELECT COALESCE(max(number), 0) + 1 FROM workflow_definitions WHERE workflow_id = $1))
         WHERE workflow_id = $1 AND version = $2
           AND NOT EXISTS (SELECT 1 FROM workflow_definitions WHERE workflow_id = $1 AND state = 'published')`,
        [id, workflow.version],
      );
    }
    await this.refresh();
  }

  /** Reads which version of each workflow is published (after start-up or a publish). */
  async refresh(): Promise<void> {
    const { rows } = await this.db.query<{
      workflow_id: string;
      version: string;
      definition: WorkflowDefinition;
      definition_text: string | null;
    }>(
      `SELECT workflow_id, version, definition, definition_text FROM workflow_definitions WHERE state = 'published'`,
    );
    for (const row of rows) {
      const current = [...this.byForm.values()].find(
        (item) => item.definition.id === row.workflow_id,
      );
      if (current?.version === row.version) continue;
      if (current) this.byForm.delete(current.definition.form);
      const definition = (
        row.definition_text === null ? row.definition : JSON.parse(row.definition_text)
      ) as WorkflowDefinition;
      this.byForm.set(definition.form, {
        file: current?.file ?? `${row.workflow_id} (stored)`,
        definition,
        version: row.version,
      });
      this.versions.set(`${row.workflow_id}@${row.version}`, definition);
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
    const { rows } = await q.query<{
      definition: WorkflowDefinition;
      definition_text: string | null;
    }>(
      `SELECT definition, definition_text FROM workflow_definitions WHERE workflow_id = $1 AND version = $2`,
      [workflowId, version],
    );
    const row = rows[0];
    // the text as written when it was kept (jsonb reorders keys)
    const definition = row
      ? ((row.definition_text === null
          ? row.definition
          : JSON.parse(row.definition_text)) as WorkflowDefinition)
      : undefined;
    if (!definition) {
      throw new AppError('ERR_WORKFLOW_DEFINITION_INVALID', `no stored workflow ${key}`);
    }
    this.versions.set(key, definition);
    return definition;
  }
}
