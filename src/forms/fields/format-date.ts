const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2014-01-05` → `5 January 2014`; anything that is not such a date → undefined. */
export function formatDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day] = match;
  const monthName = monthNames[Number(month) - 1];
  if (monthName === undefined) return undefined;
  return `${Number(day)} ${monthName} ${year ?? ''}`;
}

/** The English month names, January first. */
export const englishMonthNames: readonly string[] = monthNames;
