import PDFDocument from 'pdfkit';
import { AppError } from '../errors/app-error.js';
import type { ReferralPackInput } from './referral-pack-input.js';
import { englishMonthNames } from '../forms/fields/format-date.js';
import { toWinAnsi } from './to-win-ansi.js';

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
 * "Page N of M" and the pack format version. Standard fonts only (nothing fetched), and the
 * same input gives the same bytes (dates come from `generatedAt`). The PDF Title is the
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
      Keywords: `${input.classification}; referral-pack-format-${String(input.packFormatVersion)}`,
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
  doc
    .font('Helvetica-Bold')
    .fontSize(28)
    .fillColor(INK)
    .text(toWinAnsi(input.formTitle), { width });
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(18).text('Referral pack', { width });
  doc.moveDown(2);
  doc.font('Helvetica').fontSize(12).fillColor(SECONDARY).text('Reference', { width });
  doc
    .font('Helvetica-Bold')
    .fontSize(24)
    .fillColor(INK)
    .text(toWinAnsi(input.reference), { width });
  doc.moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(16).text(input.classification, { width });
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(
      'This pack contains personal and sensitive information about a child. Handle it under ' +
        'OFFICIAL-SENSITIVE rules: keep it secure, share it only with staff who need it to ' +
        'answer the referral, do not forward it, and destroy copies you no longer need.',
      { width },
    );
  doc.moveDown(2);
  const facts: [string, string][] = [
    ['Form version', input.formVersion],
    ['Generated', formatDateTime(input.generatedAt)],
    ['Pack format version', String(input.packFormatVersion)],
    ['Attachments', String(input.attachments.length)],
  ];
  for (const [label, value] of facts) {
    doc.font('Helvetica-Bold').fontSize(11).text(`${label}: `, { continued: true, width });
    doc.font('Helvetica').text(toWinAnsi(value), { width });
  }
}

function writeSection(
  doc: PDFKit.PDFDocument,
  section: ReferralPackInput['sections'][number],
): void {
  const width = contentWidth(doc);
  const title = toWinAnsi(section.title);
  doc.font('Helvetica-Bold').fontSize(16);
  // Keep a heading with at least its first question.
  ensureSpace(doc, doc.heightOfString(title, { width }) + 60);
  doc.fillColor(INK).text(title, { width });
  doc.moveDown(0.4);
  if (section.rows.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(11)
      .fillColor(SECONDARY)
      .text('No answers on this page.', { width });
  }
  for (const row of section.rows) {
    const key = toWinAnsi(row.key);
    const value = row.value.trim() === '' ? 'Not provided' : toWinAnsi(row.value);
    doc.font('Helvetica-Bold').fontSize(11);
    const keyHeight = doc.heightOfString(key, { width });
    doc.font('Helvetica').fontSize(11);
    // Keep a question label with the first line of its answer.
    ensureSpace(doc, keyHeight + doc.currentLineHeight(true) * 2);
    doc.font('Helvetica-Bold').fillColor(INK).text(key, { width });
    doc.font('Helvetica').fillColor(INK).text(value, { width });
    doc.moveDown(0.6);
  }
  doc.moveDown(0.8);
}

function writeAttachments(doc: PDFKit.PDFDocument, input: ReferralPackInput): void {
  const width = contentWidth(doc);
  doc.font('Helvetica-Bold').fontSize(16);
  ensureSpace(doc, 60);
  doc.fillColor(INK).text('Attachments', { width });
  doc.moveDown(0.4);
  doc.font('Helvetica').fontSize(11);
  if (input.attachments.length === 0) {
    doc.text('No files were attached to this referral.', { width });
    return;
  }
  doc.text('These files were sent with the referral. Open them from the referral page.', { width });
  doc.moveDown(0.4);
  input.attachments.forEach((attachment, index) => {
    ensureSpace(doc, doc.currentLineHeight(true) * 2);
    doc
      .font('Helvetica')
      .text(
        `${String(index + 1)}. ${toWinAnsi(attachment.filename)} (${toWinAnsi(attachment.mediaType)}, ${formatSize(attachment.sizeBytes)})`,
        { width },
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
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK);
    doc.text(input.classification, MARGIN_X, 28, { width, align: 'center', lineBreak: false });
    doc.font('Helvetica').fontSize(8).fillColor(SECONDARY);
    doc.text(toWinAnsi(input.reference), MARGIN_X, 44, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK);
    doc.text(input.classification, MARGIN_X, pageHeight - 52, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.font('Helvetica').fontSize(8).fillColor(SECONDARY);
    doc.text(`Referral pack format ${String(input.packFormatVersion)}`, MARGIN_X, pageHeight - 36, {
      width,
      align: 'left',
      lineBreak: false,
    });
    doc.text(`Page ${String(index + 1)} of ${String(total)}`, MARGIN_X, pageHeight - 36, {
      width,
      align: 'right',
      lineBreak: false,
    });
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
