import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { CensusReturnFigures } from '../../src/census/census-record-source.js';
import { toCensusYear } from '../../src/census/census-year.js';
import type { CensusRecord } from '../../src/census/to-census-record.js';
import { toStatisticsCsv } from '../../src/census/to-statistics-csv.js';
import { characteristics } from '../../src/census/workforce-measures.js';
import {
  headlineLabels,
  nationalName,
  toWorkforceStatistics,
  type StatisticsTable,
} from '../../src/census/workforce-tables.js';
import { recoverableUnknowns, type Equation } from './recoverable-unknowns.js';

const year = toCensusYear(2026);
const [headcount, fte, starters, leavers, turnover, agency, agencyFte, agencyShare] =
  headlineLabels as [string, string, string, string, string, string, string, string];
const [vacancies, vacancyRate, , daysLost, daysPerFte, absenceRate, absent] = headlineLabels.slice(
  8,
) as [string, string, string, string, string, string, string];

const worker = fc.record({
  kind: fc.constantFrom('employee', 'employee', 'employee', 'leaver', 'agency'),
  starter: fc.boolean(),
  gender: fc.constantFrom(1, 2, 2, 9),
  ethnicity: fc.constantFrom('WBRI', 'WBRI', 'MWBC', 'AIND', 'BAFR', 'CHNE', 'REFU'),
  birthYear: fc.integer({ min: 1950, max: 2004 }),
  role: fc.integer({ min: 1, max: 6 }),
  fte: fc.constantFrom(0.5, 0.8, 1),
  days: fc.constantFrom(0, 0, 3, 10.5),
  absent: fc.boolean(),
  cases: fc.integer({ min: 0, max: 30 }),
});
type Worker = typeof worker extends fc.Arbitrary<infer T> ? T : never;

function toRecord(spec: Worker, serial: number): CensusRecord {
  const swe = `SW${String(serial)}`;
  if (spec.kind === 'agency') return { AgencyWorker: 1, SWENo: swe, FTE: spec.fte };
  const leaver = spec.kind === 'leaver';
  return {
    AgencyWorker: 0,
    SWENo: swe,
    FTE: leaver ? 0 : spec.fte,
    FTE30: leaver ? 0 : spec.fte,
    PersonBirthDate: `${String(spec.birthYear)}-06-15`,
    GenderCurrent: spec.gender,
    Ethnicity: spec.ethnicity,
    OrgRole: spec.role,
    RoleStartDate: spec.starter ? '2026-03-01' : '2018-03-01',
    ...(leaver ? { RoleEndDate: '2026-07-31', ReasonLeave: 1, LeaverDestination: 3 } : {}),
    ...(!leaver && spec.role === 5 ? { Cases30: spec.cases } : {}),
    WorkingDaysLost: spec.days,
    Absat30Sept: spec.absent && !leaver ? 1 : 0,
  };
}

