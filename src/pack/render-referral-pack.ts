import PDFDocument from 'pdfkit';
import { AppError } from '../errors/app-error.js';
import type { ReferralPackInput, ReferralPackRow } from './referral-pack-input.js';
import { englishMonthNames } from '../forms/fields/format-date.js';
import { usePackFont, writePackText } from './pack-fonts.js';

export type {
  ReferralPackAttachment,
  ReferralPackInput,
  ReferralPackRow,
  ReferralPackSection,
} from './referral-pack-input.js';

const MARGIN_X = 56;
const MARGIN_Y = 72;
const INK = '#0b0c0c';
const SECONDARY = '#505a5f';

/**
 * Renders the referral pack PDF sent to secure children's homes: a title page with the
 * reference and classification, every answer under its page and question labels, the list of
 * attachments, and on every page a header and footer with the classification, the reference,
 * "Page N of M" and the pack format version. Text is set in embedded Noto fonts chosen per
 * script (pack-fonts.ts), so every name prints as written; nothing is fetched, and the same
 * input gives the same bytes (dates come from `generatedAt`). The PDF Title is the
 * reference, never the child's name, because viewers show it in window titles and file lists.
 */
export async function renderReferralPack(input: ReferralPackInput): Promise<Buffer> {
  checkInput(input);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN_Y, bottom: MARGIN_Y, left: MARGIN_X, right: MARGIN_X },
    bufferPages: true,
    autoFirstPage: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: input.reference,
      Subject: `Referral pack, ${input.classification}`,
      Author: 'Formwork',
      Creator: `Formwork referral pack format ${String(input.packFormatVersion)}`,
      Producer: 'Formwork',
      Keywords: `${input.classification}; referral-pack-format-${String(input.packFormatVersion)}; form-version-${input.formVersion}`,
      CreationDate: input.generatedAt,
      ModDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  writeTitlePage(doc, input);
  if (input.summary.length > 0) {
    doc.addPage();
    writeSummaryPage(doc, input.summary);
  }
  doc.addPage();
  for (const section of input.sections) writeSection(doc, section);
  writeAttachments(doc, input);
  writePageFurniture(doc, input);
  doc.end();
  return finished;
}

function writeTitlePage(doc: PDFKit.PDFDocument, input: ReferralPackInput): void {
  const width = contentWidth(doc);
  doc.moveDown(4);
  doc.fillColor(INK);
  writePackText(doc, input.formTitle, { weight: 'bold', size: 28, width });
  doc.moveDown(0.5);
  writePackText(doc, 'Referral pack', { size: 18, width });
  doc.moveDown(2);
  doc.fillColor(SECONDARY);
  writePackText(doc, 'Reference', { size: 12, width });
  doc.fillColor(INK);
  writePackText(doc, input.reference, { weight: 'bold', size: 24, width });
  doc.moveDown(1.5);
  writePackText(doc, input.classification, { weight: 'bold', size: 16, width });
  doc.moveDown(0.5);
  writePackText(
    doc,
    'This pack contains personal and sensitive information about a child. Handle it under ' +
      'OFFICIAL-SENSITIVE rules: keep it secure, share it only with staff who need it to ' +
      'answer the referral, do not forward it, and destroy copies you no longer need.',
    { size: 11, width },
  );
  doc.moveDown(2);
  // No internal version strings for a reader: the form's version is in the PDF's metadata.
  const facts: [string, string][] = [
    ['Generated', formatDateTime(input.generatedAt)],
    ['Attachments', String(input.attachments.length)],
  ];
  for (const [label, value] of facts) {
    writePackText(doc, `${label}: `, { weight: 'bold', size: 11, continued: true, width });
    writePackText(doc, value, { width });
  }
}

/**
 * The summary a home reads first, on one page: each question beside its answer, smaller when
 * there are many, so the page never runs over.
 */
function writeSummaryPage(doc: PDFKit.PDFDocument, rows: readonly ReferralPackRow[]): void {
  const width = contentWidth(doc);
  const left = doc.page.margins.left;
  const keyWidth = Math.round(width * 0.38);
  const valueWidth = width - keyWidth - 12;
  doc.fillColor(INK);
  writePackText(doc, 'Summary', { weight: 'bold', size: 18, width });
  doc.fillColor(SECONDARY);
  writePackText(doc, 'The full answers follow on the next pages.', { size: 11, width });
  doc.moveDown(0.8);
  const bottom = doc.page.height - doc.page.margins.bottom;
  const heightAt = (size: number) =>
    rows.reduce((sum, row) => {
      usePackFont(doc, 'bold', size);
      const key = doc.heightOfString(row.key, { width: keyWidth });
      usePackFont(doc, 'regular', size);
      const value = doc.heightOfString(summaryValue(row), { width: valueWidth });
      return sum + Math.max(key, value) + size * 0.6;
    }, 0);
  let size = 11;
  while (size > 7 && doc.y + heightAt(size) > bottom) size -= 0.5;
  for (const row of rows) {
    const top = doc.y;
    doc.fillColor(INK);
    writePackText(doc, row.key, { weight: 'bold', size, width: keyWidth }, left, top);
    const keyBottom = doc.y;
    writePackText(doc, summaryValue(row), { size, width: valueWidth }, left + keyWidth + 12, top);
    doc.x = left;
    doc.y = Math.max(keyBottom, doc.y) + size * 0.6;
  }
}

