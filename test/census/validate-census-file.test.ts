import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { censusColumns, type CensusColumn } from '../../src/census/census-columns.js';
import { validateCensusFile } from '../../src/census/validate-census-file.js';
import { errorColumn, writeCensusErrorReport } from '../../src/census/write-census-error-report.js';
import { censusOptions, toCensusCsv, toStream, validRow } from './census-fixture.js';

type Row = Partial<Record<CensusColumn, string>>;

function collect(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Seeded errors, one kind per row number modulo the list, each with where it must be reported. */
const seeded: { make: (row: Row) => Row; column: CensusColumn; rule: string }[] = [
  { make: (row) => ({ ...row, FTE30: '1.2' }), column: 'FTE30', rule: 'schema' },
  { make: (row) => ({ ...row, Ethnicity: 'WXYZ' }), column: 'Ethnicity', rule: 'CSWW-T01' },
  { make: (row) => ({ ...row, PersonBirthDate: '' }), column: 'PersonBirthDate', rule: 'schema' },
  { make: (row) => ({ ...row, ReasonLeave: '1' }), column: 'ReasonLeave', rule: 'CSWW-X02' },
  { make: (row) => ({ ...row, ContractWeeks: '12' }), column: 'ContractWeeks', rule: 'CSWW-X07' },
  { make: (row) => ({ ...row, Cases30: 'many' }), column: 'Cases30', rule: 'CSWW-T01' },
  {
    make: (row) => ({ ...row, RoleStartDate: '2027-01-01' }),
    column: 'RoleStartDate',
    rule: 'CSWW-X05',
  },
  { make: (row) => ({ ...row, SWENo: 'SW200000' }), column: 'SWENo', rule: 'CSWW-X01' },
];

function generatedRows(
  count: number,
  errorEvery: number,
): { rows: Row[]; expected: Map<number, (typeof seeded)[number]> } {
  const rows: Row[] = [];
  const expected = new Map<number, (typeof seeded)[number]>();
  for (let index = 0; index < count; index += 1) {
    const row: Row = { ...validRow, SWENo: `SW${String(200000 + index)}` };
    const spreadsheetRow = index + 2;
    if (index > 0 && index % errorEvery === 0) {
      const kind = seeded[(index / errorEvery) % seeded.length] as (typeof seeded)[number];
      rows.push(kind.make(row));
      expected.set(spreadsheetRow, kind);
    } else rows.push(row);
  }
  return { rows, expected };
}

describe('validateCensusFile', () => {
  describe('when the header is written by a different HR system', () => {
    it('matches column names regardless of case, spacing and order', async () => {
      const header = [...censusColumns]
        .reverse()
        .map((name) => name.toUpperCase().replace('SWENO', 'swe no'));
      const rows = [
        Object.fromEntries(Object.entries(validRow).map(([key, value]) => [key, value])),
      ];
      const csv = [
        header.join(','),
        header
          .map((name) => {
            const column = censusColumns.find(
              (c) => c.toLowerCase() === name.toLowerCase().replace(/ /g, ''),
            );
            return column ? ((rows[0] as Row)[column] ?? '') : '';
          })
          .join(','),
      ].join('\n');
      const report = await validateCensusFile(toStream(csv), censusOptions());
      assert.deepEqual(report.fileProblems, []);
      assert.equal(report.rows, 1);
      assert.deepEqual(report.issues, []);
    });

    it('names a column that is not a census item, and a missing SWENo column', async () => {
      const report = await validateCensusFile(
        toStream('AgencyWorker,Salary\n0,30000\n'),
        censusOptions(),
      );
      assert.equal(report.rows, 0);
      assert.deepEqual(
        report.fileProblems.map((problem) => problem.message.split('.')[0]),
        ['Column "Salary" is not a census item', 'The file has no SWENo column'],
      );
    });
  });

  it('reports a file that is not CSV instead of failing', async () => {
    const report = await validateCensusFile(
      toStream('AgencyWorker,SWENo\n0,"SW1\n'),
      censusOptions(),
    );
    assert.equal(report.fileProblems.length, 1);
    assert.match(report.fileProblems[0]?.message ?? '', /not a readable CSV file/);
  });

  describe('with a generated file of 10,000 rows and seeded errors', () => {
    const { rows, expected } = generatedRows(10_000, 37);
    const csv = toCensusCsv(rows);

    it('reports every seeded error at its row and column, and nothing else', async function () {
      this.timeout(120_000);
      const report = await validateCensusFile(toStream(csv), {
        ...censusOptions(),
        maxIssues: 100_000,
      });
      assert.equal(report.rows, 10_000);
      const errors = report.issues.filter((issue) => issue.severity === 'error');
      const found = new Map(errors.map((issue) => [issue.row, issue]));
      for (const [row, kind] of expected) {
        const issue = found.get(row);
        assert.ok(issue, `row ${String(row)}: expected ${kind.rule} on ${kind.column}`);
        assert.equal(issue.column, kind.column, `row ${String(row)}`);
        assert.equal(issue.ruleId, kind.rule, `row ${String(row)}`);
      }
      assert.deepEqual(
        [...found.keys()].filter((row) => !expected.has(row)),
        [],
      );
      assert.equal(report.rowsWithErrors, expected.size);
    });

    it('passes once the seeded errors are fixed', async function () {
      this.timeout(120_000);
      const fixed = toCensusCsv(
        rows.map((_row, index) => ({ ...validRow, SWENo: `SW${String(200000 + index)}` })),
      );
      const report = await validateCensusFile(toStream(fixed), censusOptions());
      assert.equal(report.errorCount, 0);
      assert.equal(report.rows, 10_000);
    });
  });

  describe('the error report', () => {
    it('holds exactly the failing rows, as uploaded, with what is wrong in its last column', async () => {
      const rows: Row[] = [
        { ...validRow, SWENo: 'SW1' },
        { ...validRow, SWENo: 'SW2', FTE30: '1.2' },
        { ...validRow, SWENo: 'SW3' },
        { ...validRow, SWENo: 'SW4', Cases30: '45', QualInst: '=HYPERLINK("http://example.org")' },
      ];
      const out = collect();
      const report = await writeCensusErrorReport(
        toStream(toCensusCsv(rows)),
        out.sink,
        censusOptions(),
      );
      assert.equal(report.rowsWithErrors, 1);
      const table: string[][] = parse(out.text());
      assert.deepEqual(table[0], [...censusColumns, errorColumn]);
      assert.equal(table.length, 3);
      assert.equal(table[1]?.[censusColumns.indexOf('SWENo')], 'SW2');
      assert.match(table[1].at(-1) ?? '', /^Row 3, FTE30 \(1\.2\): .*between 0 and 1/);
      assert.match(table[2]?.at(-1) ?? '', /^Row 5, Cases30: 45 is more than 40 cases/);
      // a formula an uploader typed is not run when the officer opens the report
      assert.equal(
        table[2]?.[censusColumns.indexOf('QualInst')],
        `'=HYPERLINK("http://example.org")`,
      );
    });
  });
});
