import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse';
import { censusColumns } from '../../src/census/census-columns.js';
import { toCensusYear } from '../../src/census/census-year.js';
import type { CensusRecord } from '../../src/census/to-census-record.js';
import { toCswwXml } from '../../src/census/to-csww-xml.js';
import { validateCensusFile } from '../../src/census/validate-census-file.js';
import { validateCswwXml } from '../../src/census/validate-csww-xml.js';
import { censusOptions } from '../census/census-fixture.js';
import { generateCensusFile } from '../census/census-file-generator.js';

/** Peak memory of validating one file, measured in a fresh process. */
export interface CensusMemory {
  rows: number;
  ms: number;
  baseHeapMb: number;
  peakHeapMb: number;
  baseRssMb: number;
  peakRssMb: number;
}

/** The census figures, each with its ceiling from the same run. */
export interface CensusBenchResult {
  validation: { rows: number; ms: number; rawParseMs: number; errors: number };
  memory: { small: CensusMemory; large: CensusMemory };
  xml: { workers: number; ms: number; plainMs: number; bytes: number; xsdMs: number };
}

const best = async (runs: number, work: () => unknown) => {
  let fastest = Infinity;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
};

const memoryScript = fileURLToPath(new URL('./census-memory.ts', import.meta.url));

async function measureMemory(file: string): Promise<CensusMemory> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    memoryScript,
    file,
  ]);
  return JSON.parse(stdout) as CensusMemory;
}

/**
 * The ceiling for toCswwXml: the same loop over the same items in DfE's order, without escaping
 * the values or the header.
 */
function plainXml(workers: readonly CensusRecord[]): string {
  const parts = ['<Message>'];
  for (const worker of workers) {
    parts.push('<CSWWWorker>');
    for (const column of censusColumns) {
      const value = worker[column];
      if (value !== undefined) parts.push(`<${column}>${String(value)}</${column}>`);
    }
    parts.push('</CSWWWorker>');
  }
  parts.push('</Message>');
  return parts.join('\n');
}

/**
 * CSV validation of 10,000 generated rows (with seeded errors of every rule) beside raw
 * csv-parse over the same file; peak memory for 10,000 and 50,000 rows; XML export of 10,000
 * workers beside plain string building of the same XML.
 */
export async function benchCensus(): Promise<CensusBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'census-bench-'));
  try {
    const small = join(dir, 'census-10k.csv');
    const large = join(dir, 'census-50k.csv');
    await writeFile(small, generateCensusFile(10_000, 50).csv);
    await writeFile(large, generateCensusFile(50_000, 50).csv);
    const options = censusOptions();
    let errors = 0;
    const ms = await best(3, async () => {
      errors = (await validateCensusFile(createReadStream(small), options)).errorCount;
    });
    const rawParseMs = await best(3, async () => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- reading is the work
      for await (const _record of createReadStream(small).pipe(parse({ bom: true })));
    });
    const memory = { small: await measureMemory(small), large: await measureMemory(large) };

    const workers: CensusRecord[] = [];
    await writeFile(join(dir, 'fixed.csv'), generateCensusFile(10_000).csv);
    await validateCensusFile(createReadStream(join(dir, 'fixed.csv')), {
      ...options,
      onRow: (row) => {
        workers.push(row.record);
      },
    });
    const input = {
      laCode: '383',
      year: toCensusYear(2026),
      vacancies: { numberOfVacancies: 12.5, agencyFte: 4, agencyHeadcount: 5 },
      workers,
      release: '0.1.0',
      serialNo: 1,
      generatedAt: new Date(),
    };
    const plainMs = await best(5, () => plainXml(workers));
    let xml = '';
    const xmlMs = await best(5, () => {
      xml = toCswwXml(input);
    });
    const xsdStarted = performance.now();
    const verdict = await validateCswwXml(xml);
    const xsdMs = performance.now() - xsdStarted;
    if (!verdict.valid) throw new Error('the exported XML of 10,000 workers failed the XSD');
    return {
      validation: { rows: 10_000, ms, rawParseMs, errors },
      memory,
      xml: { workers: workers.length, ms: xmlMs, plainMs, bytes: Buffer.byteLength(xml), xsdMs },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
