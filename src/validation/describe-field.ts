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
    if (items.format === 'document') return 'document';
    if (items.type === 'object' || 'properties' in items) return 'group';
    return 'checkboxes';
  }
  if (isChoice(schema)) return 'choice';
  if (schema.type === 'object' || 'properties' in schema) return 'object';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  return 'text';
}
