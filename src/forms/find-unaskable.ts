import { hasChoices } from './fields/choice-list.js';
import { isSchemaNode, schemaType } from './fields/schema-type.js';
import type { SchemaNode } from './field.js';
import { isFreeAnswer, type SchemaIndex } from './schema-index.js';
import { isPairs } from '../validation/describe-field.js';

/** A question Formwork cannot ask, with what to write instead. */
export interface UnaskableQuestion {
  /** Pointer into the form's schema. */
  schemaPointer: string;
  keyword: string;
  message: string;
}

function isDocument(node: SchemaNode): boolean {
  return node.format === 'document' || node.format === 'data-url';
}

function arrayProblem(schema: SchemaNode, index: SchemaIndex): [string, string] | undefined {
  // a tuple: each position is a question of its own, checked where it is declared
  if (Array.isArray(schema.prefixItems)) return undefined;
  const items = isSchemaNode(schema.items) ? index.resolve(schema.items) : undefined;
  if (!items) {
    return [
      'items',
      'a list needs "items" saying what each entry is: a closed list ("enum"), an object with "properties", or an upload',
    ];
  }
  const resolve = (node: SchemaNode) => index.resolve(node);
  if (hasChoices(items, resolve) || isDocument(items) || schemaType(items) === 'object') {
    return undefined;
  }
  if (isFreeAnswer(items)) return undefined;
  return [
    'items',
    `Formwork asks a list of text, numbers, choices, uploads or groups of questions: write "items": { "type": "string" }, a closed list ("enum"), or an object with "properties"`,
  ];
}

// A pair's value is one short answer: text, a number or yes/no
function pairsProblem(schema: SchemaNode, index: SchemaIndex): [string, string] | undefined {
  const values: [string, unknown][] = [];
  if (isSchemaNode(schema.patternProperties)) {
    for (const [pattern, value] of Object.entries(schema.patternProperties)) {
      values.push([`patternProperties/${pattern.replace(/~/g, '~0').replace(/\//g, '~1')}`, value]);
    }
  }
  if (isSchemaNode(schema.additionalProperties)) {
    values.push(['additionalProperties', schema.additionalProperties]);
  }
  for (const [keyword, value] of values) {
    const resolved = isSchemaNode(value) ? index.resolve(value) : {};
    const type = schemaType(resolved);
    if (type === 'object' || type === 'array') {
      return [
        keyword,
        'Formwork asks pairs of a name and one short answer: give the value a "type" of "string", "number", "integer" or "boolean", or name each answer in "properties"',
      ];
    }
  }
  return undefined;
}

function isRequired(index: SchemaIndex, pattern: string): boolean {
  const segments = pattern.split('/');
  const name = segments.pop() ?? '';
  const parent = segments.join('/');
  const parentSchema = parent === '' ? index.root : index.schemaFor(parent);
  const required = parentSchema?.required;
  return Array.isArray(required) && required.includes(name);
}

/**
 * The questions of a schema Formwork cannot ask: lists of free answers or by position, and
 * objects that declare nothing to ask (only `patternProperties`/`additionalProperties`). Each
 * would otherwise be a page with nothing to answer or an answer that can never be valid.
 */
export function findUnaskable(index: SchemaIndex): UnaskableQuestion[] {
  const found: UnaskableQuestion[] = [];
  const declared = index.declared;
  for (const { pattern, declarations } of declared) {
    const schemaPointer = declarations[0]?.schemaPointer ?? '';
    const schema = index.schemaFor(pattern) ?? {};
    const type = schemaType(schema);
    if (schema.readOnly === true && type !== 'object' && type !== 'array') {
      if (!('const' in schema) && schema.default === undefined && isRequired(index, pattern)) {
        found.push({
          schemaPointer,
          keyword: 'readOnly',
          message:
            'a read-only question is never answered by the person, so a required one needs its value: add "default" (or "const"), or remove "readOnly"',
        });
      }
    } else if (type === 'array' && !isDocument(schema)) {
      const items = isSchemaNode(schema.items) ? index.resolve(schema.items) : undefined;
      if (items && isDocument(items)) continue;
      const problem = arrayProblem(schema, index);
      if (problem) found.push({ schemaPointer, keyword: problem[0], message: problem[1] });
    } else if (type === 'object' && !hasChoices(schema, (node) => index.resolve(node))) {
      const hasChild = declared.some(
        (other) =>
          other.pattern.startsWith(pattern + '/') &&
          !other.pattern.slice(pattern.length + 1).includes('/'),
      );
      if (hasChild) continue;
      if (isPairs(schema)) {
        const problem = pairsProblem(schema, index);
        if (problem) found.push({ schemaPointer, keyword: problem[0], message: problem[1] });
        continue;
      }
      const keyword = isSchemaNode(schema.patternProperties)
        ? 'patternProperties'
        : 'additionalProperties';
      found.push({
        schemaPointer,
        keyword,
        message:
          'this object declares no questions: name each answer in "properties", or give "additionalProperties" a schema ({ "type": "string" }) to ask for pairs of a name and a value',
      });
    }
  }
  return found;
}
