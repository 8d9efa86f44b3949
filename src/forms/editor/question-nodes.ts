import type { SchemaNode } from '../field.js';

/** The kinds of question the structured editor makes. */
export const questionTypes = {
  text: 'Short text',
  textarea: 'Long text',
  number: 'Number',
  integer: 'Whole number',
  date: 'Date',
  'yes-no': 'Yes or no',
  choice: 'One choice from a list',
} as const;

/** A kind the structured editor makes, or `other` for a question only JSON can change. */
export type QuestionType = keyof typeof questionTypes | 'other';

/** One choice of a choice question. */
export interface Choice {
  value: string;
  label: string;
}

/** "Show this question when `controller` equals `value`." */
export interface QuestionCondition {
  controller: string;
  value: unknown;
}

/** A question as the structured editor and the version diff read it. */
export interface QuestionSummary {
  /** Data pointer (`/child/firstName`). */
  pointer: string;
  /** Pointer of the object holding it (`''` for the top level). */
  container: string;
  name: string;
  title: string;
  hint: string;
  type: QuestionType;
  required: boolean;
  choices: Choice[];
  condition?: QuestionCondition;
}

export function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The choices of a node (`oneOf` of consts with titles, or `enum`). */
export function choicesOf(node: SchemaNode): Choice[] {
  if (Array.isArray(node.oneOf)) {
    return node.oneOf.filter(isNode).flatMap((branch) =>
      'const' in branch
        ? [
            {
              value: String(branch.const),
              label: typeof branch.title === 'string' ? branch.title : String(branch.const),
            },
          ]
        : [],
    );
  }
  if (Array.isArray(node.enum))
    return node.enum.map((value) => ({ value: String(value), label: String(value) }));
  return [];
}

/** The kind of question a node is, as the structured editor names them. */
export function toQuestionType(node: SchemaNode, widget?: string): QuestionType {
  if (node.type === 'boolean') return 'yes-no';
  if (node.format === 'date') return 'date';
  if (Array.isArray(node.oneOf) || Array.isArray(node.enum)) return 'choice';
  if (node.type === 'integer') return 'integer';
  if (node.type === 'number') return 'number';
  if (node.type === 'string' && node.format === undefined)
    return widget === 'textarea' ? 'textarea' : 'text';
  return 'other';
}

/** The single-value condition of an `if` the editor wrote (`{ properties: { y: { const } } }`). */
export function toCondition(branch: unknown): QuestionCondition | undefined {
  if (!isNode(branch) || !isNode(branch.properties)) return undefined;
  const entries = Object.entries(branch.properties);
  if (entries.length !== 1) return undefined;
  const [controller, test] = entries[0] ?? [];
  if (controller === undefined || !isNode(test) || !('const' in test)) return undefined;
  return { controller, value: test.const };
}

/**
 * Every question of an object schema, one level into object properties (a page that asks an
 * object's questions): the object's own properties, then those its `if`/`then` branches add.
 */
export function listQuestions(
  schema: SchemaNode,
  ui: Record<string, { widget?: string }> = {},
  container = '',
  depth = 0,
): QuestionSummary[] {
  const found: QuestionSummary[] = [];
  const add = (
    properties: unknown,
    required: unknown,
    condition: QuestionCondition | undefined,
  ) => {
    if (!isNode(properties)) return;
    const needed = new Set(Array.isArray(required) ? required : []);
    for (const [name, node] of Object.entries(properties)) {
      if (!isNode(node)) continue;
      const pointer = `${container}/${escapeSegment(name)}`;
      if (depth === 0 && (node.type === 'object' || isNode(node.properties))) {
        found.push(...listQuestions(node, ui, pointer, depth + 1));
        continue;
      }
      found.push({
        pointer,
        container,
        name,
        title: typeof node.title === 'string' ? node.title : name,
        hint: typeof node.description === 'string' ? node.description : '',
        type: toQuestionType(node, ui[pointer]?.widget),
        required:
          needed.has(name) || (Array.isArray(schema.required) && schema.required.includes(name)),
        choices: choicesOf(node),
        ...(condition ? { condition } : {}),
      });
    }
  };
  add(schema.properties, schema.required, undefined);
  const branches = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf.filter(isNode) : [])];
  for (const branch of branches) {
    if (!isNode(branch.then)) continue;
    const condition = toCondition(branch.if);
    add(branch.then.properties, branch.then.required, condition);
  }
  return found;
}
