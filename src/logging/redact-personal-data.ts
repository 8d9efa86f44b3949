/** What replaces each kind of personal data in a logged message. */
const patterns: readonly [RegExp, string][] = [
  // Quoted values first: database and library messages quote the value they choked on.
  [/"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|'[^'\n]*'/g, '"[redacted]"'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g, '[email]'],
  [/\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b/gi, '[postcode]'],
  [
    /\b\d+[A-Za-z]?,?\s+(?:[A-Z][\p{L}'’-]*\s+){1,4}(?:Road|Street|Avenue|Lane|Close|Drive|Way|Court|Place|Crescent|Grove|Gardens|Terrace|Hill|Square|Row|Walk|Mews|Rise|Park)\b/gu,
    '[address]',
  ],
  // Phone numbers, dates, reference and case numbers: any run of 7+ digits and separators.
  [/\+?[0-9][0-9\s().\-/]{5,}[0-9]/g, '[number]'],
];

/**
 * Removes personal data from a message before it is logged: every value in `known` (the
 * request's own answers: names, addresses, free text), then quoted values, email addresses,
 * UK postcodes, street addresses and phone-like numbers. Keeps the rest, so the message still says what failed.
 */
export function redactPersonalData(text: string, known: Iterable<string> = []): string {
  let redacted = text;
  // Longest first, so a full name goes before the first name inside it.
  const values = [...new Set(known)].filter((value) => value.trim().length >= 3);
  for (const value of values.sort((a, b) => b.length - a.length)) {
    redacted = redacted.split(value).join('[answer]');
  }
  for (const [pattern, replacement] of patterns) redacted = redacted.replace(pattern, replacement);
  return redacted;
}
