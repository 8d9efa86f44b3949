import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { upsertOrganisation } from '../../src/auth/people.js';
import { CensusReturns, type CensusReturnKey } from '../../src/census/census-returns.js';
import { toColumnKinds } from '../../src/census/to-census-record.js';
import { validateCensusFile } from '../../src/census/validate-census-file.js';
import { validateCswwXml } from '../../src/census/validate-csww-xml.js';
import { errorColumn } from '../../src/census/write-census-error-report.js';
import type { RawFormDefinition } from '../../src/forms/form-definition.js';
import { CensusReturnStore } from '../../src/store/census-return-store.js';
import { PostgresCensusRecordSource } from '../../src/store/postgres-census-record-source.js';
import { forEachDatabase } from '../support/databases.js';
import { buildForm } from '../forms/build-form.js';
import { censusOptions, toStream } from './census-fixture.js';
import { generateCensusFile, workerRow } from './census-file-generator.js';
import { toCensusCsv } from './census-fixture.js';

const definition = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../forms/social-care-workforce-census.json', import.meta.url)),
    'utf8',
  ),
) as RawFormDefinition;

const now = new Date('2026-11-15T10:00:00Z');

describe('a generated census file of 10,000 rows', function () {
  this.timeout(60_000);

  it('reports each seeded fault of every rule at its row and column', async () => {
    const { csv, faults } = generateCensusFile(10_000, 50);
    const rules = new Set(faults.map((fault) => fault.rule));
    for (const rule of ['CSWW-X01', 'CSWW-X09', 'CSWW-Q03', 'CSWW-T01', 'schema'])
      assert.ok(rules.has(rule), `${rule} is seeded`);
    const report = await validateCensusFile(toStream(csv), censusOptions());
    assert.equal(report.rows, 10_000);
    for (const fault of faults) {
      const hit = report.issues.find(
        (issue) =>
          issue.row === fault.row && issue.column === fault.column && issue.ruleId === fault.rule,
      );
      assert.ok(hit, `${fault.rule} at row ${String(fault.row)}, ${fault.column}`);
      assert.match(hit.message, new RegExp(`^Row ${String(fault.row)}, ${fault.column}`));
    }
    const faultRows = new Set(faults.map((fault) => fault.row));
    for (const issue of report.issues)
      assert.ok(faultRows.has(issue.row), `nothing reported on clean row ${String(issue.row)}`);
  });

  it('passes once fixed', async () => {
    const report = await validateCensusFile(
      toStream(generateCensusFile(10_000).csv),
      censusOptions(),
    );
    assert.deepEqual(
      { rows: report.rows, errors: report.errorCount, queries: report.queryCount },
      { rows: 10_000, errors: 0, queries: 0 },
    );
  });
});

