import type { Queryable } from '../store/database.js';
import type { FormModel } from './form-model.js';

/**
 * Keeps every form version ever served, so a submission's `formVersion` can always be traced
 * to the exact definition it was made against.
 */
export async function recordFormVersions(
  db: Queryable,
  forms: readonly FormModel[],
): Promise<void> {
  for (const form of forms) {
    await db.query(
      `INSERT INTO form_versions (form_id, version, definition) VALUES ($1, $2, $3)
       ON CONFLICT (form_id, version) DO NOTHING`,
      [form.definition.id, form.version, JSON.stringify(form.definition)],
    );
  }
}
