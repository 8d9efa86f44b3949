import type { KeywordDefinition } from 'ajv';
import type { Clock } from '../../ports/clock.js';
import { addYears, isIsoDate, toLocalDate } from './local-date.js';

/** `ageUnder: n`: someone born on this date is under n years old today. */
export function ageUnderKeyword(clock: Clock): KeywordDefinition {
  return {
    keyword: 'ageUnder',
    type: 'string',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 0 },
    validate: (years: number, data: string) =>
      !isIsoDate(data) || addYears(data, years) > toLocalDate(clock.now()),
  };
}
