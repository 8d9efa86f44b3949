import type { KeywordDefinition } from 'ajv';
import type { Clock } from '../../ports/clock.js';
import { addYears, isIsoDate, toLocalDate } from './local-date.js';

/** `ageAtLeast: n`: someone born on this date is at least n years old today. */
export function ageAtLeastKeyword(clock: Clock): KeywordDefinition {
  return {
    keyword: 'ageAtLeast',
    type: 'string',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 0 },
    validate: (years: number, data: string) =>
      !isIsoDate(data) || addYears(data, years) <= toLocalDate(clock.now()),
  };
}
