/**
 * The items of a worker record in the children's social work workforce census, in the order
 * DfE lists them (DOMAIN.md section 2). They are the census form's property names, the CSV
 * column names and the XML element names.
 */
export const censusColumns = [
  'AgencyWorker',
  'SWENo',
  'FTE',
  'FTE30',
  'PersonBirthDate',
  'GenderCurrent',
  'Ethnicity',
  'QualInst',
  'QualLevel',
  'StepUpGrad',
  'FrontlineGrad',
  'OrgRole',
  'RoleStartDate',
  'RoleEndDate',
  'StartOrigin',
  'LeaverDestination',
  'ReasonLeave',
  'Cases30',
  'WorkingDaysLost',
  'ContractWeeks',
  'Absat30Sept',
  'ReasonAbsence',
] as const;

/** One census item name. */
export type CensusColumn = (typeof censusColumns)[number];

/** The columns every upload must have, whatever else it leaves blank. */
export const requiredColumns: readonly CensusColumn[] = ['AgencyWorker', 'SWENo'];

const byFoldedName = new Map<string, CensusColumn>(
  censusColumns.map((column) => [fold(column), column]),
);

function fold(name: string): string {
  // HR exports vary in case, spacing and the odd underscore ("Person_Birth_Date")
  return name
    .replace(/^\uFEFF/, '')
    .replace(/[\s_-]+/g, '')
    .toLowerCase();
}

/** The census item a spreadsheet header names, matched regardless of case and spacing. */
export function toCensusColumn(header: string): CensusColumn | undefined {
  return byFoldedName.get(fold(header));
}
