import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { startTestPostgres } from './postgres.js';

/** Opens a fresh, migrated database; its `close()` also throws the database away. */
export interface DatabaseFactory {
  name: 'pglite' | 'postgres';
  open(options?: { migrate?: boolean }): Promise<Database>;
}

/** Both databases, so storage tests prove the same SQL works on each. */
export const databaseFactories: readonly DatabaseFactory[] = [
  {
    name: 'pglite',
    async open(options = {}) {
      const db = await PgliteDatabase.open('memory://');
      if (options.migrate !== false) await migrate(db);
      return db;
    },
  },
  {
    name: 'postgres',
    async open(options = {}) {
      const server = await startTestPostgres();
      const db = await PostgresDatabase.open(server.url);
      if (options.migrate !== false) await migrate(db);
      const close = db.close.bind(db);
      return Object.assign(db, {
        close: async () => {
          await close();
          await server.stop();
        },
      });
    },
  },
];

/**
 * Declares `describe(\`${title} (${name})\`)` once per database. `fn` gets a getter for the
 * fresh migrated database opened before the suite and closed after it.
 *
 * @example
 * forEachDatabase('DraftStore', (db) => {
 *   it('saves a draft', async () => { await new DraftStore(db()).save(...) });
 * });
 */
export function forEachDatabase(title: string, fn: (db: () => Database) => void): void {
  for (const factory of databaseFactories) {
    describe(`${title} (${factory.name})`, function () {
      this.timeout(60_000);
      let db: Database | undefined;
      before(async () => {
        db = await factory.open();
      });
      after(async () => {
        await db?.close();
      });
      fn(() => {
        if (db === undefined) throw new Error('The database is opened in a before() hook.');
        return db;
      });
    });
  }
}
