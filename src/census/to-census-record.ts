import { censusColumns, type CensusColumn } from './census-columns.js';

/** A worker record as the census form's schema describes it: items left blank are absent. */
export type CensusRecord = Partial<Record<CensusColumn, string | number>>;

/** A cell that could not be read as its item's type. */
export interface CellProblem {
  column: CensusColumn;
  value: string;
  text: string;
}

/** What a census item holds: its type and, for coded items, the codes it allows. */
export interface ColumnKind {
  type: 'integer' | 'number' | 'date' | 'text';
  codes?: readonly string[];
}

/** What each census item holds, read from the census form's schema. */
export type ColumnKinds = ReadonlyMap<CensusColumn, ColumnKind>;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The kind of every census item, collected from the form schema's `properties`, wherever they
 * are declared (the root, or the `then` of a condition), so the schema stays the one source.
 */
export function toColumnKinds(schema: Schema): ColumnKinds {
  const kinds = new Map<CensusColumn, ColumnKind>();
  const known = new Set<string>(censusColumns);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isSchema(node)) return;
    if (isSchema(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        if (!known.has(name) || !isSchema(property) || kinds.has(name as CensusColumn)) continue;
        const type =
          property.type === 'integer' || property.type === 'number'
            ? property.type
            : property.format === 'date'
              ? 'date'
              : property.type === 'string'
                ? 'text'
                : undefined;
        if (type) kinds.set(name as CensusColumn, { type, ...toCodes(property) });
      }
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'then', 'else']) visit(node[key]);
  };
  visit(schema);
  return kinds;
}

function toCodes(property: Schema): { codes?: string[] } {
  const list = Array.isArray(property.enum)
    ? property.enum
    : Array.isArray(property.oneOf)
      ? property.oneOf.map((branch) => (isSchema(branch) ? branch.const : undefined))
      : [];
  const codes = list.filter((code) => typeof code === 'string' || typeof code === 'number');
  return codes.length > 0 ? { codes: codes.map(String) } : {};
}

const integerPattern = /^[+-]?\d+(?:\.0+)?$/;
const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const isoDatePattern = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const ukDatePattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function toIsoDate(text: string): string | undefined {
  const iso = isoDatePattern.exec(text);
  const uk = iso ? undefined : ukDatePattern.exec(text);
  const parts = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : undefined;
  if (!parts) return undefined;
  const [year, month, day] = parts as [string, string, string];
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * One spreadsheet row as a census record. Numbers and dates are read as a person types them
 * (`0.8`, `1.0`, `27/03/1985` or `1985-03-27`); whether they are in range is the schema's
 * business, not this function's.
 */
export function toCensusRecord(
  cells: Partial<Record<CensusColumn, string>>,
  kinds: ColumnKinds,
): { record: CensusRecord; problems: CellProblem[] } {
  const record: CensusRecord = {};
  const problems: CellProblem[] = [];
  for (const [column, raw] of Object.entries(cells) as [CensusColumn, string][]) {
    const value = raw.trim();
    if (value === '') continue;
    const { type, codes } = kinds.get(column) ?? { type: 'text' };
    if (codes && !codes.includes(value.replace(/\.0+$/, ''))) {
      problems.push({
        column,
        value,
        text: `is not a code for ${column}: use ${codes.join(', ')}`,
      });
    } else if (type === 'integer') {
      if (integerPattern.test(value)) record[column] = Number(value);
      else problems.push({ column, value, text: 'must be a whole number' });
    } else if (type === 'number') {
      if (numberPattern.test(value)) record[column] = Number(value);
      else problems.push({ column, value, text: 'must be a number' });
    } else if (type === 'date') {
      const date = toIsoDate(value);
      if (date) record[column] = date;
      else problems.push({ column, value, text: 'must be a date, like 27/03/1985 or 1985-03-27' });
    } else {
      record[column] = value;
    }
  }
  return { record, problems };
}
