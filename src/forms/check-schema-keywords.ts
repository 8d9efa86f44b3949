import type { ErrorObject } from 'ajv';
import { formworkKeywords, type Ajv } from '../validation/create-ajv.js';
import { knownDialects, toDialect } from '../validation/to-validation-schema.js';
import { toPointer, toSegments } from './field-names.js';
import type { SchemaNode } from './field.js';

/** A problem found in a form's schema: where (a pointer into the definition file) and what. */
export interface SchemaProblem {
  pointer: string;
  message: string;
}

// Keywords whose value is a subschema, a map of them or a list of them
const schemaKeywords = [
  'items',
  'additionalItems',
  'contains',
  'if',
  'then',
  'else',
  'not',
  'additionalProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const schemaMapKeywords = [
  'properties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'patternProperties',
  'dependencies',
];
const schemaListKeywords = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const valueKeywords = [
  '$schema',
  '$id',
  '$ref',
  '$comment',
  'type',
  'title',
  'description',
  'default',
  'examples',
  'enum',
  'const',
  'required',
  'dependentRequired',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'readOnly',
  'writeOnly',
  'deprecated',
  'contentMediaType',
  'contentEncoding',
];

/** Every keyword a form's schema may use. */
export const supportedKeywords: ReadonlySet<string> = new Set([
  ...schemaKeywords,
  ...schemaMapKeywords,
  ...schemaListKeywords,
  ...valueKeywords,
  ...formworkKeywords,
]);

/** Formats Formwork asks and checks (ajv-formats' names, plus the upload formats). */
export const knownFormats: ReadonlySet<string> = new Set([
  'date',
  'date-time',
  'time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'url',
  'uuid',
  'regex',
  'json-pointer',
  'relative-json-pointer',
  'data-url',
  'document',
]);

// What to write instead of a keyword Formwork refuses, in an administrator's words
const advice: Record<string, string> = {
  $dynamicRef:
    'Formwork asks a fixed set of questions, so it cannot follow a dynamic reference: use "$ref": "#/$defs/name"',
  $dynamicAnchor: 'name the schema in "$defs" and use "$ref": "#/$defs/name" instead',
  $recursiveRef:
    'Formwork asks a fixed set of questions, so it cannot follow a recursive reference: use "$ref": "#/$defs/name"',
  $recursiveAnchor: 'name the schema in "$defs" and use "$ref": "#/$defs/name" instead',
  $anchor: 'refer to the schema by where it is, "$ref": "#/$defs/name", instead of by an anchor',
  $vocabulary: 'remove it: a form schema uses the standard 2020-12 vocabulary',
};

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkRef(value: unknown, at: string, problems: SchemaProblem[]): void {
  if (typeof value !== 'string') return;
  if (value === '#' || value.startsWith('#/')) return;
  if (value.startsWith('#')) {
    problems.push({
      pointer: at,
      message: `"$ref": "${value}" refers to an anchor; Formwork follows references by where they point: write "$ref": "#/$defs/name"`,
    });
    return;
  }
  problems.push({
    pointer: at,
    message: `"$ref": "${value}" points outside this file; Formwork only follows references inside the form's schema: copy the schema into "$defs" and write "$ref": "#/$defs/name"`,
  });
}

/** Ajv checks a Formwork keyword's value only at compile time and without a pointer. */
function checkFormworkKeyword(
  ajv: Ajv,
  keyword: string,
  value: unknown,
  at: string,
  problems: SchemaProblem[],
): void {
  const definition = ajv.getKeyword(keyword);
  if (typeof definition !== 'object' || definition.metaSchema === undefined) return;
  const validate = ajv.compile(definition.metaSchema);
  if (validate(value)) return;
  const first: ErrorObject | undefined = validate.errors?.[0];
  problems.push({
    pointer: at + (first?.instancePath ?? ''),
    message: first?.message ?? `"${keyword}" is not written as Formwork expects`,
  });
}

const formworkNames: ReadonlySet<string> = new Set(formworkKeywords);

/**
 * Keywords of a form's schema that Formwork does not know or cannot follow, each with what to
 * write instead: unknown keywords, unknown formats, `$ref`s to other files or anchors, an inner
 * `$id` or `$schema`, a `$schema` of a dialect Formwork does not read.
 */
