import type { Queryable } from '../../store/database.js';
import type { VersionState } from '../form-catalog.js';

/** One stored version of a form or workflow definition. */
export interface StoredVersion {
  id: string;
  version: string;
  /** 1, 2, 3… in the order versions were made; null for the draft. */
  number: number | null;
  state: VersionState;
  source: 'file' | 'editor';
  definition: Record<string, unknown>;
  createdBy: string | null;
  updatedAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
}

interface Row {
  id: string;
  version: string;
  number: number | null;
  state: VersionState;
  source: 'file' | 'editor';
  definition: Record<string, unknown>;
  definition_text: string | null;
  created_by: string | null;
  updated_at: Date | string;
  published_at: Date | string | null;
  published_by: string | null;
}

/** The version every draft is stored under: one draft per form or workflow. */
export const draftVersion = 'draft';

const tables = {
  form: { table: 'form_versions', id: 'form_id' },
  workflow: { table: 'workflow_definitions', id: 'workflow_id' },
} as const;

/**
 * The versions of form definitions (`form_versions`) or of workflow definitions
 * (`workflow_definitions`): at most one draft, at most one published, the rest archived.
 */
export class DefinitionVersionStore {
  private readonly table: string;
  private readonly idColumn: string;
  private readonly columns: string;

  constructor(
    private readonly db: Queryable,
    kind: keyof typeof tables,
  ) {
    this.table = tables[kind].table;
    this.idColumn = tables[kind].id;
    this.columns = `${this.idColumn} AS id, version, number, state, source, definition, definition_text, created_by,
      updated_at, published_at, published_by`;
  }

  /** Every id with a stored version, and its published and draft versions. */
  async ids(): Promise<{ id: string; published?: StoredVersion; draft?: StoredVersion }[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE state IN ('published', 'draft') ORDER BY 1`,
    );
    const byId = new Map<
      string,
      { id: string; published?: StoredVersion; draft?: StoredVersion }
    >();
    for (const row of rows) {
      const entry = byId.get(row.id) ?? { id: row.id };
      entry[row.state === 'draft' ? 'draft' : 'published'] = toVersion(row);
      byId.set(row.id, entry);
    }
    return [...byId.values()];
  }

  /** The versions of one id, the draft first, then the newest first. */
  async list(id: string, q: Queryable = this.db): Promise<StoredVersion[]> {
    const { rows } = await q.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE ${this.idColumn} = $1
       ORDER BY number DESC NULLS FIRST`,
      [id],
    );
    return rows.map(toVersion);
  }

  /** A numbered version, or undefined. */
  async byNumber(id: string, number: number, q: Queryable = this.db) {
    const { rows } = await q.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE ${this.idColumn} = $1 AND number = $2`,
      [id, number],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The draft, or undefined. */
  async draft(id: string, q: Queryable = this.db) {
    const { rows } = await q.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE ${this.idColumn} = $1 AND version = $2`,
      [id, draftVersion],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The published version, or undefined. */
  async published(id: string, q: Queryable = this.db) {
    const { rows } = await q.query<Row>(
      `SELECT ${this.columns} FROM ${this.table} WHERE ${this.idColumn} = $1 AND state = 'published'`,
      [id],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** Writes the draft (made if there is none). */
  async saveDraft(q: Queryable, id: string, definition: unknown, userId: string): Promise<void> {
    await q.query(
      `INSERT INTO ${this.table} (${this.idColumn}, version, definition, definition_text, state, source, created_by)
       VALUES ($1, $2, $3, $5, 'draft', 'editor', $4)
       ON CONFLICT (${this.idColumn}, version)
       DO UPDATE SET definition = EXCLUDED.definition, definition_text = EXCLUDED.definition_text,
         updated_at = now()`,
      [id, draftVersion, JSON.stringify(definition), userId, JSON.stringify(definition)],
    );
  }

  /** Deletes the draft. */
  async deleteDraft(q: Queryable, id: string): Promise<void> {
    await q.query(`DELETE FROM ${this.table} WHERE ${this.idColumn} = $1 AND version = $2`, [
      id,
      draftVersion,
    ]);
  }

  /**
   * Publishes `definition` as `version`: an existing version (a rollback, or a draft identical
   * to an earlier version) is published again under its number; a new one gets the next number.
   * The version published until now is archived. Returns the published number.
   */
  async publish(
    q: Queryable,
    id: string,
    version: string,
    definition: unknown,
    userId: string,
  ): Promise<number> {
    // two administrators publishing at once take turns, so numbers never clash
    await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.table}:${id}`]);
    await q.query(
      `UPDATE ${this.table} SET state = 'archived' WHERE ${this.idColumn} = $1 AND state = 'published'`,
      [id],
    );
    const { rows } = await q.query<{ number: number }>(
      `INSERT INTO ${this.table}
         (${this.idColumn}, version, definition, definition_text, state, number, source, created_by,
          published_at, published_by)
       VALUES ($1, $2, $3, $5, 'published',
         (SELECT COALESCE(max(number), 0) + 1 FROM ${this.table} WHERE ${this.idColumn} = $1),
         'editor', $4, now(), $4)
       ON CONFLICT (${this.idColumn}, version)
       DO UPDATE SET state = 'published', published_at = now(), published_by = $4
       RETURNING number`,
      [id, version, JSON.stringify(definition), userId, JSON.stringify(definition)],
    );
    return rows[0]?.number ?? 0;
  }
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function toVersion(row: Row): StoredVersion {
  return {
    id: row.id,
    version: row.version,
    number: row.number,
    state: row.state,
    source: row.source,
    definition: toDefinition(row),
    createdBy: row.created_by,
    updatedAt: toDate(row.updated_at),
    publishedAt: row.published_at === null ? null : toDate(row.published_at),
    publishedBy: row.published_by,
  };
}

/** The definition as written when its text was kept (jsonb reorders keys), else the jsonb. */
export function toDefinition(row: {
  definition: Record<string, unknown>;
  definition_text: string | null;
}): Record<string, unknown> {
  return row.definition_text === null
    ? row.definition
    : (JSON.parse(row.definition_text) as Record<string, unknown>);
}
