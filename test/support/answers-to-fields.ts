import { toFieldName } from '../../src/forms/field-names.js';

/**
 * Turns answers into the fields a person would post for them on a page: dates split into day,
 * month and year, booleans as "true"/"false", lists as repeated names, repeating groups by index.
 * Document ids are left out (they arrive as uploads).
 */
export function answersToFields(
  answers: unknown,
  pointer = '',
  kindOf: (pointer: string) => string = () => '',
): [string, string][] {
  if (answers === undefined || answers === null) return [];
  const kind = pointer === '' ? '' : kindOf(pointer);
  // lists of free answers and tuples are posted one input per entry (`tags.0`, `tags.1`)
  if (Array.isArray(answers) && (kind === 'list' || kind === 'tuple')) {
    return answers.flatMap((item: unknown, index) =>
      answersToFields(item, `${pointer}/${String(index)}`, kindOf),
    );
  }
  // a key-and-value group is posted as rows of a name and a value
  if (kind === 'pairs' && typeof answers === 'object' && !Array.isArray(answers)) {
    const name = toFieldName(pointer);
    return Object.entries(answers).flatMap(([key, value], row): [string, string][] => [
      [`${name}.${String(row)}.key`, key],
      [`${name}.${String(row)}.value`, String(value)],
    ]);
  }
  if (Array.isArray(answers)) {
    if (answers.every((item) => typeof item !== 'object' || item === null)) {
      return answers
        .filter((item) => !(typeof item === 'string' && item.startsWith('doc_')))
        .map((item) => [toFieldName(pointer), String(item)]);
    }
    return answers.flatMap((item, index) => answersToFields(item, `${pointer}/${index}`, kindOf));
  }
  if (typeof answers === 'object') {
    return Object.entries(answers).flatMap(([key, value]) =>
      answersToFields(value, `${pointer}/${key}`, kindOf),
    );
  }
  const name = toFieldName(pointer);
  if (typeof answers === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(answers)) {
    const [year = '', month = '', day = ''] = answers.split('-');
    return [
      [`${name}-day`, String(Number(day))],
      [`${name}-month`, String(Number(month))],
      [`${name}-year`, year],
    ];
  }
  if (typeof answers === 'string' && answers.startsWith('doc_')) return [];
  if (typeof answers === 'number' || typeof answers === 'boolean' || typeof answers === 'string') {
    return [[name, String(answers)]];
  }
  return [];
}

/** The part of `answers` under the given top-level properties. */
export function pick(answers: Record<string, unknown>, properties: readonly string[]) {
  return Object.fromEntries(
    properties.filter((key) => key in answers).map((key) => [key, answers[key]]),
  );
}
