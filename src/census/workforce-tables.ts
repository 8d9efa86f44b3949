import type { CensusAuthority, CensusReturnFigures } from './census-record-source.js';
import type { CensusYear } from './census-year.js';
import { isPrimarySuppressed, suppressTable } from './suppress-table.js';
import {
  addMeasures,
  characteristics,
  emptyMeasures,
  toWorkforceMeasures,
  type Characteristic,
  type WorkforceMeasures,
} from './workforce-measures.js';

/**
 * A published figure: a number, `c` (suppressed to protect confidentiality), `z` (not
 * applicable, such as a rate of nothing) or `x` (not available in the returns).
 */
export type StatisticValue = number | 'c' | 'z' | 'x';

/** How a figure is shown: counts whole, everything else to one decimal place. */
export type StatisticKind = 'count' | 'fte' | 'rate' | 'average' | 'days';

/** One published cell. */
export interface StatisticCell {
  value: StatisticValue;
  kind: StatisticKind;
}

/** One row of a published table. */
export interface StatisticsRow {
  label: string;
  cells: StatisticCell[];
  /** The row of all authorities together, or a characteristic's total. */
  isTotal?: boolean;
}

/** A published table, as the page, its chart and its CSV file show it. */
export interface StatisticsTable {
  /** In the CSV file's name and the page's anchors: `headlines`, `gender`, … */
  id: string;
  title: string;
  rowHeader: string;
  columns: string[];
  rows: StatisticsRow[];
  /** What the chart draws: this column of the rows that are not totals, or these rows. */
  chart: { column: number; rows?: number[]; unit: string };
}

/** Every published table of one census year. */
export interface WorkforceStatistics {
  year: CensusYear;
  authorities: CensusAuthority[];
  /** All authorities together: headlines, then each characteristic. */
  national: StatisticsTable[];
  /** The national figures by authority. */
  byAuthority: StatisticsTable;
  /** Each authority's tables, by LA code, in the same order as `national`. */
  authority: ReadonlyMap<string, StatisticsTable[]>;
}

/** Working days in a year, to turn days lost into an absence rate. */
export const workingDaysPerFte = 253;

/** Which published cells of one area (an authority, or all of them) are suppressed. */
interface Hidden {
  inPost: boolean;
  starters: boolean;
  leavers: boolean;
  agency: boolean;
  absent: boolean;
  groups: Record<Characteristic['id'], boolean[]>;
}

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;

/**
 * The areas of one count that are hidden: counts from 1 to 5, plus `forced`; and when exactly
 * one figure would then be hidden, the next smallest, so the total cannot give it back.
 * Index `values.length` is the total of all authorities.
 */
function suppressColumn(values: readonly number[], forced: ReadonlySet<number> = new Set()) {
  const total = values.reduce((a, b) => a + b, 0);
  const all = [...values, total];
  const hidden = new Set<number>(forced);
  all.forEach((value, index) => {
    if (isPrimarySuppressed(value)) hidden.add(index);
  });
  if (hidden.size === 1) {
    // the cheapest other figure to hide: the smallest count above 0, then any
    const candidates = values
      .map((value, index) => ({ value, index }))
      .filter(({ index }) => !hidden.has(index))
      .sort((a, b) => (a.value === 0 ? 1 : 0) - (b.value === 0 ? 1 : 0) || a.value - b.value);
    const next = candidates[0];
    hidden.add(next ? next.index : values.length);
  }
  return hidden;
}

/**
 * Suppresses every count of every area together, so that what one page hides no other page or
 * total gives back: each characteristic is one table of authorities by groups whose row
 * totals are the authorities' headcounts, hidden alike in every table and in the headlines.
 */