forEachDatabase('CensusReturns', (db) => {
  let dir: string;
  let returns: CensusReturns;
  const userId = randomUUID();
  const key = (year = 2026, organisationId = 'la-383'): CensusReturnKey => ({
    organisationId,
    laCode: organisationId === 'la-383' ? '383' : '373',
    year,
    actor: { type: 'user', id: userId, organisationId },
  });
  const fileOf = async (name: string, csv: string) => {
    const path = join(dir, name);
    await writeFile(path, csv);
    return { path, filename: name };
  };
  const auditCount = async (action: string) =>
    Number(
      (
        await db().query<{ n: string | number }>(
          'SELECT count(*) AS n FROM audit_events WHERE action = $1',
          [action],
        )
      ).rows[0]?.n,
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'census-returns-'));
    await upsertOrganisation(db(), {
      id: 'la-383',
      kind: 'local-authority',
      name: 'Leeds',
      laCode: '383',
    });
    await upsertOrganisation(db(), {
      id: 'la-373',
      kind: 'local-authority',
      name: 'Sheffield',
      laCode: '373',
    });
    await db().query('INSERT INTO users (id, email, organisation_id) VALUES ($1, $2, $3)', [
      userId,
      'hr.officer@leeds.example.gov.uk',
      'la-383',
    ]);
    returns = new CensusReturns({
      db: db(),
      store: new CensusReturnStore(),
      formId: 'social-care-workforce-census',
      form: buildForm(definition),
      kinds: toColumnKinds(definition.schema),
      clock: { now: () => now },
      release: '0.1.0',
    });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores nothing from a file with errors, and explains them in a report CSV', async () => {
    const { csv, faults } = generateCensusFile(10_000, 50);
    const outcome = await returns.upload(key(), await fileOf('faulty.csv', csv));
    assert.equal(outcome.kind, 'errors');
    const view = await returns.view(key());
    assert.equal(view.counts.workers, 0);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    assert.equal(await returns.writeErrorReport(key(), outcome.uploadId, sink), true);
    const table: string[][] = parse(Buffer.concat(chunks).toString('utf8'));
    assert.equal(table[0]?.at(-1), errorColumn);
    assert.equal(table.length - 1, new Set(faults.map((fault) => fault.row)).size);
    assert.equal(await auditCount('census.upload.error-report.download'), 1);
  });

  it('stores the fixed file, and a second upload replaces rather than duplicates', async () => {
    const fixed = generateCensusFile(10_000).csv;
    const first = await returns.upload(key(), await fileOf('fixed.csv', fixed));
    assert.equal(first.kind, 'stored');
    assert.deepEqual([first.added, first.replaced], [10_000, 0]);
    const again = await returns.upload(key(), await fileOf('fixed-again.csv', fixed));
    if (again.kind === 'stored') assert.deepEqual([again.added, again.replaced], [0, 10_000]);
    else assert.fail(`second upload was ${again.kind}`);
    const view = await returns.view(key());
    assert.equal(view.counts.workers, 10_000);
    assert.equal(await auditCount('census.upload.stored'), 2);
  });

  it('keeps only the valid rows of a file with errors when asked to', async () => {
    const rows = [
      { ...workerRow(20_000), FTE30: '1.2' },
      workerRow(20_001),
      { ...workerRow(0), Cases30: '7' },
    ];
    const outcome = await returns.upload(key(), await fileOf('mixed.csv', toCensusCsv(rows)));
    assert.equal(outcome.kind, 'errors');
    const kept = await returns.keepValidRows(key(), outcome.uploadId);
    assert.deepEqual(kept, { added: 1, replaced: 1 });
    const view = await returns.view(key());
    assert.equal(view.counts.workers, 10_001);
    // a kept upload cannot be kept twice
    assert.equal(await returns.keepValidRows(key(), outcome.uploadId), undefined);
  });

  it('is not validated without the authority-level items, then signs off and exports valid XML', async () => {
    const refused = await returns.markValidated(key(), {});
    assert.ok(refused.validation.errors.some((issue) => issue.ruleId === 'CSWW-R01'));
    await assert.rejects(returns.signOff(key(), 'Jo Bloggs'), { code: 'ERR_CENSUS_RETURN_STATE' });
    await assert.rejects(returns.export(key()), { code: 'ERR_CENSUS_RETURN_STATE' });
    await returns.setVacancies(key(), {
      numberOfVacancies: 12.5,
      agencyFte: 4,
      agencyHeadcount: 5,
    });
    const done = await returns.markValidated(key(), {});
    assert.deepEqual([done.validation.errorCount, done.missing], [0, []]);
    await returns.signOff(key(), 'Jo Bloggs');
    const view = await returns.view(key());
    assert.equal(view.ret?.state, 'signed-off');
    assert.equal(view.ret.signedOff?.name, 'Jo Bloggs');
    await assert.rejects(
      returns.setVacancies(key(), { numberOfVacancies: 1, agencyFte: 1, agencyHeadcount: 1 }),
      { code: 'ERR_CENSUS_RETURN_LOCKED' },
    );
    const { xml, filename } = await returns.export(key());
    assert.equal(filename, 'csww-383-2026-1.xml');
    const verdict = await validateCswwXml(xml);
    assert.deepEqual(verdict.errors, []);
    assert.equal((xml.match(/<CSWWWorker>/g) ?? []).length, 10_001);
    assert.equal((await returns.view(key())).ret?.state, 'exported');
    assert.equal(await auditCount('census.return.export'), 1);
  });

  it('gives the statistics only signed-off or exported returns', async () => {
    await returns.upload(key(2026, 'la-373'), await fileOf('s.csv', toCensusCsv([workerRow(1)])));
    const source = new PostgresCensusRecordSource(db());
    assert.deepEqual(await source.listYears(), [2026]);
    assert.deepEqual(await source.listAuthorities(2026), [{ laCode: '383', name: 'Leeds' }]);
    const [leeds] = await source.loadReturns(2026, '383');
    assert.equal(leeds?.records.length, 10_001);
    assert.deepEqual(leeds.vacancies, {
      numberOfVacancies: 12.5,
      agencyFte: 4,
      agencyHeadcount: 5,
    });
    assert.deepEqual(await source.loadReturns(2026, '373'), []);
  });

  it('opens a signed-off return again, forgetting the sign-off', async () => {
    await returns.reopen(key());
    const view = await returns.view(key());
    assert.equal(view.ret?.state, 'open');
    assert.equal(view.ret.signedOff, undefined);
    await returns.setVacancies(key(), {
      numberOfVacancies: 12.5,
      agencyFte: 4,
      agencyHeadcount: 5,
    });
    assert.equal(await auditCount('census.return.reopen'), 1);
  });

  it('asks for an explanation of the queries a return raises before it is validated', async () => {
    const rows = [{ ...workerRow(5), Cases30: '45' }];
    await returns.upload(key(2026, 'la-373'), await fileOf('q.csv', toCensusCsv(rows)));
    await returns.setVacancies(key(2026, 'la-373'), {
      numberOfVacancies: 0,
      agencyFte: 0,
      agencyHeadcount: 0,
    });
    const unexplained = await returns.markValidated(key(2026, 'la-373'), {});
    assert.deepEqual(unexplained.missing, ['CSWW-Q02']);
    assert.equal((await returns.view(key(2026, 'la-373'))).ret?.state, 'open');
    const explained = await returns.markValidated(key(2026, 'la-373'), {
      'CSWW-Q02': 'Two teams merged on 29 September.',
    });
    assert.deepEqual(explained.missing, []);
    assert.equal((await returns.view(key(2026, 'la-373'))).ret?.state, 'validated');
  });
});
