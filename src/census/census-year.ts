/**
 * A census year: the twelve months to 30 September of `year`. Snapshot items (FTE30, Cases30,
 * Absat30Sept) are as at the reference date.
 */
export interface CensusYear {
  year: number;
  /** 1 October of the year before, `YYYY-MM-DD`. */
  start: string;
  /** 30 September of `year`, `YYYY-MM-DD`: the reference date. */
  referenceDate: string;
}

/** The census year that ends on 30 September of `year`. */
export function toCensusYear(year: number): CensusYear {
  return { year, start: `${String(year - 1)}-10-01`, referenceDate: `${String(year)}-09-30` };
}

/** Whole years between a birth date and a later date, both `YYYY-MM-DD`. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

/**
 * The census year whose return is being collected on `date`: the latest one whose reference
 * date has passed (the 2026 return is collected from 1 October 2026).
 */
export function toCollectionYear(date: Date): number {
  const year = date.getUTCFullYear();
  return date.getUTCMonth() >= 9 ? year : year - 1;
}

/** When the collection of `year`'s return runs: from 1 October of `year` to a year later. */
export function collectionWindow(year: number): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(year, 9, 1)),
    to: new Date(Date.UTC(year + 1, 9, 1)),
  };
}
