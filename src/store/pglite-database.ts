import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AppError } from '../errors/app-error.js';
import type { Database, Queryable, QueryResult } from './database.js';

/**
 * The embedded database: PostgreSQL in WASM, one connection per process.
 *
 * Every statement and transaction runs through one queue, so a transaction sees only its own
 * statements. Calling the database itself (not `tx`) from inside `transaction()` would wait on
 * its own queue forever, so it fails fast with an error instead.
 *
 * Durability: `relaxedDurability` is off, so a commit has reached the data directory before
 * `transaction()` resolves. That costs some throughput, but the database is the system of record
 * and the outbox relies on committed rows surviving a crash.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly #pg: PGlite;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #inside = new AsyncLocalStorage<true>();

  private constructor(pg: PGlite) {
    this.#pg = pg;
  }

  /** Opens (creating when needed) the database in `dataDir`, or in memory with `'memory://'`. */
  static async open(dataDir: string): Promise<PgliteDatabase> {
    try {
      if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true });
      const pg = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
        relaxedDurability: false,
      });
      return new PgliteDatabase(pg);
    } catch (cause) {
      throw new AppError('ERR_STORE_UNAVAILABLE', 'Could not open the embedded database.', {
        cause,
      });
    }
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.#exclusive(async () => toResult(await this.#pg.query<Row>(sql, params)));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#exclusive(() =>
      this.#pg.transaction(async (tx: Transaction) => {
        const queryable: Queryable = {
          query: async <Row>(sql: string, params?: unknown[]) =>
            toResult(await tx.query<Row>(sql, params)),
        };
        return work(queryable);
      }),
    );
  }

  async close(): Promise<void> {
    await this.#exclusive(async () => {
      if (!this.#pg.closed) await this.#pg.close();
    });
  }

  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    if (this.#inside.getStore() === true) {
      return Promise.reject(
        new AppError(
          'ERR_INTERNAL',
          'PgliteDatabase was called from inside its own transaction; use the `tx` argument.',
        ),
      );
    }
    const result = this.#queue.then(() => this.#inside.run(true, run));
    // The queue must go on after a failure; the caller still sees the rejection.
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function toResult<Row>(result: { rows: Row[]; affectedRows?: number }): QueryResult<Row> {
  return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
}
