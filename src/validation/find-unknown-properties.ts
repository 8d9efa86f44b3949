/** A JSON Schema node as this module reads it: an object schema or a boolean schema. */
type SchemaNode = Record<string, unknown> | boolean;

/** Branches whose properties count as declared wherever the schema holding them applies. */
const objectBranchKeywords = ['allOf', 'anyOf', 'oneOf'] as const;
const singleBranchKeywords = ['if', 'then', 'else'] as const;

/**
 * The JSON pointers of every property in `data` that `schema` does not declare, outermost
 * first. A property is declared when some branch that can apply to its object names it in
 * `properties`, matches it with `patternProperties`, or lets any name in through
 * `additionalProperties` / `unevaluatedProperties` set to `true` or a schema. Branches are
 * followed through local `$ref`s (`#/$defs/…`, `#/definitions/…`, any local pointer), `allOf`,
 * `anyOf`, `oneOf`, `if`/`then`/`else`, `dependentSchemas` and draft-07 `dependencies`.
 *
 * An object whose schemas declare no property at all (`{ "type": "object" }`, `{}`, `true`) is
 * open: everything in it is allowed. Otherwise a property nothing declares is one no question
 * asks, even where plain JSON Schema lets it through; the API reports such properties when the
 * schema allows them, so they are never stored unseen. Arrays are followed through `items`,
 * `prefixItems` and draft-07 array-form `items` / `additionalItems`.
 */
export function findUnknownProperties(schema: unknown, data: unknown): string[] {
  const found: string[] = [];
  const root = isSchemaNode(schema) ? schema : true;
  visit([root], data, '', root, found);
  return found;
}

function visit(
  schemas: readonly SchemaNode[],
  data: unknown,
  pointer: string,
  root: SchemaNode,
  found: string[],
): void {
  if (data === null || typeof data !== 'object') return;
  const applicable = expand(schemas, root);
  if (Array.isArray(data)) {
    data.forEach((item, index) => {
      const itemSchemas = applicable.flatMap((node) => itemSchemasOf(node, index));
      if (itemSchemas.length > 0) visit(itemSchemas, item, `${pointer}/${index}`, root, found);
    });
    return;
  }
  const objects = applicable.filter((node): node is Record<string, unknown> => node !== true);
  const open = !objects.some(declaresProperties) || objects.some(allowsAnyName);
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    const childPointer = `${pointer}/${escapePointer(name)}`;
    const children = objects.flatMap((node) => propertySchemasOf(node, name));
    if (children.length === 0 && !open) {
      found.push(childPointer);
      continue;
    }
    if (children.length > 0) visit(children, value, childPointer, root, found);
  }
}

/** Every schema that applies at one place: the given ones and all their branches, once each. */
function expand(schemas: readonly SchemaNode[], root: SchemaNode): SchemaNode[] {
  const seen = new Set<SchemaNode>();
  const out: SchemaNode[] = [];
  const stack = [...schemas];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined || node === false || seen.has(node)) continue;
    seen.add(node);
    out.push(node);
    if (node === true) continue;
    if (typeof node.$ref === 'string') {
      const target = resolveLocalRef(root, node.$ref);
      if (target !== undefined) stack.push(target);
    }
    for (const keyword of objectBranchKeywords) {
      const branches = node[keyword];
      if (Array.isArray(branches)) stack.push(...branches.filter(isSchemaNode));
    }
    for (const keyword of singleBranchKeywords) {
      const branch = node[keyword];
      if (isSchemaNode(branch)) stack.push(branch);
    }
    for (const keyword of ['dependentSchemas', 'dependencies']) {
      const map = node[keyword];
      if (isRecord(map)) stack.push(...Object.values(map).filter(isSchemaNode));
    }
  }
  return out;
}

function declaresProperties(node: Record<string, unknown>): boolean {
  return (
    isRecord(node.properties) ||
    isRecord(node.patternProperties) ||
    node.additionalProperties !== undefined ||
    node.unevaluatedProperties !== undefined
  );
}

function allowsAnyName(node: Record<string, unknown>): boolean {
  return [node.additionalProperties, node.unevaluatedProperties].some(
    (value) => value !== undefined && value !== false,
  );
}

/** The schemas that describe the property `name` of an object `node` applies to. */
function propertySchemasOf(node: Record<string, unknown>, name: string): SchemaNode[] {
  const out: SchemaNode[] = [];
  const properties = node.properties;
  if (isRecord(properties) && Object.hasOwn(properties, name)) {
    const child = properties[name];
    if (isSchemaNode(child)) out.push(child);
  }
  const patterns = node.patternProperties;
  if (isRecord(patterns)) {
    for (const [pattern, child] of Object.entries(patterns)) {
      if (isSchemaNode(child) && matches(pattern, name)) out.push(child);
    }
  }
  if (out.length === 0) {
    for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
      const child = node[keyword];
      if (isSchemaNode(child) && child !== false) out.push(child);
    }
  }
  return out;
}

/** The schemas for the item at `index` of an array `node` applies to. */
function itemSchemasOf(node: SchemaNode, index: number): SchemaNode[] {
  if (node === true || node === false) return [];
  const prefix = Array.isArray(node.prefixItems)
    ? node.prefixItems
    : Array.isArray(node.items)
      ? node.items
      : undefined;
  if (prefix && index < prefix.length) {
    const item: unknown = prefix[index];
    return isSchemaNode(item) ? [item] : [];
  }
  const rest = Array.isArray(node.prefixItems)
    ? node.items
    : Array.isArray(node.items)
      ? node.additionalItems
      : node.items;
  return isSchemaNode(rest) ? [rest] : [];
}

/** A local `$ref` (`#`, `#/$defs/x`, `#/definitions/x`, any JSON pointer) or undefined. */
function resolveLocalRef(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  for (const segment of pointer.slice(1).split('/')) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isSchemaNode(node) ? node : undefined;
}

const patternCache = new Map<string, RegExp | null>();

function matches(pattern: string, name: string): boolean {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      // A pattern Ajv would refuse at start-up; here it simply matches nothing.
      regex = null;
    }
    patternCache.set(pattern, regex);
  }
  return regex !== null && regex.test(name);
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'boolean' || isRecord(value);
}
