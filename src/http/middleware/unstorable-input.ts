import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { toPointer } from '../../forms/field-names.js';

/**
 * Characters no answer may hold: NUL and the other C0 controls except tab, line feed and
 * carriage return (PostgreSQL refuses NUL in text and JSON; the others break the emails,
 * packs and documents made from answers), the noncharacters U+FFFE and U+FFFF, and UTF-16
 * surrogates not part of a pair (they are not Unicode text at all).
 */
const unstorable =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** In plain words, what is wrong with `text`; undefined when it can be stored. */
export function describeUnstorable(text: string): string | undefined {
  const match = unstorable.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0) return `a NUL character (${hex})`;
  if (code >= 0xd800 && code <= 0xdfff) return `half of a character pair on its own (${hex})`;
  if (code >= 0xfffe) return `a character that is not text (${hex})`;
  return `a control character (${hex})`;
}

/** Where the first unstorable character in a JSON value is, and what it is. */
export function findUnstorableInJson(
  value: unknown,
): { pointer: string; problem: string; inName: boolean } | undefined {
  const stack: { value: unknown; segments: string[] }[] = [{ value, segments: [] }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    if (typeof item.value === 'string') {
      const problem = describeUnstorable(item.value);
      if (problem) return { pointer: toPointer(item.segments), problem, inName: false };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const entries = Object.entries(item.value as Record<string, unknown>);
    // Reversed, so the first problem in document order is the one reported.
    for (const [key, child] of entries.reverse()) {
      const segments = [...item.segments, key];
      const problem = describeUnstorable(key);
      if (problem) return { pointer: toPointer(segments), problem, inName: true };
      stack.push({ value: child, segments });
    }
  }
  return undefined;
}

/** A question page's post (`/forms/{form}/{draft}/{page}`): its journey shows the page again. */
const questionPagePost = /^\/forms\/[^/]+\/[^/]+\/[^/]+$/;

/** The posted names whose name or value holds an unstorable character, with what it is. */
export function findUnstorableFields(
  body: ReadonlyMap<string, readonly string[]>,
): { name: string; problem: string }[] {
  const found: { name: string; problem: string }[] = [];
  for (const [name, values] of body) {
    const problem = [name, ...values].map(describeUnstorable).find(Boolean);
    if (problem) found.push({ name, problem });
  }
  return found;
}

/** `text` without its unstorable characters. */
export function withoutUnstorable(text: string): string {
  return text.replace(new RegExp(unstorable.source, 'g'), '');
}

/**
 * Refuses a body holding a character that cannot be stored (see {@link describeUnstorable}),
 * before anything reads it, with 422 `ERR_HTTP_INPUT_UNSTORABLE` naming the field: for the API,
 * `{ error, errors: [{ path, message }] }` like a validation failure; for other browser posts,
 * the error page naming the answer. A question page's post is left to its journey, which shows
 * the page again (see `unstorableAnswerErrors`). Mount it after the body middleware.
 */
export function createUnstorableInputMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // a question page is shown again with the error beside its question and the other answers kept
    const journeyHandles = req.method === 'POST' && questionPagePost.test(req.path);
    if (req.formBody && !journeyHandles) {
      for (const [name, values] of req.formBody) {
        const problem = [name, ...values].map(describeUnstorable).find(Boolean);
        if (!problem) continue;
        next(
          new AppError('ERR_HTTP_INPUT_UNSTORABLE', 'form post with an unstorable character', {
            userMessage: `The answer in the field “${printable(name)}” contains ${problem}, which cannot be stored. Remove it and try again.`,
            details: { field: printable(name) },
          }),
        );
        return;
      }
    }
    if (req.body !== undefined) {
      const found = findUnstorableInJson(req.body);
      if (found) {
        const what = found.inName ? 'The property name' : 'The value';
        const message = `${what} at ${printable(found.pointer)} contains ${found.problem}, which cannot be stored`;
        res.status(422).json({
          error: { code: 'ERR_HTTP_INPUT_UNSTORABLE', message: `${message}.` },
          errors: [{ path: printable(found.pointer), message }],
        });
        return;
      }
    }
    next();
  };
}

/** The text with its unstorable characters shown as `\uXXXX`, safe to echo back. */
function printable(text: string): string {
  return text.replace(
    new RegExp(unstorable.source, 'g'),
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
