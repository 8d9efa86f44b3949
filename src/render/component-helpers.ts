/**
 * Small helpers that stand in for the Nunjucks filters and macros used by the GOV.UK Frontend
 * templates (`govukAttributes`, `govukI18nAttributes`, `escape`, `length`, `capitalize`, …).
 * `components.ts` passes them to every component template as the `h` local, so templates never
 * compile a regex or allocate a helper per call.
 */

const needsEscape = /[&<>"']/;
const escapePattern = /[&<>"']/g;
const escapeTable: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function replaceEscaped(char: string): string {
  return escapeTable[char] ?? char;
}

/** Stringifies a value as a Nunjucks `{{ }}` does; `null`/`undefined` become `''`. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  // Params are arbitrary JSON; an object prints as Nunjucks prints it, "[object Object]".
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value);
}

/** HTML-escapes a value the way Nunjucks autoescape does; `null`/`undefined` become `''`. */
export function escapeHtml(value: unknown): string {
  const text = toText(value);
  // Most strings need no escaping; skip the replace allocation for them.
  return needsEscape.test(text) ? text.replace(escapePattern, replaceEscaped) : text;
}

/** True for a plain object (Nunjucks' `is mapping`). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface AttributeOptions {
  value?: unknown;
  optional?: boolean;
}

/**
 * Port of the `govukAttributes` macro: a string is output as-is (already HTML), an object is
 * output as ` name="value"` pairs; `{ value, optional: true }` omits empty values and renders
 * `true` as a bare boolean attribute.
 */
export function renderAttributes(attributes: unknown): string {
  if (typeof attributes === 'string') return attributes;
  if (!isMapping(attributes)) return '';
  let html = '';
  for (const name in attributes) {
    const item = attributes[name];
    const options: AttributeOptions = isMapping(item) ? item : { value: item, optional: false };
    const value = options.value;
    if (options.optional === true) {
      if (value === true) html += ' ' + escapeHtml(name);
      else if (value !== undefined && value !== null && value !== false)
        html += ' ' + escapeHtml(name) + '="' + escapeHtml(value) + '"';
    } else {
      html += ' ' + escapeHtml(name) + '="' + escapeHtml(value) + '"';
    }
  }
  return html;
}

/** Port of the `govukI18nAttributes` macro: ` data-i18n.<key>[.<rule>]="…"` attributes. */
export function renderI18nAttributes(key: string, message: unknown, messages?: unknown): string {
  if (isMapping(messages)) {
    let html = '';
    for (const rule in messages) {
      html += ' data-i18n.' + key + '.' + rule + '="' + escapeHtml(messages[rule]) + '"';
    }
    return html;
  }
  if (messages) return '';
  return message ? ' data-i18n.' + key + '="' + escapeHtml(message) + '"' : '';
}

/** `html` raw when given, otherwise `text` escaped: the `params.html | safe if params.html else params.text` idiom. */
export function renderContent(html: unknown, text: unknown): string {
  if (html) return toText(html).trim();
  return escapeHtml(text);
}

/** ` <classes>` (escaped) when there are extra classes, otherwise `''`. */
export function renderClasses(classes: unknown): string {
  return classes ? ' ' + escapeHtml(classes) : '';
}

/** Nunjucks' `length` filter: items of an array or string, keys of an object, 0 otherwise. */
export function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (isMapping(value)) return Object.keys(value).length;
  return 0;
}

/** Nunjucks' `in` operator: array membership, substring, or object key. */
export function isIn(needle: unknown, haystack: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.includes(needle);
  if (typeof haystack === 'string') return haystack.includes(String(needle));
  if (isMapping(haystack)) return String(needle) in haystack;
  return false;
}

/** Nunjucks' `capitalize` filter. */
export function capitalize(value: unknown): string {
  const text = toText(value).toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
