import type { Queryable } from '../store/database.js';

/** Formats a reference: `SWR-2026-00042`. */
export function formatReference(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(5, '0')}`;
}

/** True when `value` looks like a reference (used to refuse junk before touching the database). */
export function isReference(value: string): boolean {
  return /^[A-Z]{2,6}-\d{4}-\d{5,}$/.test(value);
}

/**
 * Takes the next number of a form's yearly sequence. Runs inside the submitting transaction, so
 * a rolled-back submission gives its number back and numbers never repeat.
 */
export async function nextReference(
  tx: Queryable,
  options: { formId: string; prefix: string; year: number },
): Promise<string> {
  const { rows } = await tx.query<{ last_value: number }>(
    `INSERT INTO reference_sequences (form_id, year, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (form_id, year) DO UPDATE SET last_value = reference_sequences.last_value + 1
     RETURNING last_value`,
    [options.formId, options.year],
  );
  const sequence = rows[0]?.last_value;
  if (sequence === undefined) throw new Error('reference sequence returned no row');
  return formatReference(options.prefix, options.year, sequence);
}
