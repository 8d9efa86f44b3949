import type { CensusRecord } from './to-census-record.js';
import type { LaLevelVacancies } from './to-csww-xml.js';

/** A local authority that made a census return for a year. */
export interface CensusAuthority {
  /** The authority's 3-digit DfE code. */
  laCode: string;
  name: string;
}

/** One authority's return for one census year, as the statistics read it. */
export interface CensusReturnFigures extends CensusAuthority {
  year: number;
  vacancies: LaLevelVacancies;
  records: readonly CensusRecord[];
}

/**
 * Where the workforce statistics read census returns from. The statistics never see who a record
 * is about beyond the census items themselves, and never write.
 */
export interface CensusRecordSource {
  /** Census years with at least one return counted in the statistics, newest first. */
  listYears(): Promise<number[]>;
  /** Authorities whose return for `year` is counted in the statistics. */
  listAuthorities(year: number): Promise<CensusAuthority[]>;
  /** The counted returns for `year`: one authority's when `laCode` is given, else every one. */
  loadReturns(year: number, laCode?: string): Promise<CensusReturnFigures[]>;
}
