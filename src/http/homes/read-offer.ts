import { firstValue, type FormBody } from '../../forms/form-body.js';
import { maxText } from '../workflow-pages/workflow-page-texts.js';

/** An offer as posted: the day a bed is free and any conditions, checked. */
export interface PostedOffer {
  /** The posted fields, to show again. */
  values: { bedDay: string; bedMonth: string; bedYear: string; conditions: string };
  /** `YYYY-MM-DD` when the date is real and not past. */
  day: string | undefined;
  errors: { text: string; href: string }[];
}

const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * Reads a home's offer (`bedAvailable-day`, `-month`, `-year`, `conditions`), with GOV.UK date
 * errors: the date is needed, must be real, and cannot be before today in the UK.
 */
export function readOffer(body: FormBody, now: Date): PostedOffer {
  const values = {
    bedDay: (firstValue(body, 'bedAvailable-day') ?? '').trim(),
    bedMonth: (firstValue(body, 'bedAvailable-month') ?? '').trim(),
    bedYear: (firstValue(body, 'bedAvailable-year') ?? '').trim(),
    conditions: (firstValue(body, 'conditions') ?? '').trim().slice(0, maxText),
  };
  const href = '#bedAvailable-day';
  const { bedDay, bedMonth, bedYear } = values;
  if (bedDay === '' && bedMonth === '' && bedYear === '')
    return {
      values,
      day: undefined,
      errors: [{ text: 'Enter the date a bed is available', href }],
    };
  const parts = [bedDay, bedMonth, bedYear];
  const [day, month, year] = parts.map(Number);
  const date =
    parts.every((part) => /^\d+$/.test(part)) && bedYear.length === 4
      ? new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0))
      : undefined;
  if (
    !date ||
    date.getUTCDate() !== day ||
    date.getUTCMonth() !== (month ?? 0) - 1 ||
    date.getUTCFullYear() !== year
  ) {
    return {
      values,
      day: undefined,
      errors: [{ text: 'Date a bed is available must be a real date', href }],
    };
  }
  const iso = date.toISOString().slice(0, 10);
  if (iso < londonDay.format(now)) {
    return {
      values,
      day: undefined,
      errors: [{ text: 'Date a bed is available must be today or in the future', href }],
    };
  }
  return { values, day: iso, errors: [] };
}
