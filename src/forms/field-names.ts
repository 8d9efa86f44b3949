/**
 * One naming scheme links a data pointer, an HTML `name`, an HTML `id` and an error-summary
 * `href`, so a field, its error and its answer can always be found from one another.
 *
 * pointer `/contacts/0/name` → name `contacts.0.name` → id `contacts-0-name` → href `#contacts-0-name`
 */
export function toSegments(pointer: string): string[] {
  if (pointer === '') return [];
  const segments = pointer.slice(1).split('/');
  // most pointers escape nothing; this runs many times for every page shown
  if (!pointer.includes('~')) return segments;
  return segments.map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  let pointer = '';
  for (const segment of segments) {
    const text = String(segment);
    pointer +=
      text.includes('~') || text.includes('/')
        ? '/' + text.replace(/~/g, '~0').replace(/\//g, '~1')
        : '/' + text;
  }
  return pointer;
}

/** The HTML `name` of the field at `pointer`. */
export function toFieldName(pointer: string): string {
  return toSegments(pointer).join('.');
}

/** The HTML `id` of the field at `pointer`. */
export function toFieldId(pointer: string): string {
  return toSegments(pointer).join('-');
}

/** The pointer of the field with HTML `name`. */
export function fromFieldName(name: string): string {
  return toPointer(name.split('.'));
}
