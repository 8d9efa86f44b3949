import type {
  CensusAuthority,
  CensusRecordSource,
  CensusReturnFigures,
} from '../../src/census/census-record-source.js';
import type { CensusRecord } from '../../src/census/to-census-record.js';
import { createRandom } from './random.js';

/** A fake of our own port: counted returns held in memory, for tests and the bench. */
export class InMemoryCensusRecordSource implements CensusRecordSource {
  constructor(private readonly returns: CensusReturnFigures[] = []) {}

  /** Adds (or replaces) one authority's counted return for its year. */
  add(figures: CensusReturnFigures): void {
    const at = this.returns.findIndex(
      (known) => known.year === figures.year && known.laCode === figures.laCode,
    );
    if (at >= 0) this.returns.splice(at, 1, figures);
    else this.returns.push(figures);
  }

  listYears(): Promise<number[]> {
    return Promise.resolve([...new Set(this.returns.map((r) => r.year))].sort((a, b) => b - a));
  }

  listAuthorities(year: number): Promise<CensusAuthority[]> {
    return Promise.resolve(
      this.returns.filter((r) => r.year === year).map(({ laCode, name }) => ({ laCode, name })),
    );
  }

  loadReturns(year: number, laCode?: string): Promise<CensusReturnFigures[]> {
    return Promise.resolve(
      this.returns.filter((r) => r.year === year && (laCode === undefined || r.laCode === laCode)),
    );
  }
}

/** Options for {@link generateCensusReturns}. */
export interface GenerateCensusReturnsOptions {
  year: number;
  authorities: readonly CensusAuthority[];
  /** Worker records per authority (employees, leavers and agency workers together). */
  workers: number | readonly number[];
  seed?: number;
}

const ethnicities = [
  'WBRI',
  'WIRI',
  'WOTH',
  'MWBC',
  'AIND',
  'APKN',
  'BCRB',
  'BAFR',
  'CHNE',
  'REFU',
];

/**
 * Fictitious returns: workers with plausible items drawn from a seeded sequence, so that
 * every authority has a mix of starters, leavers, agency workers and small groups.
 */
export function generateCensusReturns(
  options: GenerateCensusReturnsOptions,
): CensusReturnFigures[] {
  const random = createRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random.next() * list.length)] as T;
  const within = (low: number, high: number) => low + Math.floor(random.next() * (high - low + 1));
  const date = (year: number) =>
    `${String(year)}-${String(within(1, 12)).padStart(2, '0')}-${String(within(1, 28)).padStart(2, '0')}`;
  let serial = 100_000;
  return options.authorities.map((authority, index) => {
    const size =
      typeof options.workers === 'number' ? options.workers : (options.workers[index] ?? 0);
    const records: CensusRecord[] = [];
    for (let i = 0; i < size; i += 1) {
      serial += 1;
      const kind = random.next();
      const swe = `SW${String(serial)}`;
      if (kind < 0.12) {
        records.push({ AgencyWorker: 1, SWENo: swe, FTE: pick([0.5, 0.8, 1]), ContractWeeks: 26 });
        continue;
      }
      const leaver = kind < 0.24;
      const starter = random.next() < 0.15;
      const fte = leaver ? 0 : pick([0.4, 0.6, 0.8, 1, 1, 1]);
      records.push({
        AgencyWorker: 0,
        SWENo: swe,
        FTE: fte,
        FTE30: fte,
        PersonBirthDate: date(within(1950, 2003)),
        GenderCurrent: pick([1, 2, 2, 2, 2, 9]),
        Ethnicity: pick(ethnicities),
        QualInst: 'University of Exampleton',
        QualLevel: pick([1, 2]),
        StepUpGrad: 0,
        FrontlineGrad: 0,
        OrgRole: pick([1, 2, 3, 3, 4, 5, 5, 5, 5, 6]),
        RoleStartDate: starter ? `${String(options.year)}-0${String(within(1, 8))}-01` : date(2015),
        StartOrigin: 1,
        ...(leaver
          ? {
              RoleEndDate: `${String(options.year)}-0${String(within(1, 8))}-15`,
              ReasonLeave: 1,
              LeaverDestination: 3,
            }
          : { Cases30: within(0, 30) }),
        WorkingDaysLost: pick([0, 0, 0, 2, 5.5, 12]),
        Absat30Sept: random.next() < 0.04 ? 1 : 0,
      });
    }
    return {
      ...authority,
      year: options.year,
      vacancies: {
        numberOfVacancies: within(0, Math.max(1, Math.round(size / 10))),
        agencyFte: 0,
        agencyHeadcount: 0,
      },
      records,
    };
  });
}
