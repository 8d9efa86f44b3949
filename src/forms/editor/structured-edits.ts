import type { SchemaNode } from '../field.js';
import {
  defaultPages,
  toKebabCase,
  type PageDefinition,
  type RawFormDefinition,
} from '../form-definition.js';
import {
  isNode,
  listQuestions,
  toCondition,
  type Choice,
  type QuestionCondition,
  type QuestionSummary,
  type QuestionType,
} from './question-nodes.js';

/** An everyday change refused before it is checked (the check gives the rest). */
export class EditRefused extends Error {
  constructor(
    message: string,
    /** The form field the reason is about, for the error summary. */
    readonly field = '',
  ) {
    super(message);
    this.name = 'EditRefused';
  }
}

/** What the question form sends. */
export interface QuestionFields {
  title: string;
  hint: string;
  type: QuestionType;
  required: boolean;
  choices: Choice[];
  condition?: QuestionCondition | undefined;
}

/** A copy of the definition with its pages written out (the default layout made explicit). */
export function withPages(raw: RawFormDefinition): RawFormDefinition & { pages: PageDefinition[] } {
  const copy = structuredClone(raw);
  return { ...copy, pages: copy.pages ?? defaultPages(copy.schema, copy.title) };
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The object schema at a container pointer (`''` or `/child`). */
function containerAt(raw: RawFormDefinition, container: string): SchemaNode {
  if (container === '') return raw.schema;
  const name = unescape(container.slice(1));
  const node = isNode(raw.schema.properties) ? raw.schema.properties[name] : undefined;
  if (!isNode(node)) throw new EditRefused('That question is not on this form');
  return node;
}

/** The questions a page asks, in order. */
export function pageQuestions(raw: RawFormDefinition, page: PageDefinition): QuestionSummary[] {
  const all = listQuestions(raw.schema, raw.ui ?? {});
  const tops = new Set(page.properties);
  const order = (question: QuestionSummary) =>
    page.properties.indexOf(unescape(question.pointer.split('/')[1] ?? ''));
  return all
    .filter((question) => tops.has(unescape(question.pointer.split('/')[1] ?? '')))
    .sort((a, b) => order(a) - order(b));
}

/** Where a new question on a page goes: inside the page's one object, or at the top level. */
export function pageContainer(raw: RawFormDefinition, page: PageDefinition): string {
  const [only, ...rest] = page.properties;
  const node =
    only !== undefined && isNode(raw.schema.properties) ? raw.schema.properties[only] : undefined;
  return rest.length === 0 && isNode(node) && isNode(node.properties) ? `/${only ?? ''}` : '';
}

export function toNode(fields: QuestionFields, previous: SchemaNode | undefined): SchemaNode {
  const kept: SchemaNode = previous && fields.type === 'other' ? { ...previous } : {};
  if (previous && fields.type !== 'other') {
    // keep what the editor does not change (error texts, lengths) while the type stays
    const sameType = JSON.stringify(typeOf(previous)) === JSON.stringify(typeOf(toTyped(fields)));
    if (sameType) Object.assign(kept, previous);
    delete kept.oneOf;
    delete kept.enum;
  }
  const node: SchemaNode = { ...kept, ...toTyped(fields), title: fields.title };
  if (fields.hint) node.description = fields.hint;
  else delete node.description;
  return node;
}

function typeOf(node: SchemaNode) {
  return [node.type, node.format];
}

function toTyped(fields: QuestionFields): SchemaNode {
  switch (fields.type) {
    case 'text':
    case 'textarea':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'integer':
      return { type: 'integer' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'yes-no':
      return { type: 'boolean' };
    case 'choice':
      if (fields.choices.length < 2)
        throw new EditRefused('Enter at least 2 choices, one on each line', 'choices');
      return {
        type: 'string',
        oneOf: fields.choices.map((choice) => ({ const: choice.value, title: choice.label })),
      };
    case 'other':
      return {};
  }
}

export function uniqueName(container: SchemaNode, title: string): string {
  const words = title
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .trim()
    .split(/\s+/)
    .slice(0, 5);
  const base =
    words
      .map((word, index) =>
        index === 0
          ? word.toLowerCase()
          : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase(),
      )
      .join('') || 'question';
  const taken = new Set(listQuestions(container).map((question) => question.name));
  let name = /^[a-z]/.test(base) ? base : `q${base}`;
  for (let n = 2; taken.has(name); n += 1) name = `${base}${String(n)}`;
  return name;
}

/** Removes a question from wherever its object declares it; returns its node. */
export function detach(container: SchemaNode, name: string): SchemaNode | undefined {
  let found: SchemaNode | undefined;
  const take = (holder: SchemaNode) => {
    if (isNode(holder.properties) && isNode(holder.properties[name])) {
      found = holder.properties[name];
      holder.properties = Object.fromEntries(
        Object.entries(holder.properties).filter(([key]) => key !== name),
      );
    }
    if (Array.isArray(holder.required))
      holder.required = holder.required.filter((item) => item !== name);
  };
  take(container);
  if (Array.isArray(container.allOf)) {
    for (const branch of container.allOf.filter(isNode)) if (isNode(branch.then)) take(branch.then);
    // a branch the editor made for this question alone goes with it
    const kept = container.allOf.filter(
      (branch) =>
        !(
          isNode(branch) &&
          isNode(branch.then) &&
          isNode(branch.then.properties) &&
          Object.keys(branch.then.properties).length === 0
        ),
    );
    if (kept.length === 0) delete container.allOf;
    else container.allOf = kept;
  }
  if (isNode(container.then)) take(container.then);
  return found;
}

export function attach(
  container: SchemaNode,
  name: string,
  node: SchemaNode,
  fields: QuestionFields,
  siblings: QuestionSummary[],
) {
  if (fields.condition) {
    const { controller, value } = fields.condition;
    const target = siblings.find((question) => question.name === controller);
    if (!target || target.condition) {
      throw new EditRefused(
        'Choose a question on the same page that is always shown',
        'conditionQuestion',
      );
    }
    const branch: SchemaNode = {
      if: { properties: { [controller]: { const: value } }, required: [controller] },
      then: { properties: { [name]: node }, ...(fields.required ? { required: [name] } : {}) },
    };
    if (container.additionalProperties === false) {
      // additionalProperties sees only its own properties: a branch's question would be refused
      delete container.additionalProperties;
      container.unevaluatedProperties = false;
    }
    container.allOf = [
      ...(Array.isArray(container.allOf) ? (container.allOf as unknown[]) : []),
      branch,
    ];
    return;
  }
  container.properties = {
    ...(isNode(container.properties) ? container.properties : {}),
    [name]: node,
  };
  if (fields.required)
    container.required = [
      ...(Array.isArray(container.required) ? (container.required as unknown[]) : []),
      name,
    ];
}

/** The value a condition compares with, typed as the controlling question's answers are. */
export function toConditionValue(
  raw: RawFormDefinition,
  container: string,
  controller: string,
  text: string,
): unknown {
  const question = listQuestions(containerAt(raw, container)).find(
    (item) => item.name === controller,
  );
  if (!question)
    throw new EditRefused('Choose the question the condition depends on', 'conditionQuestion');
  if (question.type === 'yes-no') {
    if (!/^(yes|no|true|false)$/i.test(text))
      throw new EditRefused('Enter yes or no as the value', 'conditionValue');
    return /^(yes|true)$/i.test(text);
  }
  if (question.type === 'number' || question.type === 'integer') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new EditRefused('Enter a number as the value', 'conditionValue');
    return value;
  }
  if (question.type === 'choice') {
    const choice = question.choices.find((item) => item.value === text || item.label === text);
    if (!choice)
      throw new EditRefused(
        `Enter one of the choices of "${question.title}" as the value`,
        'conditionValue',
      );
    return choice.value;
  }
  if (text === '') throw new EditRefused('Enter the value', 'conditionValue');
  return text;
}

/** Adds a question at the end of a page. Returns the new definition and the question's pointer. */
export function addQuestion(raw: RawFormDefinition, pageId: string, fields: QuestionFields) {
  const next = withPages(raw);
  const page = pageOf(next, pageId);
  const container = pageContainer(next, page);
  const holder = containerAt(next, container);
  const name = uniqueName(next.schema, fields.title);
  const siblings = container === '' ? pageQuestions(next, page) : listQuestions(holder);
  attach(holder, name, toNode(fields, undefined), fields, siblings);
  if (container === '') page.properties.push(name);
  if (fields.type === 'textarea')
    next.ui = { ...(next.ui ?? {}), [`${container}/${name}`]: { widget: 'textarea' } };
  return { definition: next, pointer: `${container}/${name}` };
}

function questionAt(raw: RawFormDefinition, pointer: string) {
  const question = listQuestions(raw.schema, raw.ui ?? {}).find((item) => item.pointer === pointer);
  if (!question) throw new EditRefused('That question is not on this form');
  return question;
}

/** The question at `pointer`, as the editor shows it. */
export function findQuestion(raw: RawFormDefinition, pointer: string): QuestionSummary {
  return questionAt(raw, pointer);
}

/** Changes a question's title, hint, type, choices, required and condition. */
export function updateQuestion(
  raw: RawFormDefinition,
  pointer: string,
  fields: QuestionFields,
): RawFormDefinition {
  const next = withPages(raw);
  const question = questionAt(next, pointer);
  const holder = containerAt(next, question.container);
  if (fields.condition?.controller === question.name)
    throw new EditRefused('A question cannot depend on itself', 'conditionQuestion');
  refuseIfControlling(next, question, fields.condition === undefined ? undefined : 'keep');
  const previous = detach(holder, question.name);
  const siblings = listQuestions(holder);
  attach(holder, question.name, toNode(fields, previous), fields, siblings);
  const ui = { ...(next.ui ?? {}) };
  if (fields.type === 'textarea') ui[pointer] = { ...(ui[pointer] ?? {}), widget: 'textarea' };
  next.ui =
    fields.type !== 'textarea' && ui[pointer]?.widget === 'textarea'
      ? Object.fromEntries(Object.entries(ui).filter(([at]) => at !== pointer))
      : ui;
  return next;
}

function refuseIfControlling(
  raw: RawFormDefinition,
  question: QuestionSummary,
  becoming?: 'keep' | 'remove',
) {
  if (becoming === undefined) return;
  const dependents = listQuestions(raw.schema).filter(
    (item) => item.container === question.container && item.condition?.controller === question.name,
  );
  if (dependents.length > 0) {
    const names = dependents.map((item) => `"${item.title}"`).join(', ');
    throw new EditRefused(
      becoming === 'remove'
        ? `${names} is shown depending on this question: change or remove that condition first`
        : `${names} is shown depending on this question, so it cannot depend on another`,
    );
  }
}

/** Removes a question (refused while another question's condition reads it). */
export function removeQuestion(raw: RawFormDefinition, pointer: string): RawFormDefinition {
  const next = withPages(raw);
  const question = questionAt(next, pointer);
  refuseIfControlling(next, question, 'remove');
  if (question.container === '') {
    const page = next.pages.find((item) => item.properties.includes(question.name));
    if (page && page.properties.length === 1)
      throw new EditRefused('This is the only question on its page: remove the page instead');
    if (page) page.properties = page.properties.filter((name) => name !== question.name);
  }
  detach(containerAt(next, question.container), question.name);
  if (next.ui) {
    next.ui = Object.fromEntries(
      Object.entries(next.ui).filter(([at]) => at !== pointer && !at.startsWith(`${pointer}/`)),
    );
  }
  return next;
}

/** Moves a question up or down among its page's questions. */
export function moveQuestion(
  raw: RawFormDefinition,
  pointer: string,
  direction: 'up' | 'down',
): RawFormDefinition {
  const next = withPages(raw);
  const question = questionAt(next, pointer);
  const step = direction === 'up' ? -1 : 1;
  if (question.container === '') {
    const page = next.pages.find((item) => item.properties.includes(question.name));
    if (!page) throw new EditRefused('That question is on no page');
    page.properties = swap(page.properties, page.properties.indexOf(question.name), step);
    return next;
  }
  const holder = containerAt(next, question.container);
  if (!isNode(holder.properties) || !(question.name in holder.properties)) {
    throw new EditRefused('A question shown by a condition stays under the question it depends on');
  }
  const keys = Object.keys(holder.properties);
  const props = holder.properties;
  holder.properties = Object.fromEntries(
    swap(keys, keys.indexOf(question.name), step).map((key) => [key, props[key]]),
  );
  return next;
}

export function swap<T>(items: readonly T[], index: number, step: number): T[] {
  const copy = [...items];
  const other = index + step;
  if (index < 0 || other < 0 || other >= copy.length) return copy;
  [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  return copy;
}

/** The page with `pageId`, or a refusal. */
export function pageOf(raw: { pages: PageDefinition[] }, pageId: string): PageDefinition {
  const page = raw.pages.find((item) => item.id === pageId);
  if (!page) throw new EditRefused('That page is not on this form');
  return page;
}

/** Reads "value | Label" or "Label" lines into choices (the value made from the label). */
export function toChoices(text: string): Choice[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value, label] = line.includes('|')
        ? line.split('|').map((part) => part.trim())
        : [toKebabCase(line), line];
      return { value: value || toKebabCase(label ?? ''), label: label || value || '' };
    });
}

/** Choices as the textarea shows them. */
export function fromChoices(choices: readonly Choice[]): string {
  return choices.map((choice) => `${choice.value} | ${choice.label}`).join('\n');
}

export { listQuestions, toCondition };
