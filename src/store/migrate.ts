import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors/app-error.js';
import type { Database } from './database.js';
import { splitSqlStatements } from './split-sql-statements.js';

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Folder of `NNNN_name.sql` files (default: src/store/migrations). */
  dir?: string;
}

const defaultDir = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant works; it only has to be the same in every process that migrates.
const migrationLockId = 7_301_937_021;

/**
 * Applies every `*.sql` migration not yet recorded in `schema_migrations`, in file-name order,
 * all in one transaction. Safe when several processes start at once: they queue on an advisory
 * lock and the later ones find nothing to do. Returns the names it applied.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? defaultDir;
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })),
  );
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map(
        (row) => row.name,
      ),
    );
    const done: string[] = [];
    for (const file of files) {
      if (applied.has(file.name)) continue;
      for (const statement of splitSqlStatements(file.sql)) {
        try {
          await tx.query(statement);
        } catch (cause) {
          throw new AppError('ERR_STORE_MIGRATION_FAILED', `Migration ${file.name} failed.`, {
            cause,
          });
        }
      }
      const checksum = createHash('sha256').update(file.sql).digest('hex');
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        file.name,
        checksum,
      ]);
      done.push(file.name);
    }
    return done;
  });
}
