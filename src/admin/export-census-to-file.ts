import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOrganisation } from '../auth/people.js';
import type { CensusReturns } from '../census/census-returns.js';
import { AppError } from '../errors/app-error.js';
import type { Queryable } from '../store/database.js';

/** The folders Formwork serves files from: an export is never written into them. */
const servedDirs = [
  fileURLToPath(new URL('../../public', import.meta.url)),
  fileURLToPath(new URL('../../node_modules', import.meta.url)),
];

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Exports an authority's signed-off census return as CSWW XML to `out`, or to
 * `$DATA_DIR/exports/` by default, readable by the owner only. Audited as the `cli`.
 */
export async function exportCensusToFile(
  db: Queryable,
  census: CensusReturns,
  options: { la: string; year: number; out: string | undefined; dataDir: string },
): Promise<{ path: string }> {
  const invalid = (message: string) =>
    new AppError('ERR_AUTH_USER_INVALID', message, { userMessage: message });
  if (!/^\d{3}$/.test(options.la)) throw invalid('--la is a 3-digit LA code, like 383.');
  if (!Number.isInteger(options.year) || options.year < 2000 || options.year > 2100)
    throw invalid('--year is a census year, like 2026.');
  const authority = await findOrganisation(db, options.la);
  if (authority?.kind !== 'local-authority')
    throw invalid(`There is no local authority with LA code ${options.la}.`);
  const { xml, filename } = await census.export({
    organisationId: authority.id,
    laCode: options.la,
    year: options.year,
    actor: { type: 'system', id: 'cli', organisationId: authority.id },
  });
  const path = resolve(options.out ?? join(options.dataDir, 'exports', filename));
  if (servedDirs.some((dir) => isInside(path, dir)))
    throw invalid(
      'An export is never written into a folder Formwork serves. Choose another --out.',
    );
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, xml, { mode: 0o600 });
  return { path };
}
