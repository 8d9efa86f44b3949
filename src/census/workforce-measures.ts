import { ageOn, type CensusYear } from './census-year.js';
import type { LaLevelVacancies } from './to-csww-xml.js';
import type { CensusRecord } from './to-census-record.js';

/** A characteristic those in post are broken down by, with its groups in published order. */
export interface Characteristic {
  id: 'gender' | 'ethnicity' | 'age' | 'role';
  title: string;
  /** The title as it reads after "by": `age on 30 September`. */
  phrase: string;
  groups: readonly string[];
  groupOf(record: CensusRecord, year: CensusYear): string;
}

const notKnown = 'Not known or not given';

const ageBands: readonly [string, number, number][] = [
  ['Under 30', 0, 29],
  ['30 to 39', 30, 39],
  ['40 to 49', 40, 49],
  ['50 to 59', 50, 59],
  ['60 and over', 60, 200],
];

// DfE's ethnic groups, by the first letter of the census code
const ethnicGroups: Readonly<Record<string, string>> = {
  W: 'White',
  M: 'Mixed or multiple ethnic groups',
  A: 'Asian or Asian British',
  B: 'Black, Black British, Caribbean or African',
  C: 'Other ethnic group',
  O: 'Other ethnic group',
};

const roleNames: readonly string[] = [
  'Senior manager',
  'Middle manager',
  'First-line manager',
  'Senior practitioner',
  'Case holder',
  'Qualified, not holding cases',
];

/** The characteristics DfE publishes for social workers in post (DOMAIN.md section 4.5). */
export const characteristics: readonly Characteristic[] = [
  {
    id: 'gender',
    title: 'Gender',
    phrase: 'gender',
    groups: ['Female', 'Male', notKnown],
    groupOf: (record) =>
      record.GenderCurrent === 2 ? 'Female' : record.GenderCurrent === 1 ? 'Male' : notKnown,
  },
  {
    id: 'ethnicity',
    title: 'Ethnic group',
    phrase: 'ethnic group',
    groups: [...new Set(Object.values(ethnicGroups)), notKnown],
    groupOf: (record) =>
      typeof record.Ethnicity === 'string' && !['REFU', 'NOBT'].includes(record.Ethnicity)
        ? (ethnicGroups[record.Ethnicity.charAt(0)] ?? notKnown)
        : notKnown,
  },
  {
    id: 'age',
    title: 'Age on 30 September',
    phrase: 'age on 30 September',
    groups: [...ageBands.map(([label]) => label), notKnown],
    groupOf: (record, year) => {
      if (typeof record.PersonBirthDate !== 'string') return notKnown;
      const age = ageOn(record.PersonBirthDate, year.referenceDate);
      return ageBands.find(([, low, high]) => age >= low && age <= high)?.[0] ?? notKnown;
    },
  },
  {
    id: 'role',
    title: 'Role',
    phrase: 'role',
    groups: [...roleNames, notKnown],
    groupOf: (record) =>
      typeof record.OrgRole === 'number' ? (roleNames[record.OrgRole - 1] ?? notKnown) : notKnown,
  },
];

/** The unsuppressed figures of one return, before anything is published. */
export interface WorkforceMeasures {
  /** Counts of people. */
  inPost: number;
  starters: number;
  leavers: number;
  agency: number;
  absent: number;
  caseHolders: number;
  /** Case holders in post (role 5), whether or not their caseload was given. */
  caseHolderRole: number;
  /** Sums. */
  inPostFte: number;
  agencyFte: number;
  cases: number;
  daysLost: number;
  vacanciesFte: number;
  /** Those in post by each characteristic's groups, in the groups' order. */
  groups: Record<Characteristic['id'], number[]>;
}

const numberOf = (value: string | number | undefined): number =>
  typeof value === 'number' ? value : 0;

function isWithin(date: string | number | undefined, year: CensusYear): boolean {
  return typeof date === 'string' && date >= year.start && date <= year.referenceDate;
}

/** An empty set of measures, to add returns into. */
export function emptyMeasures(): WorkforceMeasures {
  return {
    inPost: 0,
    starters: 0,
    leavers: 0,
    agency: 0,
    absent: 0,
    caseHolders: 0,
    caseHolderRole: 0,
    inPostFte: 0,
    agencyFte: 0,
    cases: 0,
    daysLost: 0,
    vacanciesFte: 0,
    groups: {
      gender: characteristics[0]?.groups.map(() => 0) ?? [],
      ethnicity: characteristics[1]?.groups.map(() => 0) ?? [],
      age: characteristics[2]?.groups.map(() => 0) ?? [],
      role: characteristics[3]?.groups.map(() => 0) ?? [],
    },
  };
}

/**
 * The measures of one return: those employed by the authority (not agency) with no role end
 * date are in post at 30 September; starters and leavers are employees whose role started or
 * ended within the census year; agency workers count when in post. One pass over the records.
 */
export function toWorkforceMeasures(
  records: readonly CensusRecord[],
  vacancies: LaLevelVacancies,
  year: CensusYear,
): WorkforceMeasures {
  const measures = emptyMeasures();
  measures.vacanciesFte = vacancies.numberOfVacancies;
  for (const record of records) {
    const inPost = record.RoleEndDate === undefined;
    if (record.AgencyWorker === 1) {
      if (inPost) {
        measures.agency += 1;
        measures.agencyFte += numberOf(record.FTE);
      }
      continue;
    }
    if (isWithin(record.RoleStartDate, year)) measures.starters += 1;
    if (isWithin(record.RoleEndDate, year)) measures.leavers += 1;
    if (!inPost) continue;
    measures.inPost += 1;
    measures.inPostFte += numberOf(record.FTE30);
    measures.daysLost += numberOf(record.WorkingDaysLost);
    if (record.Absat30Sept === 1) measures.absent += 1;
    if (record.OrgRole === 5) {
      measures.caseHolderRole += 1;
      if (typeof record.Cases30 === 'number') {
        measures.caseHolders += 1;
        measures.cases += record.Cases30;
      }
    }
    for (const characteristic of characteristics) {
      const index = characteristic.groups.indexOf(characteristic.groupOf(record, year));
      const counts = measures.groups[characteristic.id];
      counts[index] = (counts[index] ?? 0) + 1;
    }
  }
  return measures;
}

/** `into` plus `more`, for national figures. */
export function addMeasures(into: WorkforceMeasures, more: WorkforceMeasures): WorkforceMeasures {
  const add = (a: number[], b: number[]) => a.map((value, i) => value + (b[i] ?? 0));
  return {
    inPost: into.inPost + more.inPost,
    starters: into.starters + more.starters,
    leavers: into.leavers + more.leavers,
    agency: into.agency + more.agency,
    absent: into.absent + more.absent,
    caseHolders: into.caseHolders + more.caseHolders,
    caseHolderRole: into.caseHolderRole + more.caseHolderRole,
    inPostFte: into.inPostFte + more.inPostFte,
    agencyFte: into.agencyFte + more.agencyFte,
    cases: into.cases + more.cases,
    daysLost: into.daysLost + more.daysLost,
    vacanciesFte: into.vacanciesFte + more.vacanciesFte,
    groups: {
      gender: add(into.groups.gender, more.groups.gender),
      ethnicity: add(into.groups.ethnicity, more.groups.ethnicity),
      age: add(into.groups.age, more.groups.age),
      role: add(into.groups.role, more.groups.role),
    },
  };
}