function suppressAll(measures: readonly WorkforceMeasures[]): Hidden[] {
  const n = measures.length;
  const column = (pick: (m: WorkforceMeasures) => number) => suppressColumn(measures.map(pick));
  let inPost = column((m) => m.inPost);
  let groups = new Map<Characteristic['id'], ReturnType<typeof suppressTable>>();
  for (let round = 0; round < 20; round += 1) {
    groups = new Map(
      characteristics.map((characteristic) => [
        characteristic.id,
        suppressTable(
          measures.map((m) => m.groups[characteristic.id]),
          { hideRowTotals: inPost, hideGrandTotal: inPost.has(n) },
        ),
      ]),
    );
    const union = new Set(inPost);
    for (const table of groups.values()) {
      table.rowTotals.forEach((cell, r) => cell === 'c' && union.add(r));
      if (table.grandTotal === 'c') union.add(n);
    }
    const next = suppressColumn(
      measures.map((m) => m.inPost),
      union,
    );
    if (next.size === inPost.size) break;
    inPost = next;
  }
  const starters = column((m) => m.starters);
  const leavers = column((m) => m.leavers);
  const agency = column((m) => m.agency);
  const absent = column((m) => m.absent);
  return Array.from({ length: n + 1 }, (_unused, area) => ({
    inPost: inPost.has(area),
    starters: starters.has(area),
    leavers: leavers.has(area),
    agency: agency.has(area),
    absent: absent.has(area),
    groups: Object.fromEntries(
      characteristics.map((characteristic) => {
        const table = groups.get(characteristic.id);
        const row = area < n ? table?.cells[area] : table?.columnTotals;
        return [characteristic.id, (row ?? []).map((cell) => cell === 'c')];
      }),
    ) as Hidden['groups'],
  }));
}

const count = (value: number, hidden: boolean): StatisticCell => ({
  value: hidden ? 'c' : value,
  kind: 'count',
});
const decimal = (kind: StatisticKind, value: number, hidden: boolean): StatisticCell => ({
  value: hidden ? 'c' : oneDecimal(value),
  kind,
});
/** A percentage: `z` when there is nothing to take it of, `c` when it would give a count away. */
const rate = (numerator: number, denominator: number, hidden: boolean): StatisticCell => ({
  value: hidden ? 'c' : denominator === 0 ? 'z' : oneDecimal((numerator / denominator) * 100),
  kind: 'rate',
});

/** The headline figures of one area as cells, in {@link headlineLabels} order. */
function toHeadlineCells(m: WorkforceMeasures, hidden: Hidden): StatisticCell[] {
  const people = hidden.inPost;
  const caseload: StatisticCell =
    m.caseHolderRole === 0
      ? { value: 'z', kind: 'average' }
      : m.caseHolders === 0
        ? { value: 'x', kind: 'average' }
        : decimal('average', m.cases / m.caseHolders, isPrimarySuppressed(m.caseHolders));
  return [
    count(m.inPost, people),
    decimal('fte', m.inPostFte, people),
    count(m.starters, hidden.starters),
    count(m.leavers, hidden.leavers),
    rate(m.leavers, m.inPost, hidden.leavers || people),
    count(m.agency, hidden.agency),
    decimal('fte', m.agencyFte, hidden.agency),
    rate(m.agencyFte, m.agencyFte + m.inPostFte, hidden.agency || people),
    decimal('fte', m.vacanciesFte, false),
    // with the vacancies published, the rate would give the FTE in post away
    rate(m.vacanciesFte, m.vacanciesFte + m.inPostFte, people),
    caseload,
    decimal('days', m.daysLost, people),
    m.inPostFte === 0 && !people
      ? { value: 'z', kind: 'days' }
      : decimal('days', m.inPostFte === 0 ? 0 : m.daysLost / m.inPostFte, people),
    rate(m.daysLost, m.inPostFte * workingDaysPerFte, people),
    count(m.absent, hidden.absent),
  ];
}

