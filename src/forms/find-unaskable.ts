import { hasChoices } from './fields/choice-list.js';
import { isSchemaNode, schemaType } from './fields/schema-type.js';
import type { SchemaNode } from './field.js';
import type { SchemaIndex } from './schema-index.js';

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
  if (Array.isArray(schema.prefixItems) || Array.isArray(schema.items)) {
    return [
      Array.isArray(schema.prefixItems) ? 'prefixItems' : 'items',
      'Formwork cannot ask a fixed list of answers by position yet: write an object with one property per answer',
    ];
  }
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
  return [
    'items',
    `Formwork cannot ask a list of free answers yet: make each entry an object ("items": { "type": "object", "properties": { "value": { "type": "${schemaType(items) ?? 'string'}" } } }) or a closed list ("enum")`,
  ];
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
    if (type === 'array' && !isDocument(schema)) {
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
      const keyword = isSchemaNode(schema.patternProperties)
        ? 'patternProperties'
        : 'additionalProperties';
      found.push({
        schemaPointer,
        keyword,
        message:
          'this object declares no questions: Formwork cannot ask for keys chosen by the person yet; name each answer in "properties"',
      });
    }
  }
  return found;
}
