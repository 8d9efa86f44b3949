import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CensusColumn } from '../../src/census/census-columns.js';
import { censusRules } from '../../src/census/census-rules.js';
import { validateCensusFile } from '../../src/census/validate-census-file.js';
import { censusOptions, toCensusCsv, toStream, validRow } from './census-fixture.js';

interface RuleCase {
  rule: string;
  column: CensusColumn;
  pass: Partial<Record<CensusColumn, string>>[];
  fail: Partial<Record<CensusColumn, string>>[];
}

const { cases } = JSON.parse(
  readFileSync(fileURLToPath(new URL('../cases/census-rules.json', import.meta.url)), 'utf8'),
) as { cases: RuleCase[] };

async function issuesOf(rows: Partial<Record<CensusColumn, string>>[]) {
  const csv = toCensusCsv(rows.map((row) => ({ ...validRow, ...row })));
  return (await validateCensusFile(toStream(csv), censusOptions())).issues;
}

describe('census rules', () => {
  it('each have a case that passes and one that fails', () => {
    const covered = new Set(cases.map((c) => c.rule));
    for (const rule of censusRules) assert.ok(covered.has(rule.id), `${rule.id} has no test case`);
  });

  it('have unique ids', () => {
    const ids = censusRules.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const c of cases) {
    describe(`${c.rule} on ${c.column}`, () => {
      it('finds nothing wrong with the passing rows', async () => {
        assert.deepEqual(
          (await issuesOf(c.pass)).map((issue) => issue.message),
          [],
        );
      });

      it('reports the failing rows at that column, by that rule', async () => {
        const issues = await issuesOf(c.fail);
        const hit = issues.find((issue) => issue.ruleId === c.rule && issue.column === c.column);
        assert.ok(hit, `expected ${c.rule} on ${c.column}, got ${JSON.stringify(issues)}`);
        assert.equal(hit.row, c.fail.length + 1);
        assert.match(hit.message, new RegExp(`^Row ${String(c.fail.length + 1)}, ${c.column}`));
      });
    });
  }
});
