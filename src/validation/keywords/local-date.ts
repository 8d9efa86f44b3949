// Built once: constructing an Intl formatter costs far more than formatting with it.
const ukDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date as `YYYY-MM-DD` in the UK, where the service's people are. */
export function toLocalDate(now: Date): string {
  return ukDate.format(now);
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(value + 'T00:00:00Z');
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `date` plus `years` whole years, as `YYYY-MM-DD` (29 February becomes 1 March). */
export function addYears(date: string, years: number): string {
  const parsed = new Date(date + 'T00:00:00Z');
  const month = parsed.getUTCMonth();
  parsed.setUTCFullYear(parsed.getUTCFullYear() + years);
  // setUTCFullYear rolls 29 Feb into March by itself in a non-leap year
  if (parsed.getUTCMonth() !== month) parsed.setUTCDate(1);
  return parsed.toISOString().slice(0, 10);
}
