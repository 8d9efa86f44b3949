import { toTupleKeywords } from '../validation/to-validation-schema.js';
import { toReadableLabel } from './fields/to-readable-label.js';
import { toSegments } from './field-names.js';
import type { SchemaNode } from './field.js';

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Keywords whose value is one subschema, a map of them or a list of them, rewritten in place
const single = [
  'items',
  'then',
  'else',
  'if',
  'not',
  'contains',
  'additionalProperties',
  'propertyNames',
];
const maps = ['properties', '$defs', 'definitions', 'dependentSchemas', 'patternProperties'];
const lists = ['allOf', 'prefixItems'];

/** The one type a question is asked as: `["string", "null"]` is a string question. */
function toSingleType(type: unknown): unknown {
  if (!Array.isArray(type)) return type;
  const named = type.filter((entry): entry is string => typeof entry === 'string');
  const real = named.filter((entry) => entry !== 'null');
  if (real.length === 0) return named[0];
  // a union that admits text is asked as text, which every such answer can be typed as
  return real.includes('string') ? 'string' : real[0];
}

function isConstChoice(node: SchemaNode): boolean {
  return 'const' in node;
}

function isObjectBranch(node: SchemaNode): boolean {
  return node.type === 'object' || isNode(node.properties);
}

/** The single value a branch gives a property (`const`, or a one-value `enum`), if any. */
function fixedValue(node: unknown): { value: unknown } | undefined {
  if (!isNode(node)) return undefined;
  if ('const' in node) return { value: node.const };
  if (Array.isArray(node.enum) && node.enum.length === 1) return { value: node.enum[0] as unknown };
  return undefined;
}

/** A property every branch fixes to a different value: the question that picks the branch. */
function findDiscriminator(branches: readonly SchemaNode[]): string | undefined {
  const first = branches[0];
  if (!first || !isNode(first.properties)) return undefined;
  for (const name of Object.keys(first.properties)) {
    const values = branches.map((branch) =>
      isNode(branch.properties) ? fixedValue(branch.properties[name]) : undefined,
    );
    if (values.some((value) => value === undefined)) continue;
    const keys = new Set(values.map((value) => JSON.stringify(value?.value)));
    if (keys.size === branches.length) return name;
  }
  return undefined;
}

/** A copy of `node` without `keys`. */
function omit(node: SchemaNode, ...keys: string[]): SchemaNode {
  return Object.fromEntries(Object.entries(node).filter(([key]) => !keys.includes(key)));
}

function without<T>(list: unknown, name: string): T[] {
  return Array.isArray(list) ? (list as T[]).filter((entry) => entry !== name) : [];
}

/**
 * A `oneOf`/`anyOf` of object branches, asked as a choice that picks the branch followed by that
 * branch's questions: the choice is a property every branch fixes (a discriminator), and each
 * branch becomes an `if`/`then` on it, which conditions already show, reveal and prune.
 */
function toBranchChoice(node: SchemaNode, branches: SchemaNode[], keyword: string): SchemaNode {
  const result: SchemaNode = omit(node, keyword);
  const properties: SchemaNode = isNode(node.properties) ? { ...node.properties } : {};
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  const allOf: unknown[] = Array.isArray(node.allOf) ? [...(node.allOf as unknown[])] : [];
  const name = findDiscriminator(branches);
  if (name === undefined) {
    // No property tells the branches apart: ask every branch's questions; the schema judges
    const everywhere = branches.map(
      (branch) => new Set(Array.isArray(branch.required) ? (branch.required as string[]) : []),
    );
    for (const branch of branches) {
      for (const [key, child] of Object.entries(isNode(branch.properties) ? branch.properties : {}))
        if (!(key in properties)) properties[key] = child;
    }
    for (const key of everywhere[0] ?? []) {
      if (everywhere.every((set) => set.has(key))) required.add(key);
    }
  } else {
    const declared = isNode(properties[name]) ? properties[name] : {};
    const firstDeclared = branches
      .map((branch) => (isNode(branch.properties) ? branch.properties[name] : undefined))
      .find(isNode);
    const title = declared.title ?? firstDeclared?.title ?? toReadableLabel(name);
    const choices = branches.map((branch, position) => {
      const value = fixedValue(isNode(branch.properties) ? branch.properties[name] : undefined);
      const label = branch.title ?? toReadableLabel(String(value?.value));
      return {
        const: value?.value,
        title: typeof label === 'string' ? label : `Option ${String(position + 1)}`,
        ...(typeof branch.description === 'string' ? { description: branch.description } : {}),
      };
    });
    properties[name] = { ...omit(declared, 'enum', 'const'), title, oneOf: choices };
    if (
      branches.every((branch) => Array.isArray(branch.required) && branch.required.includes(name))
    )
      required.add(name);
    branches.forEach((branch, position) => {
      const branchProperties: SchemaNode = isNode(branch.properties)
        ? { ...branch.properties }
        : {};
      Reflect.deleteProperty(branchProperties, name);
      const branchRest = omit(branch, 'title', 'description');
      allOf.push({
        if: { properties: { [name]: { const: choices[position]?.const } }, required: [name] },
        then: {
          ...branchRest,
          properties: branchProperties,
          required: without<string>(branch.required, name),
        },
      });
    });
  }
  if (Object.keys(properties).length > 0) result.properties = properties;
  if (required.size > 0) result.required = [...required];
  if (allOf.length > 0) result.allOf = allOf;
  if (result.type === undefined) result.type = 'object';
  return result;
}

const conditionalKeywords = ['if', 'then', 'else', 'oneOf', 'anyOf', 'not', 'dependentSchemas'];

