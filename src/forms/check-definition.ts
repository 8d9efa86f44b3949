import type { ErrorObject } from 'ajv';
import { toValidationSchema } from '../validation/to-validation-schema.js';
import { describeKind } from '../validation/describe-field.js';
import type { ValidatorCache } from '../validation/validator-cache.js';
import { toPointer, toSegments } from './field-names.js';
import type { SchemaNode } from './field.js';
import metaSchema from './form-definition.schema.json' with { type: 'json' };
import { defaultPages, type RawFormDefinition } from './form-definition.js';
import { checkSchemaKeywords, checkSchemaRefs } from './check-schema-keywords.js';
import { findUnaskable } from './find-unaskable.js';
import { SchemaIndex } from './schema-index.js';
import { toRenderSchema } from './to-render-schema.js';
import { isRole, roles } from '../auth/roles.js';

/** One thing wrong with a definition file. */
export interface DefinitionProblem {
  file: string;
  /** JSON pointer into the definition file, e.g. `/schema/properties/child/type`. */
  pointer: string;
  message: string;
}

const widgetKinds: Record<string, readonly string[]> = {
  radios: ['choice', 'boolean'],
  select: ['choice'],
  checkboxes: ['checkboxes'],
  textarea: ['text'],
  input: ['text', 'number'],
};

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ajvPointer(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return error.instancePath + toPointer([String(params.additionalProperty)]);
  }
  return error.instancePath;
}

function ajvMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return 'is not a known key';
  if (error.keyword === 'required') return `must have "${String(params.missingProperty)}"`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return error.message ?? `fails ${error.keyword}`;
}

/** Ajv errors as problems, one per pointer (the first), under `prefix`. */
function fromAjv(errors: readonly ErrorObject[] | null | undefined, prefix: string) {
  const problems = new Map<string, string>();
  for (const error of errors ?? []) {
    const pointer = prefix + ajvPointer(error);
    if (!problems.has(pointer)) problems.set(pointer, ajvMessage(error));
  }
  return [...problems].map(([pointer, message]) => ({ pointer, message }));
}

type Found = Omit<DefinitionProblem, 'file'>;

// Ajv's compile errors, in words an administrator can act on: never an Ajv option name
function toCompileProblem(error: unknown): Found {
  const text = error instanceof Error ? error.message : String(error);
  const where = /at "[^"#]*#([^"]*)"/.exec(text)?.[1] ?? /path "#([^"]*)"/.exec(text)?.[1] ?? '';
  const message = text
    .replace(/^strict mode: /, '')
    .replace(/\s*\((strict\w*)\)/g, '')
    .replace(/,?\s*use (allow\w+|strict\w+)[^]*$/, '')
    .replace(/ at "[^"]*"| in schema at path "[^"]*"/g, '');
  return {
    pointer: '/schema' + where,
    message: `the schema cannot be used as written: ${message}`,
  };
}

/**
 * Everything wrong with one parsed definition file, beyond JSON syntax: the meta-schema, then
 * what Ajv cannot check (`roles` names, pages, `ui`, `retention` and `draftLabel` pointers, `$ref`s, keywords, examples).
 * Compiles the form's schema into `validators` under `version` as a side effect.
 */
