import assert from 'node:assert/strict';
import { toCensusYear } from '../../src/census/census-year.js';
import type { CensusRecord } from '../../src/census/to-census-record.js';
import { toAgeBreakdown, toWorkforceHeadlines } from '../../src/census/workforce-statistics.js';

const year = toCensusYear(2026);
const vacancies = { numberOfVacancies: 10, agencyFte: 0, agencyHeadcount: 0 };

function employed(index: number, extra: CensusRecord = {}): CensusRecord {
  return {
    AgencyWorker: 0,
    SWENo: `SW${String(index)}`,
    FTE: 1,
    FTE30: 0.5,
    PersonBirthDate: '1985-03-27',
    OrgRole: 5,
    RoleStartDate: '2020-01-06',
    Cases30: 10 + (index % 3),
    WorkingDaysLost: 2,
    Absat30Sept: 0,
    ...extra,
  };
}

describe('toWorkforceHeadlines', () => {
  describe('for an authority with 40 in post, 8 starters, 6 leavers and 10 agency workers', () => {
    const records: CensusRecord[] = [
      ...Array.from({ length: 40 }, (_u, i) =>
        employed(i, i < 8 ? { RoleStartDate: '2026-02-01' } : {}),
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
    const figures = toWorkforceHeadlines(records, vacancies, year);

    it('counts those in post, starters and leavers', () => {
      assert.equal(figures.inPostHeadcount, 40);
      assert.equal(figures.inPostFte, 20);
      assert.equal(figures.starters, 8);
      assert.equal(figures.leavers, 6);
    });

    it('gives rates to one decimal place', () => {
      assert.equal(figures.turnoverRate, 15);
      assert.equal(figures.agencyRate, 33.3);
      assert.equal(figures.vacancyRate, 33.3);
      assert.equal(figures.averageCaseload, 11);
      assert.equal(figures.daysLostPerFte, 4);
    });
  });

  describe('when a count is from 1 to 5', () => {
    const records = [
      ...Array.from({ length: 30 }, (_u, i) => employed(i)),
      employed(99, { RoleEndDate: '2026-05-31', FTE: 0, FTE30: 0 }),
      employed(98, { Absat30Sept: 1 }),
    ];
    const figures = toWorkforceHeadlines(records, vacancies, year);

    it('shows the count as c and suppresses the rate that would give it away', () => {
      assert.equal(figures.leavers, 'c');
      assert.equal(figures.turnoverRate, 'c');
      assert.equal(figures.absentAt30September, 'c');
      assert.equal(figures.inPostHeadcount, 31);
    });
  });
});

describe('toAgeBreakdown', () => {
  it('suppresses a small band and another so the total cannot give it back', () => {
    const records = [
      ...Array.from({ length: 3 }, (_u, i) => employed(i, { PersonBirthDate: '2000-01-01' })),
      ...Array.from({ length: 20 }, (_u, i) => employed(10 + i, { PersonBirthDate: '1990-01-01' })),
      ...Array.from({ length: 12 }, (_u, i) => employed(40 + i, { PersonBirthDate: '1975-01-01' })),
    ];
    const breakdown = toAgeBreakdown(records, year);
    assert.deepEqual(breakdown.labels, [
      'Under 30',
      '30 to 39',
      '40 to 49',
      '50 to 59',
      '60 and over',
    ]);
    assert.equal(breakdown.counts[0], 'c');
    assert.equal(breakdown.total, 35);
    assert.equal(breakdown.counts.filter((cell) => cell === 'c').length, 2);
    assert.deepEqual(breakdown.counts, ['c', 20, 0, 'c', 0]);
  });
});