function toTypeList(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  return Array.isArray(type)
    ? type.filter((entry): entry is string => typeof entry === 'string')
    : undefined;
}

// The types both allow: `integer` is a `number`, so number ∩ integer is integer
function intersectTypes(a: unknown, b: unknown): unknown {
  const left = toTypeList(a);
  const right = toTypeList(b);
  if (!left || !right) return left ? a : b;
  const both = left.flatMap((type) => {
    if (right.includes(type)) return [type];
    if (type === 'number' && right.includes('integer')) return ['integer'];
    if (type === 'integer' && right.includes('number')) return ['integer'];
    return [];
  });
  if (both.length === 0) return a;
  return both.length === 1 ? both[0] : both;
}

/** Two schemas that must both hold, as one: types intersected, properties merged, required united. */
function mergeSchemas(a: SchemaNode, b: SchemaNode): SchemaNode {
  const merged: SchemaNode = { ...b, ...a };
  if ('type' in a && 'type' in b) merged.type = intersectTypes(a.type, b.type);
  if (isNode(a.properties) && isNode(b.properties)) {
    const properties: SchemaNode = { ...b.properties, ...a.properties };
    for (const [key, child] of Object.entries(b.properties)) {
      const own = a.properties[key];
      if (isNode(own) && isNode(child)) properties[key] = mergeSchemas(own, child);
    }
    merged.properties = properties;
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    merged.required = [
      ...new Set([
        ...(Array.isArray(a.required) ? (a.required as unknown[]) : []),
        ...(Array.isArray(b.required) ? (b.required as unknown[]) : []),
      ]),
    ];
  }
  return merged;
}

/**
 * Rewrites a form's schema into the shape the engine asks questions from, without changing which
 * questions there are: one type per question, draft-07 `dependencies` as `dependentRequired` and
 * `dependentSchemas`, `data-url` as an upload, and `oneOf`/`anyOf` of objects as a choice that
 * picks the branch. Validation never uses it: the form's own schema is always the judge.
 */
export function toRenderSchema(root: SchemaNode): SchemaNode {
  const resolve = (node: SchemaNode, depth = 0): SchemaNode => {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || depth > 32) return node;
    let target: unknown = root;
    for (const segment of toSegments(ref.slice(1))) {
      target = isNode(target) ? target[segment] : undefined;
    }
    if (!isNode(target)) return node;
    return { ...resolve(target, depth + 1), ...omit(node, '$ref') };
  };

  const rewrite = (node: unknown, refs: readonly string[]): unknown => {
    if (!isNode(node)) return node;
    // a tuple is asked the 2020-12 way whichever draft spelled it
    let result: SchemaNode = toTupleKeywords({ ...node });
    if (Array.isArray(result.allOf)) {
      // parts with no condition are one schema: merged, so each question is declared once
      const kept: unknown[] = [];
      let merged: SchemaNode = omit(result, 'allOf');
      for (const part of result.allOf as unknown[]) {
        const resolved = isNode(part) ? resolve(part) : undefined;
        if (resolved && !conditionalKeywords.some((key) => key in resolved)) {
          merged = mergeSchemas(merged, resolved);
        } else kept.push(part);
      }
      result = kept.length > 0 ? { ...merged, allOf: kept } : merged;
    }
    if ('type' in result) result.type = toSingleType(result.type);
    if (result.format === 'data-url') result.format = 'document';
    if (isNode(result.dependencies)) {
      const requiredBy: SchemaNode = isNode(result.dependentRequired)
        ? { ...result.dependentRequired }
        : {};
      const schemasBy: SchemaNode = isNode(result.dependentSchemas)
        ? { ...result.dependentSchemas }
        : {};
      for (const [name, value] of Object.entries(result.dependencies)) {
        if (Array.isArray(value)) requiredBy[name] = value;
        else schemasBy[name] = value;
      }
      delete result.dependencies;
      if (Object.keys(requiredBy).length > 0) result.dependentRequired = requiredBy;
      if (Object.keys(schemasBy).length > 0) result.dependentSchemas = schemasBy;
    }
    for (const key of single) if (key in result) result[key] = rewrite(result[key], refs);
    for (const key of maps) {
      const value = result[key];
      if (isNode(value)) {
        result[key] = Object.fromEntries(
          Object.entries(value).map(([name, child]) => [name, rewrite(child, refs)]),
        );
      }
    }
    for (const key of lists) {
      const value = result[key];
      if (Array.isArray(value)) result[key] = value.map((child) => rewrite(child, refs));
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const options = result[keyword];
      if (!Array.isArray(options)) continue;
      const branches: SchemaNode[] = [];
      for (const option of options) {
        if (!isNode(option)) continue;
        const ref = typeof option.$ref === 'string' ? option.$ref : undefined;
        // a branch that refers back to itself is refused by the check; never expand it twice
        if (ref !== undefined && refs.includes(ref)) continue;
        const seen = ref === undefined ? refs : [...refs, ref];
        branches.push(rewrite(resolve(option), seen) as SchemaNode);
      }
      const values = branches.filter((branch) => branch.type !== 'null');
      if (values.length === 0) continue;
      if (values.every(isConstChoice)) {
        // a closed list that also admits null: the choices are asked, null is "not answered"
        if (values.length < branches.length) result[keyword] = values;
        continue;
      }
      if (values.every(isObjectBranch)) {
        result = toBranchChoice(result, values, keyword);
        continue;
      }
      // alternatives of one value (`string` or `null`, an email or a URL): asked as the first
      const first = values[0] ?? {};
      result = { ...first, ...omit(result, keyword) };
    }
    return result;
  };
  return rewrite(root, []) as SchemaNode;
}
