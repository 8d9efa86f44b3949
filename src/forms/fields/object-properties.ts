import { toPointer, toSegments } from '../field-names.js';
import type { FieldOptions, SchemaNode } from '../field.js';
import { isSchemaNode } from './schema-type.js';
import { toReadableLabel } from './to-readable-label.js';

/** One property an object question asks, wherever in the schema it is declared. */
export interface ObjectProperty {
  key: string;
  schema: SchemaNode;
  /** Required where shown: in the object's `required`, or (for a conditional one) its branch's. */
  required: boolean;
}

function requiredKeys(schema: SchemaNode): string[] {
  const required = schema['required'];
  return Array.isArray(required)
    ? required.filter((key): key is string => typeof key === 'string')
    : [];
}

/** The branches whose properties are declared only when a condition applies, at any depth. */
function branchesOf(schema: SchemaNode, resolve: (node: SchemaNode) => SchemaNode): SchemaNode[] {
  const direct: SchemaNode[] = [];
  for (const keyword of ['then', 'else']) {
    const branch = schema[keyword];
    if (isSchemaNode(branch)) direct.push(resolve(branch));
  }
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) {
    for (const entry of allOf) if (isSchemaNode(entry)) direct.push(resolve(entry));
  }
  const dependent = schema['dependentSchemas'];
  if (isSchemaNode(dependent)) {
    for (const entry of Object.values(dependent)) {
      if (isSchemaNode(entry)) direct.push(resolve(entry));
    }
  }
  return direct.flatMap((node) => [node, ...branchesOf(node, resolve)]);
}

/**
 * The properties of an object schema in declaration order: its own `properties`, then those
 * declared only inside `then`/`else` branches (including inside `allOf`).
 */
export function toObjectProperties(
  schema: SchemaNode,
  resolve: (node: SchemaNode) => SchemaNode,
): ObjectProperty[] {
  const found = new Map<string, ObjectProperty>();
  const add = (node: SchemaNode): void => {
    const properties = node['properties'];
    if (!isSchemaNode(properties)) return;
    const required = requiredKeys(node);
    for (const [key, child] of Object.entries(properties)) {
      if (!isSchemaNode(child) || found.has(key)) continue;
      found.set(key, { key, schema: resolve(child), required: required.includes(key) });
    }
  };
  add(schema);
  for (const branch of branchesOf(schema, resolve)) add(branch);
  return [...found.values()];
}

/** The options to build the field of one property (or item) under `parent`. */
export function toChildOptions(
  parent: FieldOptions,
  key: string,
  schema: SchemaNode,
  required: boolean,
  label?: string,
): FieldOptions {
  const title = schema['title'];
  const description = schema['description'];
  return {
    pointer: toPointer([...toSegments(parent.pointer), key]),
    schema,
    required,
    label: label ?? (typeof title === 'string' ? title : toReadableLabel(key)),
    ...(typeof description === 'string' ? { hint: description } : {}),
    // The builder (createChild) applies the definition's `ui` entry for the child's pointer.
    ui: {},
    createChild: parent.createChild,
    resolve: parent.resolve,
  };
}

/** An answer object's own property, never one inherited (`__proto__` is just a name). */
export function ownValue(value: unknown, key: string): unknown {
  return isSchemaNode(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}
