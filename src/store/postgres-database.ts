import pg from 'pg';
import { AppError } from '../errors/app-error.js';
import type { Database, Queryable, QueryResult } from './database.js';

/** Options for {@link PostgresDatabase.open}. */
export interface PostgresDatabaseOptions {
  /** Pool size (default 10). */
  max?: number;
}

/** PostgreSQL through a `pg` connection pool (`DATABASE_URL`). */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects and checks the server answers; fails with `ERR_STORE_UNAVAILABLE` otherwise. */
  static async open(url: string, options: PostgresDatabaseOptions = {}): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
    // An idle client losing its connection must not crash the process.
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
    } catch (cause) {
      await pool.end().catch(() => undefined);
      // The URL may hold a password, so it is not in the message.
      throw new AppError(
        'ERR_STORE_UNAVAILABLE',
        'Could not connect to PostgreSQL (DATABASE_URL).',
        {
          cause,
        },
      );
    }
    return new PostgresDatabase(pool);
  }

  async query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<Row>> {
    const result = await this.#pool.query(sql, params);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const value = await work(new ClientQueryable(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError;
      }
      throw error;
    } finally {
      // A connection that could not roll back is discarded rather than reused.
      client.release(broken === undefined ? undefined : true);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** One checked-out connection, as handed to transaction work. */
class ClientQueryable implements Queryable {
  readonly #client: pg.PoolClient;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  async query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<Row>> {
    const result = await this.#client.query(sql, params);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  }
}
