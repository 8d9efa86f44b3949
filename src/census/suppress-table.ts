/** A published cell: the count, or `c` where it is suppressed. */
export type PublishedCell = number | 'c';

/** A table of counts as published, with its totals. */
export interface SuppressedTable {
  cells: PublishedCell[][];
  rowTotals: PublishedCell[];
  columnTotals: PublishedCell[];
  grandTotal: PublishedCell;
}

/** Counts from 1 to 5 are suppressed (DOMAIN.md section 3); 0 is published. */
export const isPrimarySuppressed = (count: number): boolean => count >= 1 && count <= 5;

interface Cell {
  row: number;
  column: number;
  value: number;
}

/**
 * The cells of a table with its totals as one closed table: row `rows` holds the column totals,
 * column `columns` the row totals, and their corner the grand total. Every line (row or
 * column) then sums to its total, which is what someone recovering a cell would use.
 */
function toClosedTable(counts: readonly (readonly number[])[]): number[][] {
  const columns = counts[0]?.length ?? 0;
  const closed = counts.map((row) => [...row, row.reduce((sum, value) => sum + value, 0)]);
  const totals = Array.from({ length: columns + 1 }, (_unused, column) =>
    closed.reduce((sum, row) => sum + (row[column] ?? 0), 0),
  );
  return [...closed, totals];
}

/**
 * The suppressed cells whose value can be worked out from the published table. Each line of
 * the closed table is one linear equation; a suppressed cell is an edge between its row and
 * its column, and it is determined exactly when that edge is a bridge (on no cycle of
 * suppressed cells), so this finds bridges.
 */
function findRecoverable(suppressed: readonly Cell[], rows: number): Cell[] {
  // nodes: rows 0..rows-1, then columns offset by rows
  const adjacency = new Map<number, { to: number; edge: number }[]>();
  suppressed.forEach((cell, edge) => {
    const a = cell.row;
    const b = rows + cell.column;
    adjacency.set(a, [...(adjacency.get(a) ?? []), { to: b, edge }]);
    adjacency.set(b, [...(adjacency.get(b) ?? []), { to: a, edge }]);
  });
  const order = new Map<number, number>();
  const low = new Map<number, number>();
  const bridges: Cell[] = [];
  let counter = 0;
  const visit = (node: number, viaEdge: number): void => {
    order.set(node, counter);
    low.set(node, counter);
    counter += 1;
    for (const { to, edge } of adjacency.get(node) ?? []) {
      if (edge === viaEdge) continue;
      if (!order.has(to)) {
        visit(to, edge);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
        if ((low.get(to) ?? 0) > (order.get(node) ?? 0)) bridges.push(suppressed[edge] as Cell);
      } else {
        low.set(node, Math.min(low.get(node) ?? 0, order.get(to) ?? 0));
      }
    }
  };
  for (const node of adjacency.keys()) if (!order.has(node)) visit(node, -1);
  return bridges;
}

/** Cells to hide whatever their value, because another published table hides the same figure. */
export interface SuppressTableOptions {
  /** Row totals to hide, by row index. */
  hideRowTotals?: ReadonlySet<number>;
  hideGrandTotal?: boolean;
}

/**
 * Suppresses a table of counts for publication: every count from 1 to 5 (totals included) is
 * shown as `c`, and then further cells, the smallest first, until no suppressed cell can be
 * worked out from the row, column and grand totals and the published cells.
 */
export function suppressTable(
  counts: readonly (readonly number[])[],
  options: SuppressTableOptions = {},
): SuppressedTable {
  const closed = toClosedTable(counts);
  const rows = closed.length;
  const inner = counts.length;
  const columns = counts[0]?.length ?? 0;
  const hidden = closed.map((row, r) =>
    row.map(
      (value, column) =>
        isPrimarySuppressed(value) ||
        (column === columns &&
          (r === inner ? options.hideGrandTotal === true : options.hideRowTotals?.has(r) === true)),
    ),
  );
  const cellsOf = (): Cell[] =>
    closed.flatMap((row, r) =>
      row.flatMap((value, column) => (hidden[r]?.[column] ? [{ row: r, column, value }] : [])),
    );
  for (let recoverable = findRecoverable(cellsOf(), rows); recoverable.length > 0;) {
    const bridge = recoverable[0] as Cell;
    const corners = cheapestRectangle(bridge, closed, hidden);
    if (corners.length === 0) break; // no rectangle left to complete: every cell is hidden
    for (const cell of corners) (hidden[cell.row] as boolean[])[cell.column] = true;
    recoverable = findRecoverable(cellsOf(), rows);
  }
  const publish = (r: number, column: number): PublishedCell =>
    hidden[r]?.[column] ? 'c' : (closed[r]?.[column] ?? 0);
  return {
    cells: counts.map((row, r) => row.map((_value, column) => publish(r, column))),
    rowTotals: counts.map((_row, r) => publish(r, columns)),
    columnTotals: Array.from({ length: columns }, (_unused, column) => publish(inner, column)),
    grandTotal: publish(inner, columns),
  };
}

/**
 * The other three corners of the rectangle through `bridge` that costs least to hide: hiding
 * them puts the bridge on a cycle of suppressed cells, so it can no longer be worked out.
 * Cost is what a reader loses: the counts newly hidden, with totals and zeros weighed heavily.
 */
function cheapestRectangle(
  bridge: Cell,
  closed: readonly number[][],
  hidden: readonly boolean[][],
): Cell[] {
  const lastRow = closed.length - 1;
  const lastColumn = (closed[0]?.length ?? 1) - 1;
  const cost = (row: number, column: number): number => {
    if (hidden[row]?.[column]) return 0;
    const value = closed[row]?.[column] ?? 0;
    const isTotal = row === lastRow || column === lastColumn;
    // a hidden 0 protects little: with it, the hidden cells' sum is the small count itself
    return (isTotal ? 1_000_000 : 0) + (value === 0 ? 1000 : value) + 1;
  };
  let best: { cost: number; cells: Cell[] } | undefined;
  for (let row = 0; row <= lastRow; row += 1) {
    if (row === bridge.row) continue;
    for (let column = 0; column <= lastColumn; column += 1) {
      if (column === bridge.column) continue;
      const cells = [
        { row: bridge.row, column },
        { row, column: bridge.column },
        { row, column },
      ];
      const total = cells.reduce((sum, cell) => sum + cost(cell.row, cell.column), 0);
      if (best === undefined || total < best.cost)
        best = {
          cost: total,
          cells: cells.map((cell) => ({ ...cell, value: closed[cell.row]?.[cell.column] ?? 0 })),
        };
    }
  }
  return (best?.cells ?? []).filter((cell) => !hidden[cell.row]?.[cell.column]);
}
