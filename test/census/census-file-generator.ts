import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CensusColumn } from '../../src/census/census-columns.js';
import { toCensusCsv, validRow } from './census-fixture.js';

type Row = Partial<Record<CensusColumn, string>>;

interface RuleCase {
  rule: string;
  column: CensusColumn;
  fail: Row[];
}

/** Every failing case of test/cases/census-rules.json: one of each rule, and then some. */
export const ruleCases = (
  JSON.parse(
    readFileSync(fileURLToPath(new URL('../cases/census-rules.json', import.meta.url)), 'utf8'),
  ) as { cases: RuleCase[] }
).cases;

/** Where a seeded fault must be reported. */
export interface SeededFault {
  row: number;
  column: CensusColumn;
  rule: string;
}

/** A valid worker, numbered: `SW` and 6 digits from 300000. */
export function workerRow(index: number): Row {
  return { ...validRow, SWENo: `SW${String(300000 + index)}` };
}

/**
 * A census CSV of `count` workers. With `faultEvery`, every that many rows carries the failing
 * cells of the next rule case in turn (so every rule appears), and `faults` says where each must
 * be reported; the same call without it gives the fixed file.
 */
export function generateCensusFile(
  count: number,
  faultEvery?: number,
): { csv: string; faults: SeededFault[]; rows: Row[] } {
  const rows: Row[] = [];
  const faults: SeededFault[] = [];
  let next = 0;
  for (let index = 0; index < count; index += 1) {
    const row = workerRow(index);
    if (faultEvery !== undefined && index > 0 && index % faultEvery === 0) {
      const kase = ruleCases[next % ruleCases.length] as RuleCase;
      next += 1;
      const cells = { ...(kase.fail.at(-1) ?? {}) };
      // the duplicate SWENo case repeats the row above's number
      if (kase.rule === 'CSWW-X01') cells.SWENo = rows[index - 1]?.SWENo ?? '';
      rows.push({ ...row, ...cells });
      faults.push({ row: index + 2, column: kase.column, rule: kase.rule });
    } else rows.push(row);
  }
  return { csv: toCensusCsv(rows), faults, rows };
}
