import type { SchemaNode } from '../field.js';

/** The schema's one non-null `type`, inferred from `properties`/`items` when absent. */
export function schemaType(schema: SchemaNode): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const named = type.find(
      (entry): entry is string => typeof entry === 'string' && entry !== 'null',
    );
    if (named !== undefined) return named;
  }
  if (isSchemaNode(schema['properties'])) return 'object';
  if (isSchemaNode(schema['items'])) return 'array';
  return undefined;
}

/** True for a plain JSON object (a schema node, an answer object). */
export function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
