import type { Queryable, Database } from '../store/database.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { createAjv } from '../validation/create-ajv.js';
import { ValidatorCache } from '../validation/validator-cache.js';
import type { Field, FieldOptions } from './field.js';
import { createField as defaultCreateField } from './fields/create-field.js';
import { applyDefaults, type RawFormDefinition } from './form-definition.js';
import { FormModel } from './form-model.js';
import type { DefinitionProblem, FormRegistry } from './load-forms.js';
import { toDefinition } from './editor/definition-version-store.js';

/** A stored version's state: at most one draft and one published version per form. */
export type VersionState = 'draft' | 'published' | 'archived';

/** What building models from stored definitions needs. */
export interface FormCatalogOptions {
  clock?: Clock;
  createField?: (options: FieldOptions) => Field;
  validators?: ValidatorCache;
}

/** The label part of a stored version (`1.2+3f9a0c1b2d4e` → `1.2`). */
export function toVersionLabel(version: string): string {
  return version.split('+')[0] ?? '1';
}

/** A stored definition as it can be written back to a file: its label, not its stored version. */
export function toWritableDefinition(definition: RawFormDefinition, version: string) {
  return { ...definition, version: toVersionLabel(version) };
}

// Any constant works; every process that syncs form files takes the same one.
const syncLockId = 7_301_937_114;

/**
 * The served forms: the published version of each, kept in the database with every other
 * version (draft, archived) a form ever had, and the version each draft or submission is pinned
 * to. Files in FORMS_DIR are loaded as versions at start-up ({@link FormCatalog.open}).
 */
export class FormCatalog implements FormRegistry {
  private readonly served = new Map<string, FormModel>();
  private readonly pinned = new Map<string, FormModel>();
  private readonly validators: ValidatorCache;
  private readonly createField: (options: FieldOptions) => Field;

  private constructor(
    private readonly db: Database,
    readonly problems: DefinitionProblem[],
    options: FormCatalogOptions,
  ) {
    this.validators =
      options.validators ?? new ValidatorCache(createAjv(options.clock ?? systemClock));
    this.createField = options.createField ?? defaultCreateField;
  }

  /**
   * Records each loaded file as a version (a changed file becomes a new published version; an
   * unchanged one is left as it is, so a version published in the editor stays published) and
   * serves the published version of every form.
   */
  static async open(
    db: Database,
    files: FormRegistry,
    options: FormCatalogOptions = {},
  ): Promise<FormCatalog> {
    const catalog = new FormCatalog(db, [...files.problems], options);
    for (const form of files.list())
      catalog.pinned.set(keyOf(form.definition.id, form.version), form);
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [syncLockId]);
      for (const form of files.list()) await syncFile(tx, form);
    });
    await catalog.refresh();
    return catalog;
  }

  get(id: string): FormModel | undefined {
    return this.served.get(id);
  }

  list(): FormModel[] {
    return [...this.served.values()];
  }

  /** The model of a stored version (a draft or submission pinned to it), or undefined. */
  async atVersion(
    id: string,
    version: string,
    q: Queryable = this.db,
  ): Promise<FormModel | undefined> {
    const key = keyOf(id, version);
    const cached = this.pinned.get(key);
    if (cached) return cached;
    const { rows } = await q.query<{
      definition: RawFormDefinition;
      definition_text: string | null;
    }>(
      `SELECT definition, definition_text FROM form_versions
       WHERE form_id = $1 AND version = $2 AND state <> 'draft'`,
      [id, version],
    );
    const row = rows[0];
    if (!row) return undefined;
    const definition = toDefinition(row) as RawFormDefinition;
    const model = this.toModel(definition, version);
    this.pinned.set(key, model);
    return model;
  }

  /** Builds a model for a definition (throws when it cannot be used: check it first). */
  toModel(definition: RawFormDefinition, version: string): FormModel {
    return new FormModel(applyDefaults(definition, version), {
      validators: this.validators,
      createField: this.createField,
    });
  }

  /** The validator cache the models share (for checking definitions the same way). */
  get validatorCache(): ValidatorCache {
    return this.validators;
  }

  /** Reads which version of each form is published, after a publish or rollback. */
  async refresh(): Promise<void> {
    const { rows } = await this.db.query<{
      form_id: string;
      version: string;
      definition: RawFormDefinition;
      definition_text: string | null;
    }>(
      `SELECT form_id, version, definition, definition_text FROM form_versions WHERE state = 'published'`,
    );
    const next = new Map<string, FormModel>();
    for (const row of rows) {
      const key = keyOf(row.form_id, row.version);
      let model = this.pinned.get(key);
      if (!model) {
        try {
          model = this.toModel(toDefinition(row) as RawFormDefinition, row.version);
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          this.problems.push({
            file: `${row.form_id} (stored ${row.version})`,
            pointer: '/schema',
            message: `cannot be used: ${detail}`,
          });
          continue;
        }
        this.pinned.set(key, model);
      }
      next.set(row.form_id, model);
    }
    this.served.clear();
    for (const [id, model] of next) this.served.set(id, model);
  }
}

function keyOf(id: string, version: string): string {
  return `${id}@${version}`;
}

async function syncFile(tx: Queryable, form: FormModel): Promise<void> {
  const id = form.definition.id;
  // versions stored before numbering get numbers in the order they were first seen
  await tx.query(
    `UPDATE form_versions v SET number = n.number FROM (
       SELECT version, (SELECT COALESCE(max(number), 0) FROM form_versions WHERE form_id = $1)
         + row_number() OVER (ORDER BY first_seen_at, version) AS number
       FROM form_versions WHERE form_id = $1 AND number IS NULL AND state <> 'draft') n
     WHERE v.form_id = $1 AND v.version = n.version`,
    [id],
  );
  const existing = await tx.query<{ state: VersionState }>(
    `SELECT state FROM form_versions WHERE form_id = $1 AND version = $2`,
    [id, form.version],
  );
  const published = await tx.query(
    `SELECT 1 FROM form_versions WHERE form_id = $1 AND state = 'published'`,
    [id],
  );
  if (existing.rows.length === 0) {
    await tx.query(
      `UPDATE form_versions SET state = 'archived' WHERE form_id = $1 AND state = 'published'`,
      [id],
    );
    await tx.query(
      `INSERT INTO form_versions
         (form_id, version, definition, definition_text, state, number, source, published_at)
       VALUES ($1, $2, $3, $4, 'published',
         (SELECT COALESCE(max(number), 0) + 1 FROM form_versions WHERE form_id = $1), 'file', now())`,
      [id, form.version, JSON.stringify(form.definition), JSON.stringify(form.definition)],
    );
  } else if (published.rows.length === 0) {
    await tx.query(
      `UPDATE form_versions SET state = 'published', published_at = now()
       WHERE form_id = $1 AND version = $2`,
      [id, form.version],
    );
  }
}
