/**
 * The file types a document question can accept, and how to name them to a person. Pure data:
 * the sniffing that recognises them from a file's bytes is in src/http/middleware.
 */

/** A media type Formwork can recognise from a file's bytes, with its plain-words name. */
interface KnownMediaType {
  /** How the hint and error messages name it ("PDF", "Word document"). */
  name: string;
  /** The filename extensions that claim it, first the usual one. */
  extensions: readonly string[];
}

/** Media types the sniffer recognises, the only ones a document question may accept. */
export const knownMediaTypes: Readonly<Record<string, KnownMediaType>> = {
  'application/pdf': { name: 'PDF', extensions: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    name: 'Word document',
    extensions: ['docx'],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    name: 'Excel spreadsheet',
    extensions: ['xlsx'],
  },
  'image/png': { name: 'PNG image', extensions: ['png'] },
  'image/jpeg': { name: 'JPEG image', extensions: ['jpg', 'jpeg'] },
  'text/plain': { name: 'text file', extensions: ['txt'] },
};

/** What a document question accepts when its schema has no `accept`. */
export const defaultAcceptedTypes: readonly string[] = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'image/png',
  'image/jpeg',
];

/** The media type a filename's extension claims, when it is one we know. */
export function mediaTypeOfExtension(filename: string): string | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot < 0) return undefined;
  const extension = filename.slice(dot + 1).toLowerCase();
  return Object.entries(knownMediaTypes).find(([, known]) =>
    known.extensions.includes(extension),
  )?.[0];
}

/** Names media types in plain words: "PDF or Word document". */
export function describeMediaTypes(types: readonly string[]): string {
  const names = types.map((type) => knownMediaTypes[type]?.name ?? type);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

/** The file input's `accept` attribute: extensions and media types, so pickers filter both. */
export function toAcceptAttribute(types: readonly string[]): string {
  const extensions = types.flatMap((type) =>
    (knownMediaTypes[type]?.extensions ?? []).map((extension) => `.${extension}`),
  );
  return [...extensions, ...types].join(',');
}

/** A size in plain words, as the GOV.UK Design System writes it: "10 MB", "500 KB". */
export function describeBytes(bytes: number): string {
  const mebibyte = 1024 * 1024;
  if (bytes >= mebibyte) return `${String(Math.floor((bytes / mebibyte) * 10) / 10)} MB`;
  return `${String(Math.max(1, Math.floor(bytes / 1024)))} KB`;
}
