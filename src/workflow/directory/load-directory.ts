import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { AppError } from '../../errors/app-error.js';
import type { SecureHome } from './secure-home.js';

export type { LatLong, NeedCode, SecureHome } from './secure-home.js';

// CommonJS default export seen through NodeNext ESM interop
const Ajv2020 = Ajv2020Module.default;

const DEFAULT_FILE = fileURLToPath(new URL('./secure-children-homes.json', import.meta.url));
const SCHEMA_FILE = fileURLToPath(new URL('./secure-children-homes.schema.json', import.meta.url));

/**
 * Reads the secure children's homes directory (the seed in `secure-children-homes.json`, or
 * `file`), checks it against `secure-children-homes.schema.json` and a few rules a schema
 * cannot say (unique ids and emails, age range min ≤ max), and returns the homes. A bad file
 * is ERR_DIRECTORY_INVALID naming the JSON pointer and the problem.
 */
export function loadHomesDirectory(file: string = DEFAULT_FILE): SecureHome[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new AppError('ERR_DIRECTORY_INVALID', `${file}: cannot be read as JSON`, { cause });
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile<{ homes: SecureHome[] }>(
    JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object,
  );
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? 'is not valid'}`,
    );
    throw new AppError('ERR_DIRECTORY_INVALID', `${file}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  data.homes.forEach((home, index) => {
    for (const unique of [`id ${home.id}`, `email ${home.email}`]) {
      if (seen.has(unique)) problems.push(`/homes/${String(index)} repeats ${unique}`);
      seen.add(unique);
    }
    if (home.ageRange.min > home.ageRange.max) {
      problems.push(`/homes/${String(index)}/ageRange min is greater than max`);
    }
  });
  if (problems.length > 0) {
    throw new AppError('ERR_DIRECTORY_INVALID', `${file}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return data.homes;
}
