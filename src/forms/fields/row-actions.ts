import type { FormBody } from '../form-body.js';

/** The `_action` of an "Add another" button: `add:<pointer>`. */
export const addActionPrefix = 'add:';
/** The `_action` of a "Remove" button: `remove:<pointer>/<row>`. */
export const removeActionPrefix = 'remove:';

/** More rows than this are never read from one post, whatever indices are sent. */
export const maxPostedRows = 500;

/** What the page's button asked of the list at `pointer`: add a row, remove one, or nothing. */
export function rowActionFor(
  body: FormBody,
  pointer: string,
): { add: boolean; remove: number | undefined } {
  const action = body.get('_action')?.[0] ?? '';
  if (action === addActionPrefix + pointer) return { add: true, remove: undefined };
  const prefix = `${removeActionPrefix}${pointer}/`;
  if (action.startsWith(prefix) && /^\d{1,6}$/.test(action.slice(prefix.length))) {
    return { add: false, remove: Number(action.slice(prefix.length)) };
  }
  return { add: false, remove: undefined };
}

/** The row numbers posted under `prefix` (`tags.` → `tags.0`, `tags.3`…), in order. */
export function postedRows(body: FormBody, prefix: string, exact: boolean): number[] {
  const rows = new Set<number>();
  for (const name of body.keys()) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const segment = exact ? rest : (rest.split('.')[0] ?? '');
    if (/^\d{1,6}$/.test(segment)) rows.add(Number(segment));
  }
  return [...rows].sort((a, b) => a - b).slice(0, maxPostedRows);
}
