import type { KeywordDefinition } from 'ajv';
import type { Clock } from '../../ports/clock.js';
import { isIsoDate, toLocalDate } from './local-date.js';

/** `future: true`: a `YYYY-MM-DD` date after today. */
export function futureKeyword(clock: Clock): KeywordDefinition {
  return {
    keyword: 'future',
    type: 'string',
    schemaType: 'boolean',
    metaSchema: { type: 'boolean' },
    validate: (schema: boolean, data: string) =>
      !schema || !isIsoDate(data) || data > toLocalDate(clock.now()),
  };
}
