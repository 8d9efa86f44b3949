import type { CensusColumn } from './census-columns.js';
import { ageOn, type CensusYear } from './census-year.js';
import type { CensusRecord } from './to-census-record.js';

/** Errors must be fixed before a return is valid; queries may be explained instead. */
export type CensusSeverity = 'error' | 'query';

/** What a rule found wrong with one record. */
export interface RuleFinding {
  column: CensusColumn;
  text: string;
}

/** What rules may know beyond the record itself. */
export interface CensusRuleContext {
  year: CensusYear;
  /** The spreadsheet row where each SWENo was first seen in this return. */
  rowOfSweNo: Map<string, number>;
  /** The spreadsheet row of the record being checked. */
  row: number;
}

/**
 * A rule of the return beyond what the census form's schema says about one record: across
 * records, against the census year, and the plausibility queries.
 */
export interface CensusRule {
  id: string;
  severity: CensusSeverity;
  /** The rule in words, for the rule list and the documentation. */
  description: string;
  check: (record: CensusRecord, context: CensusRuleContext) => RuleFinding | undefined;
}

const isLeaver = (record: CensusRecord) => record.RoleEndDate !== undefined;
const asText = (value: string | number | undefined) =>
  typeof value === 'string' ? value : undefined;

/** The return's rules, each with an id that the report and test cases name. */
export const censusRules: readonly CensusRule[] = [
  {
    id: 'CSWW-X01',
    severity: 'error',
    description: 'A Social Work England number appears once in a return',
    check: (record, context) => {
      const sweNo = asText(record.SWENo);
      if (sweNo === undefined) return undefined;
      const first = context.rowOfSweNo.get(sweNo);
      if (first === undefined) {
        context.rowOfSweNo.set(sweNo, context.row);
        return undefined;
      }
      return { column: 'SWENo', text: `is already used on row ${String(first)}` };
    },
  },
  {
    id: 'CSWW-X02',
    severity: 'error',
    description: 'A worker who has not left has no reason for leaving',
    check: (record) =>
      !isLeaver(record) && record.ReasonLeave !== undefined
        ? { column: 'ReasonLeave', text: 'is only for a worker with a date they left the role' }
        : undefined,
  },
  {
    id: 'CSWW-X03',
    severity: 'error',
    description: 'A worker who has not left has no leaver destination',
    check: (record) =>
      !isLeaver(record) && record.LeaverDestination !== undefined
        ? {
            column: 'LeaverDestination',
            text: 'is only for a worker with a date they left the role',
          }
        : undefined,
  },
  {
    id: 'CSWW-X04',
    severity: 'error',
    description: 'The date a worker left the role falls within the census year',
    check: (record, { year }) => {
      const end = asText(record.RoleEndDate);
      if (end === undefined || (end >= year.start && end <= year.referenceDate)) return undefined;
      return {
        column: 'RoleEndDate',
        text: `must be between ${year.start} and ${year.referenceDate}, the census year`,
      };
    },
  },
  {
    id: 'CSWW-X05',
    severity: 'error',
    description: 'A worker started the role by the reference date',
    check: (record, { year }) => {
      const start = asText(record.RoleStartDate);
      return start !== undefined && start > year.referenceDate
        ? { column: 'RoleStartDate', text: `is after ${year.referenceDate}, the reference date` }
        : undefined;
    },
  },
  {
    id: 'CSWW-X06',
    severity: 'error',
    description: 'A worker left the role on or after the day they started it',
    check: (record) => {
      const start = asText(record.RoleStartDate);
      const end = asText(record.RoleEndDate);
      return start !== undefined && end !== undefined && end < start
        ? { column: 'RoleEndDate', text: `is before the role start date ${start}` }
        : undefined;
    },
  },
  {
    id: 'CSWW-X07',
    severity: 'error',
    description: 'Contract weeks are given for agency workers only',
    check: (record) =>
      record.AgencyWorker === 0 && record.ContractWeeks !== undefined
        ? { column: 'ContractWeeks', text: 'is only for agency workers' }
        : undefined,
  },
  {
    id: 'CSWW-X08',
    severity: 'error',
    description: 'A reason for absence is given only for a worker absent on 30 September',
    check: (record) =>
      record.Absat30Sept !== 1 && record.ReasonAbsence !== undefined
        ? { column: 'ReasonAbsence', text: 'is only for a worker absent on 30 September' }
        : undefined,
  },
  {
    id: 'CSWW-X09',
    severity: 'error',
    description: 'A leaver has an FTE of 0 at 30 September',
    check: (record) =>
      isLeaver(record) && typeof record.FTE30 === 'number' && record.FTE30 !== 0
        ? { column: 'FTE30', text: 'must be 0 for a worker who has left' }
        : undefined,
  },
  {
    id: 'CSWW-Q01',
    severity: 'query',
    description: 'A worker is aged between 20 and 80 at the reference date',
    check: (record, { year }) => {
      const birth = asText(record.PersonBirthDate);
      if (birth === undefined) return undefined;
      const age = ageOn(birth, year.referenceDate);
      return age < 20 || age > 80
        ? { column: 'PersonBirthDate', text: `gives an age of ${String(age)} on 30 September` }
        : undefined;
    },
  },
  {
    id: 'CSWW-Q02',
    severity: 'query',
    description: 'A caseload is 40 cases or fewer',
    check: (record) =>
      typeof record.Cases30 === 'number' && record.Cases30 > 40
        ? { column: 'Cases30', text: 'is more than 40 cases' }
        : undefined,
  },
  {
    id: 'CSWW-Q03',
    severity: 'query',
    description: 'A qualified social worker without cases (role 6) holds no cases',
    check: (record) =>
      record.OrgRole === 6 && typeof record.Cases30 === 'number' && record.Cases30 > 0
        ? { column: 'Cases30', text: 'is more than 0 for a qualified social worker without cases' }
        : undefined,
  },
];
