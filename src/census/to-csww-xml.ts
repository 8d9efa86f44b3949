import { censusColumns } from './census-columns.js';
import type { CensusYear } from './census-year.js';
import type { CensusRecord } from './to-census-record.js';

/** The authority-level items of a return, as at 30 September. */
export interface LaLevelVacancies {
  /** Vacant child and family social worker posts, FTE. */
  numberOfVacancies: number;
  agencyFte: number;
  agencyHeadcount: number;
}

/** What one CSWW XML file holds. */
export interface CswwReturnInput {
  /** The authority's 3-digit LA code. */
  laCode: string;
  year: CensusYear;
  vacancies: LaLevelVacancies;
  workers: Iterable<CensusRecord>;
  /** Formwork's version, for the header's Release. */
  release: string;
  /** Which export of this return this is, from 1. */
  serialNo: number;
  generatedAt: Date;
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

function element(name: string, value: string | number): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/**
 * The CSWW return as XML: `Message` → `Header` → `LALevelVacancies` → one `CSWWWorker` per
 * worker, items in DfE's order, blank items left out. Validate it with `validateCswwXml`.
 */
export function toCswwXml(input: CswwReturnInput): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Message>',
    '<Header>',
    '<CollectionDetails>',
    element('Collection', 'CSWW'),
    element('Year', input.year.year),
    element('ReferenceDate', input.year.referenceDate),
    '</CollectionDetails>',
    '<Source>',
    element('SourceLevel', 'L'),
    element('LEA', input.laCode),
    element('SoftwareCode', 'Formwork'),
    element('Release', input.release),
    element('SerialNo', input.serialNo),
    element('DateTime', input.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')),
    '</Source>',
    '</Header>',
    '<LALevelVacancies>',
    element('NumberOfVacancies', input.vacancies.numberOfVacancies),
    element('NoAgencyFTE', input.vacancies.agencyFte),
    element('NoAgencyHeadcount', input.vacancies.agencyHeadcount),
    '</LALevelVacancies>',
  ];
  for (const worker of input.workers) {
    parts.push('<CSWWWorker>');
    for (const column of censusColumns) {
      const value = worker[column];
      if (value !== undefined) parts.push(element(column, value));
    }
    parts.push('</CSWWWorker>');
  }
  parts.push('</Message>');
  return parts.join('\n') + '\n';
}
