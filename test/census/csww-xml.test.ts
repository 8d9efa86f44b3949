import assert from 'node:assert/strict';
import type { CensusColumn } from '../../src/census/census-columns.js';
import { toCensusYear } from '../../src/census/census-year.js';
import type { CensusRecord } from '../../src/census/to-census-record.js';
import { toCswwXml, type CswwReturnInput } from '../../src/census/to-csww-xml.js';
import { validateCensusFile } from '../../src/census/validate-census-file.js';
import { validateCswwXml } from '../../src/census/validate-csww-xml.js';
import { censusOptions, toCensusCsv, toStream, validRow } from './census-fixture.js';

function returnOf(workers: CensusRecord[]): CswwReturnInput {
  return {
    laCode: '123',
    year: toCensusYear(2026),
    vacancies: { numberOfVacancies: 12.5, agencyFte: 30.25, agencyHeadcount: 32 },
    workers,
    release: '0.1.0',
    serialNo: 1,
    generatedAt: new Date('2026-10-15T09:30:00.123Z'),
  };
}

/** Validates rows as an upload would and keeps the records as they would be stored. */
async function storedRecords(
  rows: Partial<Record<CensusColumn, string>>[],
): Promise<CensusRecord[]> {
  const records: CensusRecord[] = [];
  const report = await validateCensusFile(toStream(toCensusCsv(rows)), {
    ...censusOptions(),
    onRow: ({ record }) => {
      records.push(record);
    },
  });
  assert.equal(report.errorCount, 0, JSON.stringify(report.issues.slice(0, 3)));
  return records;
}

describe('the CSWW XML return', () => {
  it('of 10,000 validated workers validates against the XSD', async function () {
    this.timeout(120_000);
    const rows = Array.from({ length: 10_000 }, (_unused, index) =>
      index % 3 === 0
        ? {
            AgencyWorker: '1',
            SWENo: `SW${String(300000 + index)}`,
            FTE: '1',
            ContractWeeks: '26.5',
            Cases30: '14',
            Absat30Sept: '0',
          }
        : index % 3 === 1
          ? {
              ...validRow,
              SWENo: `SW${String(300000 + index)}`,
              QualInst: 'Arts & Sciences <Exampleton>',
            }
          : {
              ...validRow,
              SWENo: `SW${String(300000 + index)}`,
              RoleEndDate: '2026-06-30',
              ReasonLeave: '1',
              LeaverDestination: '3',
              FTE: '0',
              FTE30: '0',
            },
    );
    const xml = toCswwXml(returnOf(await storedRecords(rows)));
    const result = await validateCswwXml(xml);
    assert.deepEqual(result.errors, []);
    assert.equal(result.valid, true);
    assert.equal(xml.match(/<CSWWWorker>/g)?.length, 10_000);
    assert.match(xml, /<QualInst>Arts &amp; Sciences &lt;Exampleton&gt;<\/QualInst>/);
    assert.match(xml, /<LEA>123<\/LEA>/);
    assert.match(xml, /<DateTime>2026-10-15T09:30:00Z<\/DateTime>/);
  });

  it('is refused by the XSD when a code is not in its list, naming the element', async () => {
    const result = await validateCswwXml(
      toCswwXml(returnOf([{ AgencyWorker: 0, SWENo: 'SW1', Ethnicity: 'XXXX' }])),
    );
    assert.equal(result.valid, false);
    assert.match(result.errors.join('\n'), /Ethnicity/);
  });

  it('is refused by the XSD when a SWENo appears twice', async () => {
    const worker = { AgencyWorker: 1, SWENo: 'SW1', FTE: 1 };
    const result = await validateCswwXml(toCswwXml(returnOf([worker, worker])));
    assert.equal(result.valid, false);
    assert.match(result.errors.join('\n'), /oneRecordPerSWENo|[Dd]uplicate/);
  });
});
