import { stringify } from 'csv-stringify/sync';
import type { StatisticCell, StatisticsTable } from './workforce-tables.js';

/** A figure as a CSV file and a page show it: whole counts, one decimal place otherwise. */
export function formatStatistic(cell: StatisticCell): string {
  if (typeof cell.value !== 'number') return cell.value;
  return cell.kind === 'count' ? String(cell.value) : cell.value.toFixed(1);
}

// a cell a spreadsheet would run as a formula (authority names come from the database)
const formulaStart = /^[=+@\t\r-]/;

/**
 * A published table as CSV: its row header and columns, then one line per row, with `c` for a
 * suppressed figure, `z` where it does not apply and `x` where it is not available.
 */
export function toStatisticsCsv(table: StatisticsTable): string {
  const safe = (text: string) => (formulaStart.test(text) ? `'${text}` : text);
  return stringify(
    [
      [table.rowHeader, ...table.columns].map(safe),
      ...table.rows.map((row) => [safe(row.label), ...row.cells.map(formatStatistic)]),
    ],
    { record_delimiter: '\r\n' },
  );
}