const returnsArbitrary = fc
  .array(
    fc.record({
      // small authorities make small counts common; some are large enough to publish
      workers: fc.oneof(
        fc.array(worker, { maxLength: 12 }),
        fc.array(worker, { minLength: 20, maxLength: 60 }),
      ),
      vacancies: fc.integer({ min: 0, max: 9 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((authorities): CensusReturnFigures[] => {
    let serial = 100_000;
    return authorities.map((authority, i) => ({
      laCode: String(300 + i),
      name: `Authority ${String.fromCharCode(65 + i)}`,
      year: 2026,
      vacancies: { numberOfVacancies: authority.vacancies, agencyFte: 0, agencyHeadcount: 0 },
      records: authority.workers.map((spec) => toRecord(spec, (serial += 1))),
    }));
  });

/** The rows of a CSV file. */
function readCsv(text: string): string[][] {
  const rows: string[][] = parse(text);
  return rows;
}

/** Every figure published for a year, read back from the CSV files as downloaded. */
function readPublished(returns: readonly CensusReturnFigures[]): Map<string, string> {
  const statistics = toWorkforceStatistics(returns, year);
  const published = new Map<string, string>();
  const put = (key: string, value: string) => {
    const before = published.get(key);
    // one figure published twice must read the same, or one copy gives the other away
    if (before !== undefined) assert.equal(value, before, `${key} is published as both`);
    published.set(key, value);
  };
  const readArea = (area: string, tables: readonly StatisticsTable[]) => {
    for (const table of tables) {
      const [, ...rows] = readCsv(toStatisticsCsv(table));
      for (const [label = '', value = ''] of rows) {
        if (table.id === 'headlines') put(`${label}|${area}`, value);
        else if (label === 'Total') put(`${headcount}|${area}`, value);
        else put(`${table.id}:${label}|${area}`, value);
      }
    }
  };
  readArea(nationalName, statistics.national);
  for (const { laCode, name } of statistics.authorities)
    readArea(name, statistics.authority.get(laCode) ?? []);
  const [header = [], ...rows] = readCsv(toStatisticsCsv(statistics.byAuthority));
  for (const [area = '', ...values] of rows)
    values.forEach((value, i) => {
      put(`${header[i + 1] ?? ''}|${area}`, value);
    });
  return published;
}

/** True for a figure that counts people: a headcount, or a group of a characteristic. */
const isCount = (key: string) => key.includes('headcount') || key.includes(':');

/** What a reader knows of how the published figures add up. */
function toEquations(areas: readonly string[]): Equation[] {
  const equations: Equation[] = [];
  for (const measure of [
    headcount,
    fte,
    starters,
    leavers,
    agency,
    agencyFte,
    vacancies,
    daysLost,
    absent,
  ])
    equations.push([
      ...areas.map((area) => [`${measure}|${area}`, 1] as const),
      [`${measure}|${nationalName}`, -1],
    ]);
  for (const characteristic of characteristics) {
    const key = (group: string, area: string) => `${characteristic.id}:${group}|${area}`;
    for (const area of [...areas, nationalName])
      equations.push([
        ...characteristic.groups.map((group) => [key(group, area), 1] as const),
        [`${headcount}|${area}`, -1],
      ]);
    for (const group of characteristic.groups)
      equations.push([
        ...areas.map((area) => [key(group, area), 1] as const),
        [key(group, nationalName), -1],
      ]);
  }
  return equations;
}

describe('The published workforce statistics', () => {
  it('leave no suppressed figure that can be worked out from the other figures and totals of every page', () => {
    fc.assert(
      fc.property(returnsArbitrary, (returns) => {
        const published = readPublished(returns);
        const known = new Set([...published].filter(([, v]) => v !== 'c').map(([k]) => k));
        const equations = toEquations(returns.map((r) => r.name));
        const values = new Map(
          [...published].flatMap(([key, value]) =>
            /^\d+$/.test(value) && isCount(key) ? [[key, Number(value)] as const] : [],
          ),
        );
        // hidden counts that must be 0 are given away; a sum of days lost that is 0 says
        // nothing about how many people there are
        assert.deepEqual(recoverableUnknowns(equations, known, values), []);
      }),
      { numRuns: 300 },
    );
  });

  it('show every count from 1 to 5 as c, totals included', () => {
    fc.assert(
      fc.property(returnsArbitrary, (returns) => {
        const published = readPublished(returns);
        const inPost = (r: CensusReturnFigures) =>
          r.records.filter((x) => x.AgencyWorker === 0 && x.RoleEndDate === undefined);
        const areas = [
          ...returns.map((r) => ({ name: r.name, people: inPost(r) })),
          { name: nationalName, people: returns.flatMap(inPost) },
        ];
        for (const { name, people } of areas) {
          const checks: [string, number][] = [
            [`${headcount}|${name}`, people.length],
            [`gender:Female|${name}`, people.filter((x) => x.GenderCurrent === 2).length],
            [`gender:Male|${name}`, people.filter((x) => x.GenderCurrent === 1).length],
          ];
          for (const [key, truth] of checks) {
            const shown = published.get(key);
            if (truth >= 1 && truth <= 5) assert.equal(shown, 'c', key);
            else if (shown !== 'c') assert.equal(shown, String(truth), key);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('suppress every FTE, sum and rate that would give a suppressed count away', () => {
    const dependsOn: [string, string[]][] = [
      [fte, [headcount]],
      [turnover, [leavers, headcount]],
      [agencyFte, [agency]],
      [agencyShare, [agency, headcount]],
      [vacancyRate, [fte]],
      [daysLost, [headcount]],
      [daysPerFte, [fte, daysLost]],
      [absenceRate, [fte, daysLost]],
    ];
    fc.assert(
      fc.property(returnsArbitrary, (returns) => {
        const published = readPublished(returns);
        for (const area of [...returns.map((r) => r.name), nationalName])
          for (const [figure, counts] of dependsOn)
            if (counts.some((c) => published.get(`${c}|${area}`) === 'c'))
              assert.equal(published.get(`${figure}|${area}`), 'c', `${figure}|${area}`);
      }),
      { numRuns: 200 },
    );
  });

  it('publish rates and FTEs to one decimal place and counts whole', () => {
    fc.assert(
      fc.property(returnsArbitrary, (returns) => {
        for (const [key, value] of readPublished(returns)) {
          if (['c', 'z', 'x'].includes(value)) continue;
          const label = key.split('|')[0] ?? '';
          const isCount = label.includes('headcount') || label.includes(':');
          assert.match(value, isCount ? /^\d+$/ : /^\d+\.\d$/, key);
        }
      }),
      { numRuns: 100 },
    );
  });
});
