import type { KeywordDefinition } from 'ajv';
import type { Clock } from '../../ports/clock.js';
import { isIsoDate, toLocalDate } from './local-date.js';

/** `past: true`: a `YYYY-MM-DD` date before today. */
export function pastKeyword(clock: Clock): KeywordDefinition {
  return {
    keyword: 'past',
    type: 'string',
    schemaType: 'boolean',
    metaSchema: { type: 'boolean' },
    validate: (schema: boolean, data: string) =>
      !schema || !isIsoDate(data) || data < toLocalDate(clock.now()),
  };
}
