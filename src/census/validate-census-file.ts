import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import type { FieldError } from '../forms/field-error.js';
import { toSegments } from '../forms/field-names.js';
import {
  requiredColumns,
  toCensusColumn,
  censusColumns,
  type CensusColumn,
} from './census-columns.js';
import { censusRules, type CensusSeverity } from './census-rules.js';
import type { CensusYear } from './census-year.js';
import { toCensusRecord, type ColumnKinds } from './to-census-record.js';

/** One thing wrong with one row, in words an HR officer can act on. */
export interface CensusIssue {
  /** The spreadsheet row (the header is row 1). */
  row: number;
  column: CensusColumn;
  /** The cell as it was typed ('' when blank). */
  value: string;
  severity: CensusSeverity;
  /** The rule's id, or `schema` for what the census form's schema says. */
  ruleId: string;
  /** "Row 214, FTE30: 1.2: Full-time equivalent … must be between 0 and 1". */
  message: string;
}

/** What is wrong with the file as a whole: it cannot be read row by row until mended. */
export interface CensusFileProblem {
  message: string;
}

/** The census form, as far as validating one record needs it. */
export interface CensusForm {
  validate: (answers: Record<string, unknown>) => {
    data: Record<string, unknown>;
    errors: FieldError[];
  };
}

/** Options for {@link validateCensusFile}. */
export interface ValidateCensusFileOptions {
  form: CensusForm;
  kinds: ColumnKinds;
  year: CensusYear;
  /** Called once with the file's header, as written, before any row. */
  onHeader?: (header: string[]) => void | Promise<void>;
  /** Called for every row in order, with the record as it would be stored. */
  onRow?: (row: CensusRowResult) => void | Promise<void>;
  /** How many issues the report keeps (every issue is counted). Default 1,000. */
  maxIssues?: number;
}

/** One validated row. */
export interface CensusRowResult {
  row: number;
  cells: string[];
  record: Record<string, unknown>;
  issues: CensusIssue[];
}

/** The result of validating an uploaded file. */
export interface CensusFileReport {
  /** The file's header, as written. */
  header: string[];
  fileProblems: CensusFileProblem[];
  rows: number;
  rowsWithErrors: number;
  errorCount: number;
  queryCount: number;
  /** The first `maxIssues` issues, in row order. */
  issues: CensusIssue[];
}

/** "Row 214, Cases30: 45 is more than 40 cases", or "Row 214, FTE30 (1.2): FTE must be …". */
function toMessage(row: number, column: CensusColumn, value: string, text: string): string {
  const where = `Row ${String(row)}, ${column}`;
  // a rule's text continues the value; the form's error texts are whole sentences
  if (/^[a-z]/.test(text)) return `${where}: ${value === '' ? 'blank' : value} ${text}`;
  return value === '' ? `${where}: ${text}` : `${where} (${value}): ${text}`;
}

function toIssue(
  row: number,
  column: CensusColumn,
  value: string,
  severity: CensusSeverity,
  ruleId: string,
  text: string,
): CensusIssue {
  return { row, column, value, severity, ruleId, message: toMessage(row, column, value, text) };
}

function readHeader(header: string[]): {
  columns: (CensusColumn | undefined)[];
  problems: CensusFileProblem[];
} {
  const columns = header.map((name) => toCensusColumn(name));
  const problems: CensusFileProblem[] = [];
  header.forEach((name, index) => {
    if (columns[index] === undefined && name.trim() !== '')
      problems.push({
        message: `Column "${name.trim()}" is not a census item. Rename it to one of ${censusColumns.join(', ')}, or remove it`,
      });
  });
  const seen = new Set<CensusColumn>();
  for (const column of columns) {
    if (column === undefined) continue;
    if (seen.has(column)) problems.push({ message: `Column ${column} appears more than once` });
    seen.add(column);
  }
  for (const column of requiredColumns)
    if (!seen.has(column)) problems.push({ message: `The file has no ${column} column` });
  return { columns, problems };
}

/**
 * Validates a census CSV file row by row, as it streams: each row against the census form's
 * schema and the return's rules ({@link censusRules}). Memory holds one row at a time, the
 * SWENos seen so far and at most `maxIssues` issues, whatever the size of the file.
 */
export async function validateCensusFile(
  input: Readable,
  options: ValidateCensusFileOptions,
): Promise<CensusFileReport> {
  const maxIssues = options.maxIssues ?? 1000;
  const report: CensusFileReport = {
    header: [],
    fileProblems: [],
    rows: 0,
    rowsWithErrors: 0,
    errorCount: 0,
    queryCount: 0,
    issues: [],
  };
  const parser = input.pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  const rowOfSweNo = new Map<string, number>();
  let columns: (CensusColumn | undefined)[] | undefined;
  try {
    for await (const { record: cells, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (columns === undefined) {
        report.header = cells;
        const header = readHeader(cells);
        columns = header.columns;
        report.fileProblems.push(...header.problems);
        if (header.problems.length > 0) break;
        await options.onHeader?.(cells);
        continue;
      }
      const row = info.lines;
      const result = validateRow(row, cells, columns, options, rowOfSweNo);
      report.rows += 1;
      const errors = result.issues.filter((issue) => issue.severity === 'error').length;
      report.errorCount += errors;
      report.queryCount += result.issues.length - errors;
      if (errors > 0) report.rowsWithErrors += 1;
      for (const issue of result.issues)
        if (report.issues.length < maxIssues) report.issues.push(issue);
      await options.onRow?.(result);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // the parser's own words name the line; the file cannot be read past it
    report.fileProblems.push({ message: `The file is not a readable CSV file: ${error.message}` });
  } finally {
    input.destroy();
  }
  if (columns === undefined && report.fileProblems.length === 0)
    report.fileProblems.push({ message: 'The file is empty' });
  return report;
}

function validateRow(
  row: number,
  cells: string[],
  columns: readonly (CensusColumn | undefined)[],
  options: ValidateCensusFileOptions,
  rowOfSweNo: Map<string, number>,
): CensusRowResult {
  const typed: Partial<Record<CensusColumn, string>> = {};
  columns.forEach((column, index) => {
    if (column !== undefined) typed[column] = cells[index] ?? '';
  });
  const { record, problems } = toCensusRecord(typed, options.kinds);
  const issues: CensusIssue[] = problems.map((problem) =>
    toIssue(row, problem.column, problem.value, 'error', 'CSWW-T01', problem.text),
  );
  const unreadable = new Set(problems.map((problem) => problem.column));
  const cellOf = (column: CensusColumn) => (typed[column] ?? '').trim();
  const validation = options.form.validate(record);
  for (const error of validation.errors) {
    const column = toCensusColumn(toSegments(error.path)[0] ?? '');
    if (column === undefined || unreadable.has(column)) continue;
    issues.push(toIssue(row, column, cellOf(column), 'error', 'schema', error.text));
  }
  const context = { year: options.year, rowOfSweNo, row };
  for (const rule of censusRules) {
    const finding = rule.check(record, context);
    if (finding)
      issues.push(
        toIssue(row, finding.column, cellOf(finding.column), rule.severity, rule.id, finding.text),
      );
  }
  issues.sort((a, b) => censusColumns.indexOf(a.column) - censusColumns.indexOf(b.column));
  return { row, cells, record: validation.data, issues };
}
