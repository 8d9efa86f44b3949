import assert from 'node:assert/strict';
import { toCensusYear } from '../../src/census/census-year.js';
import type { CensusRecord } from '../../src/census/to-census-record.js';
import { toStatisticsCsv } from '../../src/census/to-statistics-csv.js';
import { toWorkforceStatistics } from '../../src/census/workforce-tables.js';

const year = toCensusYear(2026);

function employed(index: number, extra: CensusRecord = {}): CensusRecord {
  return {
    AgencyWorker: 0,
    SWENo: `SW${String(index)}`,
    FTE: 1,
    FTE30: 0.5,
    PersonBirthDate: '1985-03-27',
    GenderCurrent: 2,
    Ethnicity: 'WBRI',
    OrgRole: 5,
    RoleStartDate: '2020-01-06',
    Cases30: 10 + (index % 3),
    WorkingDaysLost: 2,
    Absat30Sept: index < 8 ? 1 : 0,
    ...extra,
  };
}

const leeds: CensusRecord[] = [
  ...Array.from({ length: 40 }, (_u, i) =>
    employed(i, i < 8 ? { RoleStartDate: '2026-02-01', GenderCurrent: 1 } : {}),
  ),
  ...Array.from({ length: 6 }, (_u, i) =>
    employed(100 + i, {
      RoleEndDate: '2026-05-31',
      FTE: 0,
      FTE30: 0,
      ReasonLeave: 1,
      LeaverDestination: 3,
    }),
  ),
  ...Array.from({ length: 10 }, (_u, i) => ({
    AgencyWorker: 1,
    SWENo: `SW${String(200 + i)}`,
    FTE: 1,
  })),
];
const vacancies = { numberOfVacancies: 10, agencyFte: 0, agencyHeadcount: 0 };

describe('toWorkforceStatistics', () => {
  describe('for one authority with 40 in post, 8 starters, 6 leavers and 10 agency workers', () => {
    const statistics = toWorkforceStatistics(
      [{ laCode: '383', name: 'Leeds', year: 2026, vacancies, records: leeds }],
      year,
    );
    const headlines = statistics.authority.get('383')?.[0];

    it('publishes every headline figure, FTEs and rates to one decimal place', () => {
      assert.equal(
        toStatisticsCsv(headlines!),
        [
          'Measure,Leeds',
          'Social workers in post (headcount),40',
          'Social workers in post (FTE),20.0',
          'Starters in the year (headcount),8',
          'Leavers in the year (headcount),6',
          'Turnover rate (%),15.0',
          'Agency workers in post (headcount),10',
          'Agency workers in post (FTE),10.0',
          'Agency share of FTE (%),33.3',
          'Vacancies (FTE),10.0',
          'Vacancy rate (%),33.3',
          'Average caseload of case holders,11.0',
          'Working days lost to sickness,80.0',
          'Working days lost per FTE,4.0',
          'Absence rate (%),1.6',
          'Absent on 30 September (headcount),8',
          '',
        ].join('\r\n'),
      );
    });

    it('gives the same figures for all authorities together when there is one', () => {
      assert.deepEqual(
        statistics.national[0]?.rows.map((row) => row.cells),
        headlines?.rows.map((row) => row.cells),
      );
    });

    it('breaks those in post down by gender, with the total', () => {
      assert.match(
        toStatisticsCsv(statistics.authority.get('383')![1]!),
        /^Gender,Social workers in post \(headcount\)\r\nFemale,32\r\nMale,8\r\nNot known or not given,0\r\nTotal,40\r\n$/,
      );
    });
  });

  describe('when one authority has few social workers', () => {
    const statistics = toWorkforceStatistics(
      [
        { laCode: '383', name: 'Leeds', year: 2026, vacancies, records: leeds },
        {
          laCode: '373',
          name: 'Sheffield',
          year: 2026,
          vacancies,
          records: [employed(500), employed(501), employed(502)],
        },
        { laCode: '878', name: 'Devon', year: 2026, vacancies, records: [] },
      ],
      year,
    );

    it('hides its headcount and one more, so the national total cannot give it back', () => {
      const rows = statistics.byAuthority.rows.map((row) => [row.label, row.cells[0]?.value]);
      assert.deepEqual(rows, [
        ['Devon', 0],
        ['Leeds', 'c'],
        ['Sheffield', 'c'],
        ['All local authorities', 43],
      ]);
    });

    it('shows rates of nobody as z, and a caseload nobody recorded as x', () => {
      const devon = statistics.authority.get('878')?.[0]?.rows ?? [];
      assert.equal(devon[4]?.cells[0]?.value, 'z');
      const withoutCaseloads = toWorkforceStatistics(
        [
          {
            laCode: '383',
            name: 'Leeds',
            year: 2026,
            vacancies,
            records: Array.from({ length: 10 }, (_u, i) => employed(i, { Cases30: undefined })),
          },
        ],
        year,
      );
      assert.equal(withoutCaseloads.national[0]?.rows[10]?.cells[0]?.value, 'x');
    });
  });
});
