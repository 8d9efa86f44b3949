/** Where a JSON text is wrong, or the line of each value in it. */
export type JsonLines =
  | { ok: true; value: unknown; lineOf: (pointer: string) => number }
  | { ok: false; line: number; column: number; message: string };

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Parses JSON text as `JSON.parse` does, noting the line (from 1) each value starts on, so a
 * problem at a JSON pointer can be shown at its line. A syntax error gives its line and column.
 */
export function toJsonLines(text: string): JsonLines {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const at = position === undefined ? text.length : Number(position);
    const before = text.slice(0, at).split('\n');
    return {
      ok: false,
      line: before.length,
      column: (before.at(-1)?.length ?? 0) + 1,
      message: message.replace(/^JSON\.parse: /, ''),
    };
  }
  const lines = new Map<string, number>();
  let index = 0;
  let line = 1;
  const skipSpace = () => {
    while (index < text.length && /\s/.test(text.charAt(index))) {
      if (text.charAt(index) === '\n') line += 1;
      index += 1;
    }
  };
  const readString = (): string => {
    const start = index;
    index += 1;
    while (text.charAt(index) !== '"') index += text.charAt(index) === '\\' ? 2 : 1;
    index += 1;
    return JSON.parse(text.slice(start, index)) as string;
  };
  const walk = (pointer: string) => {
    skipSpace();
    lines.set(pointer, line);
    const char = text.charAt(index);
    if (char === '{' || char === '[') {
      index += 1;
      let item = 0;
      for (;;) {
        skipSpace();
        if (text.charAt(index) === '}' || text.charAt(index) === ']') {
          index += 1;
          return;
        }
        if (text.charAt(index) === ',') {
          index += 1;
          skipSpace();
        }
        if (char === '{') {
          const keyLine = line;
          const key = readString();
          skipSpace();
          index += 1; // the colon
          const child = `${pointer}/${escapeSegment(key)}`;
          walk(child);
          // a key is shown on its own line, even when its value starts on the next
          lines.set(child, keyLine);
        } else {
          walk(`${pointer}/${String(item)}`);
          item += 1;
        }
      }
    }
    if (char === '"') {
      readString();
      return;
    }
    while (index < text.length && !/[\s,\]}]/.test(text.charAt(index))) index += 1;
  };
  walk('');
  return {
    ok: true,
    value,
    lineOf: (pointer) => {
      // a pointer to a missing key is shown at the nearest enclosing value
      for (let at = pointer; ; at = at.slice(0, at.lastIndexOf('/'))) {
        const found = lines.get(at);
        if (found !== undefined) return found;
        if (at === '') return 1;
      }
    },
  };
}
