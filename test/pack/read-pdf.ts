import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What a real PDF parser reads back from a PDF. */
export interface ReadPdf {
  /** The text of each page, items joined by spaces, whitespace collapsed. */
  pages: string[];
  /** The document information dictionary (Title, Subject, Keywords, …). */
  info: Record<string, unknown>;
}

/** Parses `pdf` with pdf.js and returns each page's text and the document info. */
export async function readPdf(pdf: Buffer): Promise<ReadPdf> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    verbosity: 0,
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
      pages.push(text.replace(/\s+/g, ' ').trim());
    }
    const metadata = await document.getMetadata();
    return { pages, info: metadata.info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}
