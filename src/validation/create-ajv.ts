import Ajv2020Module from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { systemClock, type Clock } from '../ports/clock.js';
import { ageAtLeastKeyword } from './keywords/age-at-least.js';
import { ageUnderKeyword } from './keywords/age-under.js';
import { annotationKeywords } from './keywords/annotation-keywords.js';
import { futureKeyword } from './keywords/future.js';
import { pastKeyword } from './keywords/past.js';

// CommonJS default exports seen through NodeNext ESM interop
const Ajv2020 = Ajv2020Module.default;
const addFormats = formatsModule.default;

/** The Ajv class used throughout (JSON Schema 2020-12). */
export type Ajv = InstanceType<typeof Ajv2020>;

/** The Formwork vocabulary's keyword names, for the meta-schema's supported-keyword check. */
export const formworkKeywords = [
  'errorMessage',
  'past',
  'future',
  'ageUnder',
  'ageAtLeast',
  'accept',
  'maxFileSize',
  'x-reviewTitle',
  'x-summary',
] as const;

/** Pattern of a stored document id (`format: "document"`). */
export const documentIdPattern = /^doc_[a-z0-9]{20,40}$/;

/**
 * Creates the one Ajv instance of a process: 2020-12, every error, strict about unknown
 * keywords (not about what the standard allows), with ajv-formats,
 * the `document` format and the Formwork keywords (docs/form-definition.md). Date keywords read
 * `clock` when they run, so tests can fix today.
 */
export function createAjv(clock: Clock = systemClock): Ajv {
  const ajv = new Ajv2020({
    multipleOfPrecision: 9,
    allErrors: true,
    // Unknown keywords and numbers stay strict; the rest of strict mode refuses schemas the
    // standard allows (a `then` that only adds `required`, union types, an untyped `minimum`).
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addFormat('document', documentIdPattern);
  // a file question: the answer is the uploaded document's id (src/forms/fields/document-field.ts)
  ajv.addFormat('data-url', documentIdPattern);
  for (const keyword of annotationKeywords) ajv.addKeyword(keyword);
  ajv.addKeyword(pastKeyword(clock));
  ajv.addKeyword(futureKeyword(clock));
  ajv.addKeyword(ageUnderKeyword(clock));
  ajv.addKeyword(ageAtLeastKeyword(clock));
  return ajv;
}
