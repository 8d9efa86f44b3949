import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decideRouting, toAge, type RouteRuleName } from '../../src/steps/route-rules.js';
import type { HomeRecord } from '../../src/workflow/homes-store.js';

interface RoutingCases {
  today: string;
  homes: HomeRecord[];
  vacancies: Record<string, number>;
  distancesKm: Record<string, Record<string, number>>;
  rules: RouteRuleName[];
  cases: {
    description: string;
    child: {
      dateOfBirth: string;
      sex: string;
      needs: string[];
      preferredRegion: string;
      postcodeDistrict?: string;
      maxDistanceMiles?: number;
    };
    expected: string[];
  }[];
}

const suite = JSON.parse(
  readFileSync(new URL('../cases/routing.json', import.meta.url), 'utf8'),
) as RoutingCases;

describe('decideRouting', () => {
  for (const testCase of suite.cases) {
    describe(`for ${testCase.description}`, () => {
      const decisions = decideRouting({
        child: testCase.child,
        homes: suite.homes,
        vacancies: new Map(Object.entries(suite.vacancies)),
        today: suite.today,
        rules: suite.rules,
        anyRegion: 'any',
        distanceKm: (district, homeId) => suite.distancesKm[district]?.[homeId],
      });

      it('chooses exactly the expected homes', () => {
        const chosen = decisions
          .filter((decision) => decision.chosen)
          .map((decision) => decision.homeId);
        assert.deepEqual(chosen.sort(), [...testCase.expected].sort());
      });

      it('gives every home a decision with at least one reason', () => {
        assert.equal(decisions.length, suite.homes.length);
        for (const decision of decisions) assert.ok(decision.reasons.length > 0, decision.homeId);
      });
    });
  }

  it('says why a home without vacancies was excluded', () => {
    const [decision] = decideRouting({
      child: { needs: [] },
      homes: suite.homes.filter((home) => home.id === 'lansdowne'),
      vacancies: new Map([['lansdowne', 0]]),
      today: suite.today,
      rules: ['vacancy-today'],
      distanceKm: () => undefined,
    });
    assert.deepEqual(decision?.reasons, ['declared no vacancies today']);
  });
});

describe('toAge', () => {
  it('counts a birthday today as a year older', () => {
    assert.equal(toAge('2012-03-01', '2026-03-01'), 14);
    assert.equal(toAge('2012-03-02', '2026-03-01'), 13);
  });
});
