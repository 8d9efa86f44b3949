/**
 * Splits a SQL script into single statements (PGlite's parameterised `query` runs one at a
 * time). Understands comments, quoted strings, E'' escapes, quoted identifiers and dollar quotes.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (script.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(script[i - 1] ?? '');
      i++;
      while (i < n) {
        if (escapes && script[i] === '\\') i += 2;
        else if (script[i] === "'" && script[i + 1] === "'") i += 2;
        else if (script[i] === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      const end = script.indexOf('"', i + 1);
      i = end === -1 ? n : end + 1;
    } else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 64));
      if (tag === null) i++;
      else {
        const end = script.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      }
    } else if (c === ';') {
      push(script.slice(start, i));
      start = ++i;
    } else i++;
  }
  push(script.slice(start));
  return statements;

  function push(text: string): void {
    const withoutComments = text.replace(/--[^\n]*/g, '').trim();
    if (withoutComments !== '') statements.push(text.trim());
  }
}
