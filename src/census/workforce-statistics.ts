import { ageOn, type CensusYear } from './census-year.js';
import { isPrimarySuppressed, suppressTable, type PublishedCell } from './suppress-table.js';
import type { LaLevelVacancies } from './to-csww-xml.js';
import type { CensusRecord } from './to-census-record.js';

/** A published figure: a number to at most one decimal place, or `c` where it is suppressed. */
export type PublishedFigure = number | 'c';

/** The headline workforce figures of one return, or of all returns together. */
export interface WorkforceHeadlines {
  /** Social workers employed by the authority in post at 30 September. */
  inPostHeadcount: PublishedFigure;
  inPostFte: PublishedFigure;
  starters: PublishedFigure;
  leavers: PublishedFigure;
  /** Leavers as a percentage of those in post at 30 September (headcount). */
  turnoverRate: PublishedFigure;
  agencyHeadcount: PublishedFigure;
  agencyFte: PublishedFigure;
  /** Agency FTE as a percentage of all FTE in post. */
  agencyRate: PublishedFigure;
  vacanciesFte: number;
  /** Vacancies as a percentage of vacancies and FTE in post. */
  vacancyRate: number;
  /** Cases held at 30 September per case holder (role 5) with a caseload. */
  averageCaseload: PublishedFigure;
  /** Working days lost to sickness per FTE in post. */
  daysLostPerFte: PublishedFigure;
  absentAt30September: PublishedFigure;
}

/** A breakdown of those in post by one characteristic, suppressed as a table. */
export interface WorkforceBreakdown {
  title: string;
  labels: string[];
  counts: PublishedCell[];
  total: PublishedCell;
}

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;

/** A count as published: `c` when it is from 1 to 5. */
function toCount(count: number): PublishedFigure {
  return isPrimarySuppressed(count) ? 'c' : count;
}

/** A rate whose numerator or denominator count is suppressed would give that count away. */
function toRate(
  numerator: number,
  denominator: number,
  counts: readonly number[],
): PublishedFigure {
  if (counts.some(isPrimarySuppressed)) return 'c';
  return denominator === 0 ? 0 : oneDecimal((numerator / denominator) * 100);
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const numberOf = (value: string | number | undefined): number =>
  typeof value === 'number' ? value : 0;

function isWithin(date: string | number | undefined, year: CensusYear): boolean {
  return typeof date === 'string' && date >= year.start && date <= year.referenceDate;
}

/**
 * The headline figures of the workforce census (DOMAIN.md section 4.5) from worker records:
 * counts from 1 to 5 are `c`, and so is any rate that would give one of them away; rates and
 * FTEs are to one decimal place.
 */
export function toWorkforceHeadlines(
  records: readonly CensusRecord[],
  vacancies: LaLevelVacancies,
  year: CensusYear,
): WorkforceHeadlines {
  const employed = records.filter((record) => record.AgencyWorker === 0);
  const inPost = employed.filter((record) => record.RoleEndDate === undefined);
  const agency = records.filter(
    (record) => record.AgencyWorker === 1 && record.RoleEndDate === undefined,
  );
  const starters = employed.filter((record) => isWithin(record.RoleStartDate, year));
  const leavers = employed.filter((record) => isWithin(record.RoleEndDate, year));
  const inPostFte = sum(inPost.map((record) => numberOf(record.FTE30)));
  const agencyFte = sum(agency.map((record) => numberOf(record.FTE)));
  const caseHolders = inPost.filter(
    (record) => record.OrgRole === 5 && typeof record.Cases30 === 'number',
  );
  const absent = inPost.filter((record) => record.Absat30Sept === 1).length;
  const small = (count: number) => isPrimarySuppressed(count);
  return {
    inPostHeadcount: toCount(inPost.length),
    inPostFte: small(inPost.length) ? 'c' : oneDecimal(inPostFte),
    starters: toCount(starters.length),
    leavers: toCount(leavers.length),
    turnoverRate: toRate(leavers.length, inPost.length, [leavers.length, inPost.length]),
    agencyHeadcount: toCount(agency.length),
    agencyFte: small(agency.length) ? 'c' : oneDecimal(agencyFte),
    agencyRate: toRate(agencyFte, agencyFte + inPostFte, [agency.length, inPost.length]),
    vacanciesFte: oneDecimal(vacancies.numberOfVacancies),
    vacancyRate:
      vacancies.numberOfVacancies + inPostFte === 0
        ? 0
        : oneDecimal(
            (vacancies.numberOfVacancies / (vacancies.numberOfVacancies + inPostFte)) * 100,
          ),
    averageCaseload: small(caseHolders.length)
      ? 'c'
      : caseHolders.length === 0
        ? 0
        : oneDecimal(sum(caseHolders.map((r) => numberOf(r.Cases30))) / caseHolders.length),
    daysLostPerFte:
      small(inPost.length) || inPostFte === 0
        ? small(inPost.length)
          ? 'c'
          : 0
        : oneDecimal(sum(inPost.map((r) => numberOf(r.WorkingDaysLost))) / inPostFte),
    absentAt30September: toCount(absent),
  };
}

/** Age bands DfE publishes for social workers in post. */
const ageBands: readonly [string, number, number][] = [
  ['Under 30', 0, 29],
  ['30 to 39', 30, 39],
  ['40 to 49', 40, 49],
  ['50 to 59', 50, 59],
  ['60 and over', 60, 200],
];

/**
 * Those in post broken down by a characteristic into labelled groups, suppressed with
 * {@link suppressTable} so no group can be worked out from the total.
 */
export function toBreakdown(
  title: string,
  records: readonly CensusRecord[],
  labels: readonly string[],
  groupOf: (record: CensusRecord) => string | undefined,
): WorkforceBreakdown {
  const counts = labels.map(() => 0);
  for (const record of records) {
    const index = labels.indexOf(groupOf(record) ?? '');
    if (index >= 0) counts[index] = (counts[index] ?? 0) + 1;
  }
  // one row: the breakdown's cells and its total
  const table = suppressTable([counts]);
  return {
    title,
    labels: [...labels],
    counts: table.cells[0] ?? [],
    total: table.rowTotals[0] ?? 'c',
  };
}

/** Those in post by age band on 30 September. */
export function toAgeBreakdown(
  records: readonly CensusRecord[],
  year: CensusYear,
): WorkforceBreakdown {
  return toBreakdown(
    'Age on 30 September',
    records,
    ageBands.map(([label]) => label),
    (record) => {
      if (typeof record.PersonBirthDate !== 'string') return undefined;
      const age = ageOn(record.PersonBirthDate, year.referenceDate);
      return ageBands.find(([, low, high]) => age >= low && age <= high)?.[0];
    },
  );
}
