import type { CensusRecordSource } from '../../census/census-record-source.js';

/** The source the statistics read while no census store is wired: there are no returns yet. */
export const noCensusReturns: CensusRecordSource = {
  listYears: () => Promise.resolve([]),
  listAuthorities: () => Promise.resolve([]),
  loadReturns: () => Promise.resolve([]),
};
