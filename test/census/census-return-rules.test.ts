import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CensusColumn } from '../../src/census/census-columns.js';
import type { LaLevelVacancies } from '../../src/census/to-csww-xml.js';
import { toCensusRecord } from '../../src/census/to-census-record.js';
import {
  censusReturnRules,
  validateCensusReturn,
} from '../../src/census/validate-census-return.js';
import { censusOptions, validRow } from './census-fixture.js';

type Cells = Partial<Record<CensusColumn, string>>;

interface ReturnCase {
  rule: string;
  column: string;
  sweNo?: string;
  pass: ReturnInput;
  fail: ReturnInput;
}

interface ReturnInput {
  vacancies?: LaLevelVacancies | null;
  workers: Cells[];
  previous?: Cells[];
}

const { cases } = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../cases/census-return-rules.json', import.meta.url)),
    'utf8',
  ),
) as { cases: ReturnCase[] };

const options = censusOptions();
const toRecords = (rows: Cells[]) =>
  rows.map((cells) => toCensusRecord({ ...validRow, ...cells }, options.kinds).record);
const filled: LaLevelVacancies = { numberOfVacancies: 0, agencyFte: 0, agencyHeadcount: 0 };

function validate(input: ReturnInput) {
  return validateCensusReturn({
    form: options.form,
    year: options.year,
    records: toRecords(input.workers),
    previous: input.previous ? toRecords(input.previous) : undefined,
    vacancies: input.vacancies === null ? undefined : (input.vacancies ?? filled),
  });
}

describe('census return rules', () => {
  it('each have a case that passes and one that fails', () => {
    const covered = new Set(cases.map((c) => c.rule));
    for (const rule of censusReturnRules)
      assert.ok(covered.has(rule.id), `${rule.id} has no test case`);
  });

  for (const c of cases) {
    describe(`${c.rule} on ${c.column}`, () => {
      it('finds nothing wrong with the passing return', () => {
        const result = validate(c.pass);
        assert.deepEqual(
          [...result.errors, ...result.queries].map((issue) => issue.message),
          [],
        );
      });

      it('reports the failing return by that rule, at that column', () => {
        const result = validate(c.fail);
        const hit = [...result.errors, ...result.queries].find(
          (issue) => issue.ruleId === c.rule && issue.column === c.column,
        );
        assert.ok(hit, `expected ${c.rule}, got ${JSON.stringify(result)}`);
        assert.equal(hit.sweNo, c.sweNo);
        const severity = censusReturnRules.find((rule) => rule.id === c.rule)?.severity;
        assert.equal(hit.severity, severity);
        if (severity === 'query')
          assert.deepEqual(
            result.queryRules.map((rule) => rule.id),
            [c.rule],
          );
      });
    });
  }
});
