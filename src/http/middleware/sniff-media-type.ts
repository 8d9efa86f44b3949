/** Media types the sniffer recognises. */
export const sniffableMediaTypes = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain',
} as const;

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The media type of `content` judged from its bytes alone (never from a filename or a browser's
 * claim), or undefined when it is none of the types we accept. DOCX is a ZIP whose entries
 * include `[Content_Types].xml` and `word/`; plain text must be valid UTF-8 without NULs.
 */
export function sniffMediaType(content: Buffer): string | undefined {
  if (content.length === 0) return undefined;
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return sniffableMediaTypes.pdf;
  if (content.subarray(0, 8).equals(pngSignature)) return sniffableMediaTypes.png;
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) {
    return sniffableMediaTypes.jpeg;
  }
  if (content.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') {
    // Zip local headers hold entry names in clear text.
    return content.includes('[Content_Types].xml') && content.includes('word/')
      ? sniffableMediaTypes.docx
      : undefined;
  }
  if (content.includes(0)) return undefined;
  try {
    utf8.decode(content);
    return sniffableMediaTypes.text;
  } catch {
    return undefined;
  }
}

const byExtension: Record<string, string> = {
  pdf: sniffableMediaTypes.pdf,
  png: sniffableMediaTypes.png,
  jpg: sniffableMediaTypes.jpeg,
  jpeg: sniffableMediaTypes.jpeg,
  docx: sniffableMediaTypes.docx,
  txt: sniffableMediaTypes.text,
};

/** The media type a filename's extension claims, when it is one we know. */
export function mediaTypeOfExtension(filename: string): string | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot < 0) return undefined;
  return byExtension[filename.slice(dot + 1).toLowerCase()];
}
