import type { SchemaNode } from './field.js';

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Keywords that only decide which answers exist; the type lists every answer that may exist
const conditionKeywords = ['if', 'then', 'else', 'allOf', 'dependentSchemas', 'dependentRequired'];

function mergeProperties(target: SchemaNode, branch: SchemaNode): void {
  if (!isNode(branch.properties)) return;
  const properties = isNode(target.properties) ? { ...target.properties } : {};
  for (const [name, schema] of Object.entries(branch.properties)) {
    const existing = properties[name];
    if (isNode(existing) && isNode(schema)) {
      const merged = { ...existing };
      mergeProperties(merged, schema);
      properties[name] = merged;
    } else if (existing === undefined && isNode(schema)) {
      properties[name] = schema;
    }
  }
  target.properties = properties;
}

function collectBranches(node: SchemaNode): SchemaNode[] {
  const branches: SchemaNode[] = [];
  for (const key of ['then', 'else'] as const) {
    const branch = node[key];
    if (isNode(branch)) branches.push(branch, ...collectBranches(branch));
  }
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) {
      if (isNode(part)) branches.push(part, ...collectBranches(part));
    }
  }
  if (isNode(node.dependentSchemas)) {
    for (const branch of Object.values(node.dependentSchemas)) {
      if (isNode(branch)) branches.push(branch, ...collectBranches(branch));
    }
  }
  return branches;
}

/**
 * A form's schema rewritten for type generation: properties declared in condition branches
 * become optional properties of their object (at any depth), conditions are dropped, and
 * titles become descriptions so they are doc comments rather than type names.
 */
export function toTypeSchema(schema: SchemaNode): SchemaNode {
  const flat: SchemaNode = { ...schema };
  for (const branch of collectBranches(schema)) mergeProperties(flat, branch);
  for (const keyword of conditionKeywords) Reflect.deleteProperty(flat, keyword);
  if (typeof flat.title === 'string') {
    flat.description =
      typeof flat.description === 'string' ? `${flat.title}: ${flat.description}` : flat.title;
    delete flat.title;
  }
  for (const key of ['properties', '$defs'] as const) {
    const map = flat[key];
    if (isNode(map)) {
      flat[key] = Object.fromEntries(
        Object.entries(map).map(([name, child]) => [
          name,
          isNode(child) ? toTypeSchema(child) : child,
        ]),
      );
    }
  }
  if (isNode(flat.items)) flat.items = toTypeSchema(flat.items);
  if (Array.isArray(flat.oneOf)) {
    flat.oneOf = flat.oneOf.map((part: unknown) => (isNode(part) ? toTypeSchema(part) : part));
  }
  delete flat.examples;
  return flat;
}