/** The headline figures, in the order the tables show them. */
export const headlineLabels: readonly string[] = [
  'Social workers in post (headcount)',
  'Social workers in post (FTE)',
  'Starters in the year (headcount)',
  'Leavers in the year (headcount)',
  'Turnover rate (%)',
  'Agency workers in post (headcount)',
  'Agency workers in post (FTE)',
  'Agency share of FTE (%)',
  'Vacancies (FTE)',
  'Vacancy rate (%)',
  'Average caseload of case holders',
  'Working days lost to sickness',
  'Working days lost per FTE',
  'Absence rate (%)',
  'Absent on 30 September (headcount)',
];

// the headline rows the chart draws: every percentage
const rateRows = [4, 7, 9, 13];

function toAreaTables(
  areaName: string,
  m: WorkforceMeasures,
  hidden: Hidden,
  idPrefix = '',
): StatisticsTable[] {
  const headlines: StatisticsTable = {
    id: `${idPrefix}headlines`,
    title: `Workforce figures, ${areaName}`,
    rowHeader: 'Measure',
    columns: [areaName],
    rows: toHeadlineCells(m, hidden).map((cell, i) => ({
      label: headlineLabels[i] ?? '',
      cells: [cell],
    })),
    chart: { column: 0, rows: rateRows, unit: '%' },
  };
  return [
    headlines,
    ...characteristics.map((characteristic) => {
      const counts = m.groups[characteristic.id];
      const groupsHidden = hidden.groups[characteristic.id];
      return {
        id: `${idPrefix}${characteristic.id}`,
        title: `Social workers in post by ${characteristic.phrase}, ${areaName}`,
        rowHeader: characteristic.title,
        columns: ['Social workers in post (headcount)'],
        rows: [
          ...characteristic.groups.map((group, i) => ({
            label: group,
            cells: [count(counts[i] ?? 0, groupsHidden[i] ?? true)],
          })),
          { label: 'Total', cells: [count(m.inPost, hidden.inPost)], isTotal: true },
        ],
        chart: { column: 0, unit: 'social workers' },
      };
    }),
  ];
}

/** The name of all authorities together in the tables. */
export const nationalName = 'All local authorities';

/**
 * Every published table of a census year from its counted returns. Counts from 1 to 5 are `c`;
 * further counts are hidden so that no suppressed figure can be worked out from any other
 * published figure or total, across the national page and every authority's page; FTEs,
 * averages and rates are to one decimal place and are `c` when they would give a hidden count
 * away.
 */
export function toWorkforceStatistics(
  returns: readonly CensusReturnFigures[],
  year: CensusYear,
): WorkforceStatistics {
  const sorted = [...returns].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  const measures = sorted.map((figures) =>
    toWorkforceMeasures(figures.records, figures.vacancies, year),
  );
  const national = measures.reduce(addMeasures, emptyMeasures());
  const hidden = suppressAll(measures);
  const nationalHidden = hidden[measures.length] as Hidden;
  const authority = new Map<string, StatisticsTable[]>();
  sorted.forEach((figures, i) => {
    authority.set(
      figures.laCode,
      toAreaTables(figures.name, measures[i] as WorkforceMeasures, hidden[i] as Hidden),
    );
  });
  const byAuthorityColumns = [0, 1, 3, 4, 7, 9, 10, 13];
  const pick = (cells: StatisticCell[]) => byAuthorityColumns.map((i) => cells[i] as StatisticCell);
  return {
    year,
    authorities: sorted.map(({ laCode, name }) => ({ laCode, name })),
    national: toAreaTables(nationalName, national, nationalHidden),
    byAuthority: {
      id: 'by-authority',
      title: 'Workforce figures by local authority',
      rowHeader: 'Local authority',
      columns: byAuthorityColumns.map((i) => headlineLabels[i] ?? ''),
      rows: [
        ...sorted.map((figures, i) => ({
          label: figures.name,
          cells: pick(toHeadlineCells(measures[i] as WorkforceMeasures, hidden[i] as Hidden)),
        })),
        {
          label: nationalName,
          cells: pick(toHeadlineCells(national, nationalHidden)),
          isTotal: true,
        },
      ],
      chart: { column: 0, unit: 'social workers' },
    },
    authority,
  };
}
