/**
 * A posted HTML form, as the browser sent it: every name with all its values in order.
 * A Map (not a plain object) so names such as `__proto__` are just data.
 */
export type FormBody = ReadonlyMap<string, readonly string[]>;

/** Builds a FormBody from `application/x-www-form-urlencoded` text. */
export function parseFormBody(text: string): FormBody {
  const body = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(text)) {
    const values = body.get(name);
    if (values) values.push(value);
    else body.set(name, [value]);
  }
  return body;
}

/** The first value posted for `name`, or undefined. */
export function firstValue(body: FormBody, name: string): string | undefined {
  return body.get(name)?.[0];
}
