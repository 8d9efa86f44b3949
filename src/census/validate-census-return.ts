import { toSegments } from '../forms/field-names.js';
import { censusColumns, toCensusColumn, type CensusColumn } from './census-columns.js';
import { censusRules, type CensusSeverity } from './census-rules.js';
import type { CensusYear } from './census-year.js';
import type { LaLevelVacancies } from './to-csww-xml.js';
import type { CensusRecord } from './to-census-record.js';
import type { CensusForm } from './validate-census-file.js';

/** Where a finding about the whole return points: a worker's item, or the authority's items. */
export type ReturnIssueColumn = CensusColumn | 'LALevelVacancies';

/** One thing wrong with a stored return, in words an HR officer can act on. */
export interface ReturnIssue {
  /** The worker's SWENo, or undefined for the authority-level items. */
  sweNo: string | undefined;
  column: ReturnIssueColumn;
  value: string;
  severity: CensusSeverity;
  ruleId: string;
  message: string;
}

/** A rule over the whole return rather than one record. */
export interface CensusReturnRule {
  id: string;
  severity: CensusSeverity;
  description: string;
}

/** The return's own rules, beyond each record's ({@link censusRules}). */
export const censusReturnRules: readonly CensusReturnRule[] = [
  {
    id: 'CSWW-R01',
    severity: 'error',
    description:
      'The authority-level items (vacancies, agency FTE and agency headcount at 30 September) are given',
  },
  {
    id: 'CSWW-Q04',
    severity: 'query',
    description:
      'A worker in last year’s return who had not left is in this year’s return (as a worker or a leaver)',
  },
];

/** What {@link validateCensusReturn} needs. */
export interface ValidateCensusReturnOptions {
  form: CensusForm;
  year: CensusYear;
  records: Iterable<CensusRecord>;
  /** Last year's return of the same authority, when there is one. */
  previous?: Iterable<CensusRecord> | undefined;
  vacancies: LaLevelVacancies | undefined;
  /** How many issues of each severity are kept (all are counted). Default 500. */
  maxIssues?: number;
}

/** The verdict on a whole return. */
export interface ReturnValidation {
  errorCount: number;
  queryCount: number;
  /** The first `maxIssues` errors, then queries, by worker. */
  errors: ReturnIssue[];
  queries: ReturnIssue[];
  /** How many queries each rule raised: each needs an explanation before the return is valid. */
  queryRules: { id: string; description: string; count: number }[];
}

const describe = new Map<string, string>([
  ...censusRules.map((rule) => [rule.id, rule.description] as const),
  ...censusReturnRules.map((rule) => [rule.id, rule.description] as const),
]);

/** The words of a rule id, for explanations and the rule list. */
export function describeRule(id: string): string {
  return describe.get(id) ?? id;
}

function toMessage(sweNo: string | undefined, column: string, value: string, text: string) {
  const where = sweNo === undefined ? column : `Worker ${sweNo}, ${column}`;
  if (/^[a-z]/.test(text)) return `${where}: ${value === '' ? 'blank' : value} ${text}`;
  return value === '' ? `${where}: ${text}` : `${where} (${value}): ${text}`;
}

/**
 * Validates a stored return as DfE's own validation would: every record against the census
 * form's schema and the record rules, the authority-level items, and year-on-year continuity
 * against last year's return (`CSWW-Q04`).
 */
export function validateCensusReturn(options: ValidateCensusReturnOptions): ReturnValidation {
  const max = options.maxIssues ?? 500;
  const result: ReturnValidation = {
    errorCount: 0,
    queryCount: 0,
    errors: [],
    queries: [],
    queryRules: [],
  };
  const queriesByRule = new Map<string, number>();
  const add = (issue: Omit<ReturnIssue, 'message'>, text: string) => {
    const full = { ...issue, message: toMessage(issue.sweNo, issue.column, issue.value, text) };
    if (issue.severity === 'error') {
      result.errorCount += 1;
      if (result.errors.length < max) result.errors.push(full);
    } else {
      result.queryCount += 1;
      queriesByRule.set(issue.ruleId, (queriesByRule.get(issue.ruleId) ?? 0) + 1);
      if (result.queries.length < max) result.queries.push(full);
    }
  };

  if (options.vacancies === undefined)
    add(
      {
        sweNo: undefined,
        column: 'LALevelVacancies',
        value: '',
        severity: 'error',
        ruleId: 'CSWW-R01',
      },
      'Enter the number of vacancies, agency FTE and agency headcount at 30 September',
    );

  const rowOfSweNo = new Map<string, number>();
  const present = new Set<string>();
  let row = 0;
  for (const record of options.records) {
    row += 1;
    const sweNo = typeof record.SWENo === 'string' ? record.SWENo : undefined;
    if (sweNo !== undefined) present.add(sweNo);
    const valueOf = (column: CensusColumn) =>
      record[column] === undefined ? '' : String(record[column]);
    const found: {
      column: CensusColumn;
      severity: CensusSeverity;
      ruleId: string;
      text: string;
    }[] = [];
    for (const error of options.form.validate(record).errors) {
      const column = toCensusColumn(toSegments(error.path)[0] ?? '');
      if (column) found.push({ column, severity: 'error', ruleId: 'schema', text: error.text });
    }
    for (const rule of censusRules) {
      const finding = rule.check(record, { year: options.year, rowOfSweNo, row });
      if (finding)
        found.push({
          column: finding.column,
          severity: rule.severity,
          ruleId: rule.id,
          text: finding.text,
        });
    }
    found.sort((a, b) => censusColumns.indexOf(a.column) - censusColumns.indexOf(b.column));
    for (const issue of found)
      add(
        {
          sweNo,
          column: issue.column,
          value: valueOf(issue.column),
          severity: issue.severity,
          ruleId: issue.ruleId,
        },
        issue.text,
      );
  }

  for (const earlier of options.previous ?? []) {
    const sweNo = typeof earlier.SWENo === 'string' ? earlier.SWENo : undefined;
    if (sweNo === undefined || earlier.RoleEndDate !== undefined || present.has(sweNo)) continue;
    add(
      { sweNo, column: 'SWENo', value: sweNo, severity: 'query', ruleId: 'CSWW-Q04' },
      `was in the ${String(options.year.year - 1)} return and is not in this one: add them, as a leaver if they left`,
    );
  }

  result.queryRules = [...queriesByRule].map(([id, count]) => ({
    id,
    description: describeRule(id),
    count,
  }));
  return result;
}