export function checkSchemaKeywords(
  ajv: Ajv,
  node: unknown,
  pointer: string,
  problems: SchemaProblem[],
  isRoot = true,
): void {
  if (!isNode(node)) return;
  for (const [keyword, value] of Object.entries(node)) {
    const at = pointer + toPointer([keyword]);
    if (!supportedKeywords.has(keyword)) {
      const instead = advice[keyword] ?? 'remove it, or check its spelling';
      problems.push({ pointer: at, message: `Formwork does not know "${keyword}": ${instead}` });
    } else if (formworkNames.has(keyword)) {
      checkFormworkKeyword(ajv, keyword, value, at, problems);
    } else if (keyword === '$ref') {
      checkRef(value, at, problems);
    } else if (keyword === '$schema' && !isRoot) {
      problems.push({ pointer: at, message: 'write "$schema" only at the top of the schema' });
    } else if (keyword === '$schema' && !knownDialects.has(toDialect(value) ?? '')) {
      problems.push({
        pointer: at,
        message: `Formwork reads JSON Schema 2020-12 (and draft-07 spellings): write "$schema": "https://json-schema.org/draft/2020-12/schema"`,
      });
    } else if (keyword === '$id' && !isRoot) {
      problems.push({
        pointer: at,
        message:
          'Formwork resolves every "$ref" against the whole form schema: remove this inner "$id" and refer to the schema as "#/$defs/name"',
      });
    } else if (keyword === 'format' && typeof value === 'string' && !knownFormats.has(value)) {
      problems.push({
        pointer: at,
        message: `"${value}" is not a format Formwork knows: use one of ${[...knownFormats].join(', ')}, or a "pattern"`,
      });
    } else if (schemaKeywords.includes(keyword) && Array.isArray(value)) {
      value.forEach((child: unknown, position) => {
        checkSchemaKeywords(ajv, child, `${at}/${String(position)}`, problems, false);
      });
    } else if (schemaKeywords.includes(keyword)) {
      checkSchemaKeywords(ajv, value, at, problems, false);
    } else if (schemaMapKeywords.includes(keyword) && isNode(value)) {
      for (const [name, child] of Object.entries(value)) {
        checkSchemaKeywords(ajv, child, at + toPointer([name]), problems, false);
      }
    } else if (schemaListKeywords.includes(keyword) && Array.isArray(value)) {
      value.forEach((child: unknown, position) => {
        checkSchemaKeywords(ajv, child, `${at}/${String(position)}`, problems, false);
      });
    }
  }
}

function resolvePointer(root: SchemaNode, ref: string): unknown {
  let target: unknown = root;
  for (const segment of toSegments(ref.slice(1))) {
    target = isNode(target) || Array.isArray(target) ? (target as SchemaNode)[segment] : undefined;
  }
  return target;
}

/**
 * Local `$ref`s that do not resolve, and `$ref`s that lead back into themselves (a schema that
 * contains itself would ask questions without end).
 */
export function checkSchemaRefs(root: SchemaNode, pointer: string, problems: SchemaProblem[]) {
  const reported = new Set<string>();
  // a reference followed to its end once without coming back needs no second look
  const done = new Set<string>();
  const visit = (node: unknown, at: string, expanding: readonly string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((child: unknown, position) => {
        visit(child, `${at}/${String(position)}`, expanding);
      });
      return;
    }
    if (!isNode(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') continue;
      const keyAt = at + toPointer([key]);
      if (
        key !== '$ref' ||
        typeof value !== 'string' ||
        !(value === '#' || value.startsWith('#/'))
      ) {
        visit(value, keyAt, expanding);
        continue;
      }
      const target = resolvePointer(root, value);
      if (!isNode(target) && typeof target !== 'boolean') {
        problems.push({
          pointer: keyAt,
          message: `"$ref": "${value}" does not point to a schema in this file`,
        });
      } else if (expanding.includes(value)) {
        if (!reported.has(value)) {
          reported.add(value);
          problems.push({
            pointer: keyAt,
            message: `"$ref": "${value}" refers back to a schema that contains it, so its questions would never end; Formwork cannot ask a recursive schema: write the nesting out to the depth you need (for example "#/$defs/person" holding "#/$defs/personWithoutChildren")`,
          });
        }
      } else if (!done.has(value)) {
        // problems inside the target are reported where the target is written
        visit(target, pointer + value.slice(1), [...expanding, value]);
        done.add(value);
      }
    }
  };
  visit(root, pointer, []);
}
