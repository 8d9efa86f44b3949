import { formatStatistic } from '../../census/to-statistics-csv.js';
import type { StatisticCell, StatisticsTable } from '../../census/workforce-tables.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import type { RenderComponent } from '../../render/view-renderer.js';
import { toBarChart } from './to-bar-chart.js';

/** What views/pages/statistics/statistics-table.ejs shows of one published table. */
export interface StatisticsTableView {
  id: string;
  title: string;
  chartSvg: string;
  csvHref: string;
  /** The GOV.UK table, rendered once: it is the same for every reader. */
  tableHtml: string;
}

const letterMeanings: Readonly<Record<string, string>> = {
  c: 'suppressed',
  z: 'not applicable',
  x: 'not available',
};

function toCellHtml(cell: StatisticCell): string {
  const text = escapeHtml(
    typeof cell.value === 'number' && cell.kind === 'count'
      ? cell.value.toLocaleString('en-GB')
      : formatStatistic(cell),
  );
  return typeof cell.value === 'number'
    ? text
    : `${text}<span class="govuk-visually-hidden"> (${letterMeanings[cell.value] ?? ''})</span>`;
}

/** A published table as a GOV.UK table with its chart and CSV link. */
export function toTableView(
  table: StatisticsTable,
  csvHref: string,
  component: RenderComponent,
): StatisticsTableView {
  return {
    id: table.id,
    title: table.title,
    chartSvg: toBarChart(table, table.id),
    csvHref,
    tableHtml: component('table', {
      caption: table.title,
      // the section's heading shows the title; the caption names the table for screen readers
      captionClasses: 'govuk-visually-hidden',
      firstCellIsHeader: true,
      classes: 'formwork-statistics-table',
      head: [
        { text: table.rowHeader },
        ...table.columns.map((column) => ({ text: column, format: 'numeric' })),
      ],
      rows: table.rows.map((row) => [
        { text: row.label, classes: row.isTotal ? 'formwork-statistics-table__total' : undefined },
        ...row.cells.map((cell) => ({
          html: toCellHtml(cell),
          format: 'numeric',
          classes: row.isTotal ? 'formwork-statistics-table__total' : undefined,
        })),
      ]),
    }),
  };
}
