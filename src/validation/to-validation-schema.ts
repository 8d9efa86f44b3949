type Schema = Record<string, unknown>;

function isNode(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `$schema` values whose meaning Formwork reads as 2020-12 (draft-07 spellings included). */
export const knownDialects: ReadonlySet<string> = new Set([
  'https://json-schema.org/draft/2020-12/schema',
  'https://json-schema.org/draft/2019-09/schema',
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-06/schema',
]);

/** `$schema` without its trailing `#`, for comparing with {@link knownDialects}. */
export function toDialect(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replace(/#$/, '') : undefined;
}

function omit(node: Schema, ...keys: string[]): Schema {
  return Object.fromEntries(Object.entries(node).filter(([key]) => !keys.includes(key)));
}

/** draft-07 array-form `items` is 2020's `prefixItems`, and its `additionalItems` is `items`. */
export function toTupleKeywords(node: Schema): Schema {
  if (!Array.isArray(node.items)) {
    if (!('additionalItems' in node)) return node;
    return omit(node, 'additionalItems');
  }
  const { items, additionalItems, ...rest } = node;
  return {
    ...rest,
    prefixItems: items,
    ...(additionalItems === undefined ? {} : { items: additionalItems }),
  };
}

function rewrite(value: unknown, skip: boolean): unknown {
  if (Array.isArray(value)) return value.map((entry) => rewrite(entry, skip));
  if (!isNode(value)) return value;
  if (skip) return value;
  const node = toTupleKeywords(value);
  return Object.fromEntries(
    Object.entries(node).map(([key, child]) => [
      key,
      // data, not schemas: left exactly as written
      rewrite(child, key === 'enum' || key === 'const' || key === 'default' || key === 'examples'),
    ]),
  );
}

/**
 * The schema Ajv 2020 compiles for a form: the form's own, with the root's `$schema` and `$id`
 * taken off (one Ajv holds every form, and a draft-07 `$schema` names a meta-schema Ajv 2020
 * does not load) and draft-07 tuples written the 2020-12 way. Nothing else changes.
 */
export function toValidationSchema(schema: Schema): Schema {
  return rewrite(omit(schema, '$schema', '$id'), false) as Schema;
}
