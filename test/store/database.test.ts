import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/errors/app-error.js';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { databaseFactories } from '../support/databases.js';
import { startTestPostgres } from '../support/postgres.js';

for (const factory of databaseFactories) {
  describe(`Database (${factory.name})`, function () {
    this.timeout(60_000);
    let db: Database;
    before(async () => {
      db = await factory.open({ migrate: false });
    });
    after(async () => {
      await db.close();
    });

    describe('migrate', () => {
      it('creates the schema and records each migration once', async () => {
        const applied = await migrate(db);
        assert.ok(applied.includes('0001_init.sql'));
        const tables = await db.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
        );
        const names = tables.rows.map((row) => row.table_name);
        for (const table of ['schema_migrations', 'submissions', 'outbox', 'audit_events']) {
          assert.ok(names.includes(table), `${table} exists`);
        }
        const recorded = await db.query<{ name: string; checksum: string }>(
          'SELECT name, checksum FROM schema_migrations ORDER BY name',
        );
        assert.deepEqual(
          recorded.rows.map((row) => row.name),
          applied,
        );
        assert.match(recorded.rows[0]!.checksum, /^[0-9a-f]{64}$/);
      });

      it('does nothing the second time', async () => {
        assert.deepEqual(await migrate(db), []);
        const count = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM schema_migrations',
        );
        assert.ok(count.rows[0]!.n >= 1);
      });

      it('applies only new migrations from a folder, and rolls back a failing one', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'formwork-migrations-'));
        try {
          await writeFile(
            join(dir, '0001_a.sql'),
            `-- a comment; with a semicolon
            CREATE TABLE mig_a (id int, note text DEFAULT 'x;y');
            CREATE FUNCTION mig_f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;`,
          );
          assert.deepEqual(await migrate(db, { dir }), ['0001_a.sql']);
          await writeFile(join(dir, '0002_b.sql'), 'CREATE TABLE mig_b (id int); SELECT nope;');
          await assert.rejects(migrate(db, { dir }), (error: unknown) => {
            assert.ok(isAppError(error));
            assert.equal(error.code, 'ERR_STORE_MIGRATION_FAILED');
            assert.match(error.message, /0002_b\.sql/);
            return true;
          });
          const b = await db.query(
            `SELECT 1 FROM information_schema.tables WHERE table_name = 'mig_b'`,
          );
          assert.equal(b.rowCount, 0);
          const f = await db.query<{ v: number }>('SELECT mig_f() AS v');
          assert.equal(f.rows[0]!.v, 1);
        } finally {
          await rm(dir, { recursive: true, force: true });
          await db.query('DROP TABLE IF EXISTS mig_a');
          await db.query('DROP FUNCTION IF EXISTS mig_f');
          await db.query(`DELETE FROM schema_migrations WHERE name = '0001_a.sql'`);
        }
      });
    });

    describe('transaction', () => {
      before(async () => {
        await db.query('CREATE TABLE IF NOT EXISTS tx_probe (id int PRIMARY KEY, note text)');
      });
      beforeEach(async () => {
        await db.query('DELETE FROM tx_probe');
      });

      it('commits when the work resolves', async () => {
        const value = await db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe (id, note) VALUES ($1, $2)', [1, 'kept']);
          return 'done';
        });
        assert.equal(value, 'done');
        const rows = await db.query<{ note: string }>(
          'SELECT note FROM tx_probe WHERE id = $1',
          [1],
        );
        assert.deepEqual(rows.rows, [{ note: 'kept' }]);
      });

      it('rolls back when the work throws, and passes the error on', async () => {
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO tx_probe (id) VALUES ($1)', [2]);
            throw new Error('boom');
          }),
          /boom/,
        );
        assert.equal((await db.query('SELECT 1 FROM tx_probe')).rowCount, 0);
      });

      it('keeps concurrent transactions apart', async () => {
        const runs = Array.from({ length: 8 }, (_, n) =>
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO tx_probe (id, note) VALUES ($1, $2)', [n, 'first']);
            await new Promise((resolve) => setTimeout(resolve, 5));
            const seen = await tx.query<{ id: number }>('SELECT id FROM tx_probe WHERE id = $1', [
              n,
            ]);
            if (n % 2 === 1) throw new Error(`undo ${n}`);
            return seen.rowCount;
          }),
        );
        const results = await Promise.allSettled(runs);
        assert.deepEqual(
          results.map((result) => result.status),
          [
            'fulfilled',
            'rejected',
            'fulfilled',
            'rejected',
            'fulfilled',
            'rejected',
            'fulfilled',
            'rejected',
          ],
        );
        const rows = await db.query<{ id: number }>('SELECT id FROM tx_probe ORDER BY id');
        assert.deepEqual(
          rows.rows.map((row) => row.id),
          [0, 2, 4, 6],
        );
      });

      it('reports rowCount for writes', async () => {
        await db.query('INSERT INTO tx_probe (id) VALUES (1), (2), (3)');
        const updated = await db.query('UPDATE tx_probe SET note = $1 WHERE id > $2', ['x', 1]);
        assert.equal(updated.rowCount, 2);
      });
    });
  });
}

