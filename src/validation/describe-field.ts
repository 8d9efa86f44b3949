/** How a question behaves for error messages: which words and which href it gets. */
export type FieldKind =
  | 'text'
  | 'number'
  | 'date'
  | 'choice'
  | 'boolean'
  | 'checkboxes'
  | 'document'
  | 'group'
  | 'tuple'
  | 'list'
  | 'pairs'
  | 'object';

/** What the error mapping needs to know about the question at one pointer. */
export interface FieldDescription {
  /** The question's `title` (or its property name made readable). */
  label: string;
  kind: FieldKind;
  /** The question's schema node, `$ref`s resolved. */
  schema: Record<string, unknown>;
}

function isChoice(schema: Record<string, unknown>): boolean {
  return Array.isArray(schema.enum) || Array.isArray(schema.oneOf) || 'const' in schema;
}

function isNode(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFreeItem(items: Record<string, unknown>): boolean {
  const type = Array.isArray(items.type)
    ? (items.type as unknown[]).find((entry) => entry !== 'null')
    : items.type;
  return (type === 'string' || type === 'number' || type === 'integer') && !isChoice(items);
}

/**
 * An object whose keys the person chooses: no `properties` of its own, the values described by
 * `patternProperties` or an `additionalProperties` schema.
 */
export function isPairs(schema: Record<string, unknown>): boolean {
  if (schema.type !== 'object' && schema.type !== undefined) return false;
  if (isNode(schema.properties) && Object.keys(schema.properties).length > 0) return false;
  return isNode(schema.patternProperties) || isNode(schema.additionalProperties);
}

/** The kind of question a (resolved) schema node renders as; `items` resolved by `resolve`. */
export function describeKind(
  schema: Record<string, unknown>,
  resolve: (node: Record<string, unknown>) => Record<string, unknown> = (node) => node,
): FieldKind {
  if (schema.format === 'date') return 'date';
  if (schema.format === 'document') return 'document';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.type === 'array') {
    const items =
      typeof schema.items === 'object' && schema.items !== null
        ? resolve(schema.items as Record<string, unknown>)
        : {};
    if (Array.isArray(schema.prefixItems)) return 'tuple';
    if (items.format === 'document') return 'document';
    if (items.type === 'object' || 'properties' in items) return 'group';
    if (isFreeItem(items)) return 'list';
    return 'checkboxes';
  }
  if (isChoice(schema)) return 'choice';
  if (isPairs(schema)) return 'pairs';
  if (schema.type === 'object' || 'properties' in schema) return 'object';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  return 'text';
}
