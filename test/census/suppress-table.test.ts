import assert from 'node:assert/strict';
import fc from 'fast-check';
import { suppressTable, type SuppressedTable } from '../../src/census/suppress-table.js';

/** The published table as a closed grid: inner cells, row totals last, column totals below. */
function toGrid(table: SuppressedTable): (number | 'c')[][] {
  return [
    ...table.cells.map((row, r) => [...row, table.rowTotals[r] ?? 'c']),
    [...table.columnTotals, table.grandTotal],
  ];
}

function rankOf(matrix: number[][]): number {
  const m = matrix.map((row) => [...row]);
  let rank = 0;
  const width = m[0]?.length ?? 0;
  for (let column = 0; column < width && rank < m.length; column += 1) {
    let pivot = rank;
    for (let r = rank + 1; r < m.length; r += 1)
      if (Math.abs(m[r]?.[column] ?? 0) > Math.abs(m[pivot]?.[column] ?? 0)) pivot = r;
    if (Math.abs(m[pivot]?.[column] ?? 0) < 1e-9) continue;
    [m[rank], m[pivot]] = [m[pivot] as number[], m[rank] as number[]];
    const top = m[rank] as number[];
    for (let r = 0; r < m.length; r += 1) {
      if (r === rank) continue;
      const row = m[r] as number[];
      const factor = (row[column] ?? 0) / (top[column] ?? 1);
      for (let c = column; c < width; c += 1) row[c] = (row[c] ?? 0) - factor * (top[c] ?? 0);
    }
    rank += 1;
  }
  return rank;
}

/**
 * The suppressed cells a reader could work out: each row and column of the closed grid is an
 * equation (inner cells sum to the total); a suppressed cell is recoverable when its unit
 * vector lies in the span of those equations over the suppressed unknowns. An independent
 * oracle: plain linear algebra, not the bridge reasoning the implementation uses.
 */
function recoverableCells(grid: (number | 'c')[][]): string[] {
  const rows = grid.length;
  const columns = grid[0]?.length ?? 0;
  const unknowns: [number, number][] = [];
  grid.forEach((row, r) => {
    row.forEach((cell, c) => {
      if (cell === 'c') unknowns.push([r, c]);
    });
  });
  const equations: number[][] = [];
  for (let r = 0; r < rows; r += 1)
    equations.push(unknowns.map(([ur, uc]) => (ur === r ? (uc === columns - 1 ? -1 : 1) : 0)));
  for (let c = 0; c < columns; c += 1)
    equations.push(unknowns.map(([ur, uc]) => (uc === c ? (ur === rows - 1 ? -1 : 1) : 0)));
  const base = rankOf(equations);
  return unknowns
    .filter((_unknown, index) => {
      const unit = unknowns.map((_u, k) => (k === index ? 1 : 0));
      return rankOf([...equations, unit]) === base;
    })
    .map(([r, c]) => `${String(r)},${String(c)}`);
}

const tables = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), columns: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, columns }) =>
    fc.array(
      fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 60 })), {
        minLength: columns,
        maxLength: columns,
      }),
      { minLength: rows, maxLength: rows },
    ),
  );

describe('suppressTable', () => {
  it('shows every count from 1 to 5 as c, totals included', () => {
    fc.assert(
      fc.property(tables, (counts) => {
        const grid = toGrid(suppressTable(counts));
        const truth = toGrid({
          cells: counts,
          rowTotals: counts.map((row) => row.reduce((a, b) => a + b, 0)),
          columnTotals: (counts[0] ?? []).map((_v, c) =>
            counts.reduce((a, row) => a + (row[c] ?? 0), 0),
          ),
          grandTotal: counts.flat().reduce((a, b) => a + b, 0),
        });
        truth.forEach((row, r) => {
          row.forEach((value, c) => {
            const shown = grid[r]?.[c];
            if (typeof value === 'number' && value >= 1 && value <= 5) assert.equal(shown, 'c');
            else if (shown !== 'c') assert.equal(shown, value);
          });
        });
      }),
      { numRuns: 400 },
    );
  });

  it('leaves no suppressed cell that can be worked out from the published cells and totals', () => {
    fc.assert(
      fc.property(tables, (counts) => {
        assert.deepEqual(recoverableCells(toGrid(suppressTable(counts))), []);
      }),
      { numRuns: 400 },
    );
  });

  it('hides the cheapest rectangle through a small count the totals would give away', () => {
    const table = suppressTable([
      [3, 20, 30],
      [40, 50, 60],
    ]);
    assert.deepEqual(table.cells, [
      ['c', 'c', 30],
      ['c', 'c', 60],
    ]);
    assert.deepEqual(
      [table.rowTotals, table.columnTotals, table.grandTotal],
      [[53, 150], [43, 70, 90], 203],
    );
  });

  it('publishes a table without small counts unchanged', () => {
    const table = suppressTable([
      [10, 0],
      [7, 12],
    ]);
    assert.deepEqual(table, {
      cells: [
        [10, 0],
        [7, 12],
      ],
      rowTotals: [10, 19],
      columnTotals: [17, 12],
      grandTotal: 29,
    });
  });
});

describe('suppressTable with row totals another table hides', () => {
  it('hides those totals and enough cells that neither they nor the cells can be worked out', () => {
    fc.assert(
      fc.property(
        tables.chain((counts) =>
          fc.record({
            counts: fc.constant(counts),
            forced: fc.subarray(counts.map((_row, r) => r)),
          }),
        ),
        ({ counts, forced }) => {
          const table = suppressTable(counts, { hideRowTotals: new Set(forced) });
          for (const r of forced) assert.equal(table.rowTotals[r], 'c');
          assert.deepEqual(recoverableCells(toGrid(table)), []);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hides a forced grand total', () => {
    const table = suppressTable(
      [
        [10, 20],
        [30, 40],
      ],
      { hideGrandTotal: true },
    );
    assert.equal(table.grandTotal, 'c');
    assert.deepEqual(recoverableCells(toGrid(table)), []);
  });
});
