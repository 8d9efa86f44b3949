import type { HomeRecord } from '../workflow/homes-store.js';

/** The facts about a child the rules use, read from the submission. */
export interface ChildFacts {
  dateOfBirth?: string | undefined;
  sex?: string | undefined;
  postcodeDistrict?: string | undefined;
  preferredRegion?: string | undefined;
  maxDistanceMiles?: number | undefined;
  /** Risk keys whose level counts as a need (`selfHarm`). */
  needs: string[];
}

/** A rule a workflow may list; each either passes a home (with why) or excludes it (with why). */
export type RouteRuleName = 'vacancy-today' | 'age-range' | 'sex' | 'needs' | 'region-or-distance';

/** Why one home was chosen or excluded. */
export interface RouteDecision {
  homeId: string;
  name: string;
  chosen: boolean;
  reasons: string[];
}

/** Everything the rules look at. */
export interface RouteInput {
  child: ChildFacts;
  homes: readonly HomeRecord[];
  vacancies: ReadonlyMap<string, number>;
  today: string;
  rules: readonly RouteRuleName[];
  /** The preferred-region answer meaning "anywhere". */
  anyRegion?: string;
  distanceKm: (postcodeDistrict: string, homeId: string) => number | undefined;
}

const kmPerMile = 1.609344;

/** Whole years between a `YYYY-MM-DD` birth date and `today`. */
export function toAge(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (by === undefined || bm === undefined || bd === undefined) return Number.NaN;
  if (ty === undefined || tm === undefined || td === undefined) return Number.NaN;
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

type Check = { pass: boolean; reason: string };

const rules: Record<RouteRuleName, (home: HomeRecord, input: RouteInput) => Check> = {
  'vacancy-today': (home, input) => {
    const vacancies = input.vacancies.get(home.id);
    if (vacancies === undefined) return { pass: false, reason: 'has not declared vacancies today' };
    if (vacancies <= 0) return { pass: false, reason: 'declared no vacancies today' };
    return {
      pass: true,
      reason: `declared ${vacancies} ${vacancies === 1 ? 'vacancy' : 'vacancies'} today`,
    };
  },
  'age-range': (home, input) => {
    const { dateOfBirth } = input.child;
    if (dateOfBirth === undefined) return { pass: true, reason: 'the child’s age is not known' };
    const age = toAge(dateOfBirth, input.today);
    const range = `takes ages ${home.ageMin} to ${home.ageMax}`;
    return age >= home.ageMin && age <= home.ageMax
      ? { pass: true, reason: `${range}; the child is ${age}` }
      : { pass: false, reason: `${range}; the child is ${age}` };
  },
  sex: (home, input) => {
    const { sex } = input.child;
    if (sex === undefined) return { pass: true, reason: 'the child’s sex is not recorded' };
    return home.sexes.includes(sex)
      ? { pass: true, reason: `takes ${sex} children` }
      : { pass: false, reason: `does not take ${sex} children` };
  },
  needs: (home, input) => {
    const unmet = input.child.needs.filter((need) => !home.needsMet.includes(need));
    if (unmet.length > 0) return { pass: false, reason: `cannot meet: ${unmet.join(', ')}` };
    return {
      pass: true,
      reason:
        input.child.needs.length === 0
          ? 'no needs to meet'
          : `can meet: ${input.child.needs.join(', ')}`,
    };
  },
  'region-or-distance': (home, input) => {
    const { preferredRegion, maxDistanceMiles, postcodeDistrict } = input.child;
    const anyRegion =
      preferredRegion === undefined || preferredRegion === (input.anyRegion ?? 'any');
    if (!anyRegion && home.region === preferredRegion)
      return { pass: true, reason: `is in ${home.region}` };
    if (maxDistanceMiles !== undefined && postcodeDistrict !== undefined) {
      const km = input.distanceKm(postcodeDistrict, home.id);
      if (km !== undefined) {
        const miles = Math.round(km / kmPerMile);
        return km <= maxDistanceMiles * kmPerMile
          ? { pass: true, reason: `is about ${miles} miles away (at most ${maxDistanceMiles})` }
          : { pass: false, reason: `is about ${miles} miles away (more than ${maxDistanceMiles})` };
      }
    }
    if (anyRegion) return { pass: true, reason: 'any region will do' };
    return { pass: false, reason: `is in ${home.region}, not ${preferredRegion}` };
  },
};

/**
 * Applies the workflow's rules to every home. Every home gets a decision with every reason,
 * so the coordinator sees why each was chosen or left out.
 */
export function decideRouting(input: RouteInput): RouteDecision[] {
  return input.homes.map((home) => {
    const checks = input.rules.map((rule) => rules[rule](home, input));
    const failed = checks.filter((check) => !check.pass);
    return {
      homeId: home.id,
      name: home.name,
      chosen: failed.length === 0,
      reasons: (failed.length > 0 ? failed : checks).map((check) => check.reason),
    };
  });
}
