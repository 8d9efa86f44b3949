import type { SchemaNode } from '../field.js';

/**
 * The label of one entry of a list or one position of a tuple: its own `title` where the schema
 * gives one ("Street"), else the list's label and its number ("Tags 2").
 */
export function toItemLabel(listLabel: string, item: SchemaNode, index: number): string {
  const title = item['title'];
  if (typeof title === 'string' && title !== '') return title;
  return `${listLabel} ${String(index + 1)}`;
}
