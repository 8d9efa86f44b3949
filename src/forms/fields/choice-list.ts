import type { SchemaNode } from '../field.js';
import { isSchemaNode } from './schema-type.js';

/** One choice a radios, select or checkboxes question offers. */
export interface Choice {
  value: unknown;
  /** The HTML `value` and the `conditionalHtml` key: the string itself, JSON for anything else. */
  key: string;
  title: string;
  hint?: string;
}

/** The key a choice value is posted and looked up by. */
export function toChoiceKey(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify gives undefined for undefined, whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

/**
 * The choices of an `enum`, a `oneOf` of `{ const, title, description? }` or a lone `const`;
 * empty when none.
 */
export function toChoiceList(
  schema: SchemaNode,
  resolve: (node: SchemaNode) => SchemaNode,
): Choice[] {
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues)) {
    return enumValues.map((value: unknown) => ({
      value,
      key: toChoiceKey(value),
      title: toChoiceKey(value),
    }));
  }
  const options = schema['oneOf'] ?? schema['anyOf'];
  // a branch may narrow a typed question to one value (FTE 0 for a leaver): still typed in
  const typed = schema['type'] !== undefined && schema['type'] !== 'boolean';
  if (!Array.isArray(options) && 'const' in schema && !typed) {
    // one permitted answer ("I agree"): asked as a single choice to confirm
    const value = schema['const'];
    const title = value === true ? 'Yes' : value === false ? 'No' : toChoiceKey(value);
    return [{ value, key: toChoiceKey(value), title }];
  }
  if (!Array.isArray(options)) return [];
  const choices: Choice[] = [];
  for (const option of options) {
    if (!isSchemaNode(option)) continue;
    const node = resolve(option);
    if (!('const' in node)) continue;
    const value = node['const'];
    const title = typeof node['title'] === 'string' ? node['title'] : toChoiceKey(value);
    const description = node['description'];
    choices.push({
      value,
      key: toChoiceKey(value),
      title,
      ...(typeof description === 'string' ? { hint: description } : {}),
    });
  }
  return choices;
}

/** True when the schema is a closed list of choices. */
export function hasChoices(schema: SchemaNode, resolve: (node: SchemaNode) => SchemaNode): boolean {
  return toChoiceList(schema, resolve).length > 0;
}
