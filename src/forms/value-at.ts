import { toSegments } from './field-names.js';

/** The answer at a JSON pointer in `data` (own properties and array items only), or undefined. */
export function valueAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const segment of toSegments(pointer)) {
    if (isRecord(current) && Object.hasOwn(current, segment)) current = current[segment];
    else if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else return undefined;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
