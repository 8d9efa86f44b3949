import { escapeHtml } from '../../forms/fields/escape-html.js';
import { formatStatistic } from '../../census/to-statistics-csv.js';
import type { StatisticCell, StatisticsTable } from '../../census/workforce-tables.js';

const meanings: Readonly<Record<string, string>> = {
  c: 'suppressed',
  z: 'not applicable',
  x: 'not available',
};

/** A figure in words for the chart: the number, or its letter and what the letter means. */
export function describeStatistic(cell: StatisticCell): string {
  const text = formatStatistic(cell);
  return typeof cell.value === 'number' ? text : `${text} (${meanings[cell.value] ?? ''})`;
}

const width = 320;
const rowHeight = 46;
const labelWidth = 0;
const barRight = 250;

/**
 * A horizontal bar chart of one column of a published table, as inline SVG. It has the role
 * `img`, a title and a description that reads every figure, so the chart says nothing the
 * table beside it does not; each bar carries its figure as text, never colour alone, and a
 * suppressed figure draws no bar but its letter.
 */
export function toBarChart(table: StatisticsTable, idPrefix: string): string {
  const rowIndexes =
    table.chart.rows ?? table.rows.flatMap((row, index) => (row.isTotal ? [] : [index]));
  const items = rowIndexes.flatMap((index) => {
    const row = table.rows[index];
    const cell = row?.cells[table.chart.column];
    return row && cell ? [{ label: row.label, cell }] : [];
  });
  const numbers = items.map(({ cell }) => (typeof cell.value === 'number' ? cell.value : 0));
  const largest = table.chart.unit === '%' ? 100 : Math.max(1, ...numbers);
  const height = items.length * rowHeight + 8;
  const titleId = `${idPrefix}-chart-title`;
  const descId = `${idPrefix}-chart-desc`;
  const description = `Bar chart of ${table.columns[table.chart.column] ?? ''} (${table.chart.unit}): ${items
    .map(({ label, cell }) => `${label}, ${describeStatistic(cell)}`)
    .join('; ')}. The same figures are in the table.`;
  const bars = items.map(({ label, cell }, i) => {
    const y = i * rowHeight;
    const value = typeof cell.value === 'number' ? cell.value : 0;
    const length =
      typeof cell.value === 'number' ? Math.max(1, ((barRight - labelWidth) * value) / largest) : 0;
    const shown = typeof cell.value === 'number' ? formatStatistic(cell) : describeStatistic(cell);
    return [
      `<text x="0" y="${String(y + 16)}" class="formwork-chart__label">${escapeHtml(label)}</text>`,
      length > 0
        ? `<rect x="0" y="${String(y + 22)}" width="${length.toFixed(1)}" height="16" class="formwork-chart__bar"></rect>`
        : `<line x1="0" x2="0" y1="${String(y + 22)}" y2="${String(y + 38)}" class="formwork-chart__axis"></line>`,
      `<text x="${(length + 6).toFixed(1)}" y="${String(y + 35)}" class="formwork-chart__value">${escapeHtml(shown)}</text>`,
    ].join('');
  });
  return [
    `<svg class="formwork-chart" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${String(width)} ${String(height)}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escapeHtml(`Chart: ${table.title}`)}</title>`,
    `<desc id="${descId}">${escapeHtml(description)}</desc>`,
    ...bars,
    '</svg>',
  ].join('');
}