const summaryValue = (row: ReferralPackRow) =>
  row.value.trim() === '' ? 'Not provided' : row.value;

function writeSection(
  doc: PDFKit.PDFDocument,
  section: ReferralPackInput['sections'][number],
): void {
  const width = contentWidth(doc);
  const title = section.title;
  usePackFont(doc, 'bold', 16);
  // Keep a heading with at least its first question.
  ensureSpace(doc, doc.heightOfString(title, { width }) + 60);
  doc.fillColor(INK);
  writePackText(doc, title, { weight: 'bold', size: 16, width });
  doc.moveDown(0.4);
  if (section.rows.length === 0) {
    doc.fillColor(SECONDARY);
    writePackText(doc, 'No answers on this page.', { size: 11, width });
  }
  for (const row of section.rows) {
    const value = row.value.trim() === '' ? 'Not provided' : row.value;
    usePackFont(doc, 'bold', 11);
    const keyHeight = doc.heightOfString(row.key, { width });
    usePackFont(doc, 'regular', 11);
    // Keep a question label with the first line of its answer.
    ensureSpace(doc, keyHeight + doc.currentLineHeight(true) * 2);
    doc.fillColor(INK);
    writePackText(doc, row.key, { weight: 'bold', size: 11, width });
    writePackText(doc, value, { size: 11, width });
    doc.moveDown(0.6);
  }
  doc.moveDown(0.8);
}

function writeAttachments(doc: PDFKit.PDFDocument, input: ReferralPackInput): void {
  const width = contentWidth(doc);
  ensureSpace(doc, 60);
  doc.fillColor(INK);
  writePackText(doc, 'Attachments', { weight: 'bold', size: 16, width });
  doc.moveDown(0.4);
  if (input.attachments.length === 0) {
    writePackText(doc, 'No files were attached to this referral.', { size: 11, width });
    return;
  }
  writePackText(doc, 'These files were sent with the referral. Open them from the referral page.', {
    size: 11,
    width,
  });
  doc.moveDown(0.4);
  input.attachments.forEach((attachment, index) => {
    usePackFont(doc, 'regular', 11);
    ensureSpace(doc, doc.currentLineHeight(true) * 2);
    writePackText(
      doc,
      `${String(index + 1)}. ${attachment.filename} (${attachment.mediaType}, ${formatSize(attachment.sizeBytes)})`,
      { size: 11, width },
    );
  });
}

function writePageFurniture(doc: PDFKit.PDFDocument, input: ReferralPackInput): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let index = 0; index < total; index += 1) {
    doc.switchToPage(range.start + index);
    const { width: pageWidth, height: pageHeight, margins } = doc.page;
    const width = pageWidth - MARGIN_X * 2;
    const savedBottom = margins.bottom;
    // Writing inside the bottom margin would otherwise start a new page.
    margins.bottom = 0;
    const marking = { weight: 'bold', size: 10, width, align: 'center', lineBreak: false } as const;
    const small = { size: 8, width, lineBreak: false } as const;
    doc.fillColor(INK);
    writePackText(doc, input.classification, marking, MARGIN_X, 28);
    doc.fillColor(SECONDARY);
    writePackText(doc, input.reference, { ...small, align: 'center' }, MARGIN_X, 44);
    doc.fillColor(INK);
    writePackText(doc, input.classification, marking, MARGIN_X, pageHeight - 52);
    doc.fillColor(SECONDARY);
    const format = `Referral pack format ${String(input.packFormatVersion)}`;
    writePackText(doc, format, { ...small, align: 'left' }, MARGIN_X, pageHeight - 36);
    const pageOf = `Page ${String(index + 1)} of ${String(total)}`;
    writePackText(doc, pageOf, { ...small, align: 'right' }, MARGIN_X, pageHeight - 36);
    margins.bottom = savedBottom;
  }
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  const maxY = doc.page.height - doc.page.margins.bottom;
  if (doc.y + needed > maxY) doc.addPage();
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function formatDateTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const month = englishMonthNames[date.getUTCMonth()] ?? '';
  return `${String(date.getUTCDate())} ${month} ${String(date.getUTCFullYear())} at ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function checkInput(input: ReferralPackInput): void {
  const problems: string[] = [];
  if (typeof input.reference !== 'string' || input.reference.trim() === '')
    problems.push('reference is empty');
  if (!(input.generatedAt instanceof Date) || Number.isNaN(input.generatedAt.getTime())) {
    problems.push('generatedAt is not a valid date');
  }
  if (!Number.isInteger(input.packFormatVersion) || input.packFormatVersion < 1) {
    problems.push('packFormatVersion must be a positive integer');
  }
  if ((input.classification as string) !== 'OFFICIAL-SENSITIVE')
    problems.push('classification is not supported');
  if (!Array.isArray(input.sections)) problems.push('sections must be an array');
  if (!Array.isArray(input.attachments)) problems.push('attachments must be an array');
  for (const attachment of Array.isArray(input.attachments) ? input.attachments : []) {
    if (!Number.isInteger(attachment.sizeBytes) || attachment.sizeBytes < 0) {
      problems.push('an attachment size is not a whole number of bytes');
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'ERR_PACK_INPUT_INVALID',
      `referral pack input is not valid: ${problems.join('; ')}`,
    );
  }
}
