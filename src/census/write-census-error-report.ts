import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import {
  validateCensusFile,
  type CensusFileReport,
  type ValidateCensusFileOptions,
} from './validate-census-file.js';

/** The column the error report adds after the file's own. */
export const errorColumn = 'Errors and queries';

// a cell a spreadsheet would run as a formula; negative numbers are left alone
const formulaStart = /^[=+@\t\r]|^-(?![\d.])/;

function toSafeCell(cell: string): string {
  return formulaStart.test(cell) ? `'${cell}` : cell;
}

/**
 * Writes the rows of a census file that have errors or queries, under the file's own header
 * and one more column saying what is wrong, so an HR officer can mend them in their
 * spreadsheet and upload again. It streams: the file is validated again, not kept in memory.
 */
export async function writeCensusErrorReport(
  input: Readable,
  output: Writable,
  options: Omit<ValidateCensusFileOptions, 'onRow' | 'onHeader'>,
): Promise<CensusFileReport> {
  const csv = stringify();
  const written = pipeline(csv, output);
  const writeRow = (cells: string[]) =>
    new Promise<void>((resolve) => {
      if (csv.write(cells.map(toSafeCell))) resolve();
      else csv.once('drain', resolve);
    });
  const report = await validateCensusFile(input, {
    ...options,
    onHeader: (header) => writeRow([...header, errorColumn]),
    onRow: async ({ cells, issues }) => {
      if (issues.length > 0)
        await writeRow([...cells, issues.map((issue) => issue.message).join('; ')]);
    },
  });
  csv.end();
  await written;
  return report;
}
