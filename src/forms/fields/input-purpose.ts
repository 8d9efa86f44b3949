import { toSegments } from '../field-names.js';
import type { SchemaNode } from '../field.js';

/** How a one-line answer is typed: the input's `type`, `autocomplete` and `inputmode`. */
export interface InputPurpose {
  type: 'text' | 'email' | 'tel' | 'url';
  autocomplete?: string;
  inputmode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'url';
  /** Spell-checking an address or a code only gets in the way. */
  spellcheck?: false;
}

// By the question's property name: the mapping written in docs/form-definition.md
const byName: readonly [RegExp, InputPurpose][] = [
  [/^e-?mail(address)?$|email$/i, { type: 'email', autocomplete: 'email', spellcheck: false }],
  [
    /^(tele)?phone(number)?$|^mobile(number|phone)?$|^tel$|phone(number)?$/i,
    { type: 'tel', autocomplete: 'tel' },
  ],
  [/^(post|postal|zip)code$/i, { type: 'text', autocomplete: 'postal-code', spellcheck: false }],
  [/^(first|given|fore)names?$/i, { type: 'text', autocomplete: 'given-name', spellcheck: false }],
  [
    /^(middle|additional)names?$/i,
    { type: 'text', autocomplete: 'additional-name', spellcheck: false },
  ],
  [
    /^(last|family|sur)names?$|^surname$/i,
    { type: 'text', autocomplete: 'family-name', spellcheck: false },
  ],
  [/^fullname$/i, { type: 'text', autocomplete: 'name', spellcheck: false }],
  [
    /^(address)?line1$|^addressline1$|^street(address)?$/i,
    { type: 'text', autocomplete: 'address-line1' },
  ],
  [/^(address)?line2$|^addressline2$/i, { type: 'text', autocomplete: 'address-line2' }],
  [/^(town|city|towncity|locality)$/i, { type: 'text', autocomplete: 'address-level2' }],
];

// By format: what the answer is, whatever its name or length
const byFormat: Record<string, InputPurpose> = {
  email: { type: 'email', autocomplete: 'email', spellcheck: false },
  uri: { type: 'url', spellcheck: false },
  url: { type: 'url', spellcheck: false },
  'uri-reference': { type: 'text', spellcheck: false },
  uuid: { type: 'text', spellcheck: false },
  hostname: { type: 'text', spellcheck: false },
  ipv4: { type: 'text', inputmode: 'decimal', spellcheck: false },
};

/** A `pattern` that admits only digits (and spaces): a code typed on a number keypad. */
function isDigitsOnly(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  const body = pattern.replace(/^\^|\$$/g, '');
  return /^(?:\\d|\[0-9\]|\[0-9 \]|\[\\d \]|\{\d+(,\d*)?\}|[+*? ])+$/.test(body);
}

/**
 * What a text question's answer is, from its `format`, else its property name, else its
 * `pattern` (digits only: a numeric keypad, never `type="tel"`, which is for phone numbers).
 */
export function toInputPurpose(pointer: string, schema: SchemaNode): InputPurpose {
  const format = typeof schema.format === 'string' ? byFormat[schema.format] : undefined;
  if (format) return format;
  if (schema.format === 'tel') return { type: 'tel', autocomplete: 'tel' };
  const name = (toSegments(pointer).at(-1) ?? '').replace(/[-_\s]/g, '');
  const named = byName.find(([pattern]) => pattern.test(name))?.[1];
  if (named) return named;
  if (isDigitsOnly(schema.pattern))
    return { type: 'text', inputmode: 'numeric', spellcheck: false };
  return { type: 'text' };
}
