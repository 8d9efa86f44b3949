import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { censusColumns, type CensusColumn } from '../../src/census/census-columns.js';
import { toCensusYear } from '../../src/census/census-year.js';
import { toColumnKinds } from '../../src/census/to-census-record.js';
import type { ValidateCensusFileOptions } from '../../src/census/validate-census-file.js';
import type { RawFormDefinition } from '../../src/forms/form-definition.js';
import { buildForm } from '../forms/build-form.js';

const definition = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../forms/social-care-workforce-census.json', import.meta.url)),
    'utf8',
  ),
) as RawFormDefinition;

/** The shipped census form, with real Ajv and a fixed clock, and the 2026 census year. */
export function censusOptions(): Omit<ValidateCensusFileOptions, 'onRow'> {
  return {
    form: buildForm(definition),
    kinds: toColumnKinds(definition.schema),
    year: toCensusYear(2026),
  };
}

/** A valid, fictitious, LA-employed worker in post on 30 September 2026. */
export const validRow: Readonly<Partial<Record<CensusColumn, string>>> = {
  AgencyWorker: '0',
  SWENo: 'SW100001',
  FTE: '1',
  FTE30: '1',
  PersonBirthDate: '1985-03-27',
  GenderCurrent: '2',
  Ethnicity: 'WBRI',
  QualInst: 'University of Exampleton',
  QualLevel: '1',
  StepUpGrad: '0',
  FrontlineGrad: '0',
  OrgRole: '5',
  RoleStartDate: '2020-01-06',
  StartOrigin: '1',
  Cases30: '18',
  WorkingDaysLost: '3.5',
  Absat30Sept: '0',
};

function toCsvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file of rows, every census column in DfE's order. */
export function toCensusCsv(
  rows: readonly Partial<Record<CensusColumn, string>>[],
  header: readonly string[] = censusColumns,
): string {
  const lines = [header.join(',')];
  for (const row of rows)
    lines.push(header.map((name) => toCsvCell(row[name as CensusColumn] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** A readable stream of a string, in small chunks as an upload arrives. */
export function toStream(text: string): Readable {
  return Readable.from(Buffer.from(text, 'utf8'), { objectMode: false });
}