export function checkDefinition(
  definition: unknown,
  version: string,
  validators: ValidatorCache,
): Found[] {
  const { ajv } = validators;
  const validateMeta = ajv.getSchema(metaSchema.$id) ?? ajv.compile(metaSchema);
  if (!validateMeta(definition)) return fromAjv(validateMeta.errors, '');
  const raw = definition as RawFormDefinition;
  const schema = raw.schema;
  const problems: Found[] = [];

  for (const [position, role] of (raw.roles ?? []).entries()) {
    if (isRole(role)) continue;
    problems.push({
      pointer: `/roles/${String(position)}`,
      message: `"${String(role)}" is not a role: a role is one of ${roles.join(', ')}`,
    });
  }
  checkSchemaKeywords(ajv, schema, '/schema', problems);
  checkSchemaRefs(schema, '/schema', problems);
  if (problems.length > 0) return problems;
  if (!ajv.validateSchema(toValidationSchema(schema))) {
    return fromAjv(ajv.errors, '/schema');
  }

  let validate;
  try {
    validate = validators.validatorFor(version, schema);
  } catch (error) {
    return [toCompileProblem(error)];
  }

  const index = new SchemaIndex(toRenderSchema(schema));
  for (const unaskable of findUnaskable(index)) {
    problems.push({
      pointer: '/schema' + unaskable.schemaPointer + '/' + unaskable.keyword,
      message: unaskable.message,
    });
  }
  if (index.declared.length === 0) {
    const keyword = ['patternProperties', 'additionalProperties'].find((key) =>
      isNode(schema[key]),
    );
    problems.push({
      pointer: '/schema/' + (keyword ?? 'properties'),
      message: keyword
        ? `the schema declares no questions: a page asks named questions, so put the pairs of a name and a value under one, for example "properties": { "codes": { "type": "object", "${keyword}": … } }, or name each answer in "properties"`
        : 'the schema asks nothing: declare the questions in "properties"',
    });
  }
  if (problems.length > 0) return problems;
  const topLevel = index.declared.filter((declared) => toSegments(declared.pattern).length === 1);
  const pages = raw.pages ?? defaultPages(schema, raw.title);
  const placed = new Map<string, string>();
  const pageIds = new Set<string>();
  pages.forEach((page, pageAt) => {
    if (pageIds.has(page.id)) {
      problems.push({
        pointer: `/pages/${String(pageAt)}/id`,
        message: `page id "${page.id}" is used twice`,
      });
    }
    pageIds.add(page.id);
    page.properties.forEach((name, at) => {
      const pointer = `/pages/${String(pageAt)}/properties/${String(at)}`;
      if (!index.get(toPointer([name]))) {
        problems.push({ pointer, message: `"${name}" is not a top-level property of the schema` });
      } else if (placed.has(name)) {
        problems.push({
          pointer,
          message: `"${name}" is already on page "${String(placed.get(name))}"`,
        });
      } else {
        placed.set(name, page.id);
      }
    });
  });
  for (const declared of topLevel) {
    const name = toSegments(declared.pattern)[0] ?? '';
    if (!placed.has(name)) {
      const where = declared.declarations[0]?.schemaPointer ?? '';
      problems.push({ pointer: '/schema' + where, message: `"${name}" is not on any page` });
    }
  }

  problems.push(...checkSections(raw.sections, pages));

  for (const [key, options] of Object.entries(raw.ui ?? {})) {
    const at = '/ui' + toPointer([key]);
    const schemaNode = index.get(key)?.declarations[0]?.schema;
    if (!schemaNode) {
      problems.push({ pointer: at, message: `"${key}" does not name a question in the schema` });
      continue;
    }
    const kinds = options.widget ? widgetKinds[options.widget] : undefined;
    const kind = describeKind(schemaNode, (node) => index.resolve(node));
    if (options.widget && kinds && !kinds.includes(kind)) {
      problems.push({
        pointer: at + '/widget',
        message: `widget "${options.widget}" does not suit a ${kind} question`,
      });
    }
  }

  const from = raw.retention?.from;
  if (from !== undefined && from !== 'submitted') {
    const schemaNode = index.get(from)?.declarations[0]?.schema;
    if (!schemaNode || from.includes('*')) {
      problems.push({
        pointer: '/retention/from',
        message: `"${from}" does not name a question in the schema`,
      });
    } else if (schemaNode.format !== 'date') {
      problems.push({ pointer: '/retention/from', message: `"${from}" is not a date question` });
    }
  }

  const draftLabel = raw.draftLabel;
  if (draftLabel !== undefined && (draftLabel.includes('*') || !index.get(draftLabel))) {
    problems.push({
      pointer: '/draftLabel',
      message: `"${draftLabel}" does not name a question in the schema`,
    });
  }

  const examples = schema.examples;
  if (Array.isArray(examples)) {
    examples.forEach((example: unknown, at) => {
      if (!validate(example)) {
        for (const problem of fromAjv(validate.errors, `/schema/examples/${String(at)}`)) {
          problems.push(problem);
        }
      }
    });
  }
  return problems;
}

/**
 * Sections name real pages, each page is in exactly one section, and sections follow the page
 * order (so Continue within a section and the task list agree); `dependsOn` names earlier ones.
 */
function checkSections(
  sections: RawFormDefinition['sections'],
  pages: readonly { id: string }[],
): Found[] {
  if (!sections) return [];
  const problems: Found[] = [];
  const order = new Map(pages.map((page, at) => [page.id, at]));
  const sectionOf = new Map<string, string>();
  const earlier = new Set<string>();
  let last = -1;
  sections.forEach((section, sectionAt) => {
    const at = `/sections/${String(sectionAt)}`;
    if (earlier.has(section.id)) {
      problems.push({ pointer: `${at}/id`, message: `section id "${section.id}" is used twice` });
    }
    section.pages.forEach((pageId, pageAt) => {
      const pointer = `${at}/pages/${String(pageAt)}`;
      const position = order.get(pageId);
      if (position === undefined) {
        problems.push({ pointer, message: `"${pageId}" is not a page of the form` });
      } else if (sectionOf.has(pageId)) {
        problems.push({
          pointer,
          message: `page "${pageId}" is already in section "${String(sectionOf.get(pageId))}"`,
        });
      } else if (position < last) {
        problems.push({
          pointer,
          message: `page "${pageId}" comes before the previous one in "pages"; list sections and their pages in page order`,
        });
      } else {
        sectionOf.set(pageId, section.id);
        last = position;
      }
    });
    (section.dependsOn ?? []).forEach((other, otherAt) => {
      if (!earlier.has(other)) {
        problems.push({
          pointer: `${at}/dependsOn/${String(otherAt)}`,
          message: `"${other}" is not an earlier section`,
        });
      }
    });
    earlier.add(section.id);
  });
  for (const page of pages) {
    if (!sectionOf.has(page.id)) {
      problems.push({ pointer: '/sections', message: `page "${page.id}" is not in any section` });
    }
  }
  return problems;
}
