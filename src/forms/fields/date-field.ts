import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { englishMonthNames, formatDate } from './format-date.js';
import { isSchemaNode, schemaType } from './schema-type.js';

type DatePart = 'day' | 'month' | 'year';
const dateParts: readonly DatePart[] = ['day', 'month', 'year'];

/** What a person typed into the three boxes. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** The month a typed month means: 1–12, "January", "jan", "Sept"; undefined otherwise. */
function toMonthNumber(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) {
    const month = Number(text);
    return month >= 1 && month <= 12 ? month : undefined;
  }
  const lower = text.toLowerCase().replace(/\.$/, '');
  if (lower.length < 3) return undefined;
  const index = englishMonthNames.findIndex((name) => {
    const full = name.toLowerCase();
    return full === lower || (full.startsWith(lower) && (lower.length === 3 || lower === 'sept'));
  });
  return index === -1 ? undefined : index + 1;
}

function joinParts(parts: readonly DatePart[]): string {
  return 'a ' + parts.join(' and ');
}

/** The outcome of reading the three boxes. */
type DateReading =
  { ok: true; value: string } | { ok: false; wrong: DatePart[]; message: 'missing' | 'real' };

/** Reads day, month and year into `YYYY-MM-DD`, or says which parts are wrong. */
function readDate(parts: DateParts): DateReading {
  const missing = dateParts.filter((part) => parts[part] === '');
  if (missing.length > 0) return { ok: false, wrong: missing, message: 'missing' };
  const wrong: DatePart[] = [];
  const day = /^\d{1,2}$/.test(parts.day) ? Number(parts.day) : undefined;
  const month = parts.month.length <= 12 ? toMonthNumber(parts.month) : undefined;
  const year = /^\d{4}$/.test(parts.year) ? Number(parts.year) : undefined;
  if (day === undefined || day < 1 || day > 31) wrong.push('day');
  if (month === undefined) wrong.push('month');
  if (year === undefined || year < 1000) wrong.push('year');
  if (wrong.length > 0 || day === undefined || month === undefined || year === undefined) {
    return { ok: false, wrong, message: 'real' };
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return { ok: false, wrong: ['day'], message: 'real' };
  return {
    ok: true,
    value: `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

function isDateParts(value: unknown): value is DateParts {
  return (
    isSchemaNode(value) &&
    dateParts.every((part) => typeof (value as Record<string, unknown>)[part] === 'string')
  );
}

/** A date answer: GOV.UK date input (day, month, year), stored as `YYYY-MM-DD`. */
export class DateField extends BaseField {
  readonly kind = 'date';

  static matches(options: FieldOptions): boolean {
    return schemaType(options.schema) === 'string' && options.schema['format'] === 'date';
  }

  /** The HTML id of one of the three boxes. */
  partId(part: DatePart): string {
    return `${this.id}-${part}`;
  }

  parse(body: FormBody): ParsedField {
    const raw: DateParts = {
      day: this.postedText(body, `${this.name}-day`) ?? '',
      month: this.postedText(body, `${this.name}-month`) ?? '',
      year: this.postedText(body, `${this.name}-year`) ?? '',
    };
    if (raw.day === '' && raw.month === '' && raw.year === '') return { value: undefined };
    const reading = readDate(raw);
    if (reading.ok) return { value: reading.value };
    const first = reading.wrong[0] ?? 'day';
    const text =
      reading.message === 'missing'
        ? `${this.headingLabel} must include ${joinParts(reading.wrong)}`
        : `${this.headingLabel} must be a real date`;
    return { value: undefined, raw, error: this.fieldError(text, '#' + this.partId(first)) };
  }

  toComponent(state: FieldState): ComponentCall {
    const errorMessage = this.errorMessage(state);
    const raw = isDateParts(state.raw) ? state.raw : undefined;
    const shown = raw ?? this.toParts(state.value);
    let wrong: readonly DatePart[] = [];
    if (errorMessage !== undefined) {
      const reading = raw === undefined ? undefined : readDate(raw);
      // An error about the whole date (e.g. "must be in the past") marks all three boxes.
      wrong = reading !== undefined && !reading.ok ? reading.wrong : dateParts;
    }
    const items = dateParts.map((part) => ({
      id: this.partId(part),
      name: `${this.name}-${part}`,
      label: part.charAt(0).toUpperCase() + part.slice(1),
      value: shown[part],
      classes: [
        `govuk-input--width-${part === 'year' ? '4' : '2'}`,
        wrong.includes(part) ? 'govuk-input--error' : '',
      ]
        .filter(Boolean)
        .join(' '),
    }));
    return {
      component: 'date-input',
      params: compact({
        id: this.id,
        fieldset: this.fieldsetParams(),
        hint: this.hintParams(),
        errorMessage,
        items,
      }),
    };
  }

  private toParts(value: unknown): DateParts {
    const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    if (!match) return { day: '', month: '', year: '' };
    return {
      day: String(Number(match[3])),
      month: String(Number(match[2])),
      year: match[1] ?? '',
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    const formatted = formatDate(value);
    if (formatted !== undefined) return this.summaryRow(escapeHtml(formatted));
    return this.textSummary(typeof value === 'string' ? value : undefined);
  }
}