describe('PgliteDatabase', () => {
  it('runs statements in a transaction only after it finishes (no interleaving)', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      await db.query('CREATE TABLE t (id int)');
      const order: string[] = [];
      const tx = db.transaction(async (t) => {
        order.push('tx start');
        await t.query('INSERT INTO t VALUES (1)');
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('tx end');
        throw new Error('rollback');
      });
      const read = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t').then((result) => {
        order.push('read');
        return result.rows[0]!.n;
      });
      await assert.rejects(tx, /rollback/);
      assert.equal(await read, 0);
      assert.deepEqual(order, ['tx start', 'tx end', 'read']);
    } finally {
      await db.close();
    }
  });

  it('fails fast when called from inside its own transaction', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      await assert.rejects(
        db.transaction(() => db.query('SELECT 1')),
        /use the `tx` argument/,
      );
      assert.equal((await db.query('SELECT 1 AS one')).rowCount, 1);
    } finally {
      await db.close();
    }
  });

  it('keeps committed data in its data directory across reopen', async function () {
    this.timeout(60_000);
    const dir = await mkdtemp(join(tmpdir(), 'formwork-pglite-'));
    try {
      const first = await PgliteDatabase.open(join(dir, 'db'));
      await migrate(first);
      await first.query(`INSERT INTO outbox (topic, job_id, payload) VALUES ('t', 'j1', '{}')`);
      await first.close();
      const second = await PgliteDatabase.open(join(dir, 'db'));
      assert.deepEqual(await migrate(second), []);
      const rows = await second.query<{ job_id: string }>('SELECT job_id FROM outbox');
      assert.deepEqual(rows.rows, [{ job_id: 'j1' }]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says the store is unavailable when the directory cannot be used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'formwork-pglite-'));
    try {
      await writeFile(join(dir, 'file'), 'not a directory');
      await assert.rejects(PgliteDatabase.open(join(dir, 'file', 'db')), {
        code: 'ERR_STORE_UNAVAILABLE',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgresDatabase', function () {
  this.timeout(60_000);

  it('lets two processes migrate at once without conflict', async () => {
    const server = await startTestPostgres();
    const a = await PostgresDatabase.open(server.url);
    const b = await PostgresDatabase.open(server.url);
    try {
      const [first, second] = await Promise.all([migrate(a), migrate(b)]);
      const files = (await readdir(new URL('../../src/store/migrations/', import.meta.url)))
        .filter((name) => name.endsWith('.sql'))
        .sort();
      assert.ok(files.length >= 1);
      assert.deepEqual([...first, ...second].sort(), files);
      assert.ok(first.length === 0 || second.length === 0, 'one process applied everything');
    } finally {
      await a.close();
      await b.close();
      await server.stop();
    }
  });

  it('says the store is unavailable without echoing the URL', async () => {
    await assert.rejects(
      PostgresDatabase.open('postgres://someone:hunter2@127.0.0.1:1/nowhere'),
      (error: unknown) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'ERR_STORE_UNAVAILABLE');
        assert.ok(!error.message.includes('hunter2'));
        return true;
      },
    );
  });
});
