/** A result set from {@link Queryable.query}. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Anything SQL can be run against: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one parameterised statement (`$1`, `$2`, …). Never interpolate values into `sql`. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

/**
 * The system of record. Implemented by PgliteDatabase (embedded, default) and PostgresDatabase
 * (`DATABASE_URL`); both run the same SQL.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
