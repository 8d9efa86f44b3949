import { toKebabCase, type RawFormDefinition } from '../form-definition.js';
import { isNode, listQuestions } from './question-nodes.js';
import {
  attach,
  detach,
  EditRefused,
  pageOf,
  swap,
  toNode,
  uniqueName,
  withPages,
  type QuestionFields,
} from './structured-edits.js';

/** Adds a page at the end with its first question. */
export function addPage(raw: RawFormDefinition, title: string, question: QuestionFields) {
  const next = withPages(raw);
  const base = toKebabCase(title) || 'page';
  let id = base;
  for (let n = 2; next.pages.some((page) => page.id === id); n += 1) id = `${base}-${String(n)}`;
  const name = uniqueName(next.schema, question.title);
  next.schema.properties = { ...(isNode(next.schema.properties) ? next.schema.properties : {}) };
  attach(next.schema, name, toNode(question, undefined), { ...question, condition: undefined }, []);
  next.pages.push({ id, title, properties: [name] });
  const last = next.sections?.at(-1);
  if (last) last.pages.push(id);
  return { definition: next, pageId: id };
}

/** Changes a page's title and description. */
export function updatePage(
  raw: RawFormDefinition,
  pageId: string,
  title: string,
  description: string,
) {
  const next = withPages(raw);
  const page = pageOf(next, pageId);
  page.title = title;
  if (description) page.description = description;
  else delete page.description;
  return next;
}

/** Removes a page and the questions it asks. */
export function removePage(raw: RawFormDefinition, pageId: string): RawFormDefinition {
  let next = withPages(raw);
  const page = pageOf(next, pageId);
  if (next.pages.length === 1) throw new EditRefused('A form needs at least one page');
  for (const name of page.properties) {
    const outside = listQuestions(next.schema).filter(
      (item) =>
        item.condition?.controller === name &&
        !page.properties.includes(item.pointer.split('/')[1] ?? ''),
    );
    if (outside.length > 0)
      throw new EditRefused(`"${outside[0]?.title ?? ''}" on another page depends on this page`);
    next.schema.properties = Object.fromEntries(
      Object.entries(isNode(next.schema.properties) ? next.schema.properties : {}).filter(
        ([key]) => key !== name,
      ),
    );
    detach(next.schema, name);
    if (next.ui)
      next.ui = Object.fromEntries(
        Object.entries(next.ui).filter(([at]) => at.split('/')[1] !== name),
      );
  }
  next = { ...next, pages: next.pages.filter((item) => item.id !== pageId) };
  if (next.sections) {
    next.sections = next.sections
      .map((section) => ({ ...section, pages: section.pages.filter((id) => id !== pageId) }))
      .filter((section) => section.pages.length > 0);
  }
  return next;
}

/** Moves a page up or down. */
export function movePage(
  raw: RawFormDefinition,
  pageId: string,
  direction: 'up' | 'down',
): RawFormDefinition {
  const next = withPages(raw);
  const index = next.pages.findIndex((page) => page.id === pageId);
  if (index < 0) throw new EditRefused('That page is not on this form');
  return { ...next, pages: swap(next.pages, index, direction === 'up' ? -1 : 1) };
}
