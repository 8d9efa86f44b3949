import type { Config } from '../config/config.js';
import type { Database } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

/** Opens the configured database: PostgreSQL when `DATABASE_URL` is set, else embedded PGlite. */
export async function openDatabase(config: Pick<Config, 'database'>): Promise<Database> {
  return config.database.kind === 'postgres'
    ? PostgresDatabase.open(config.database.url)
    : PgliteDatabase.open(config.database.dataDir);
}
