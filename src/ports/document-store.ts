/** Metadata filed beside a document. Never includes the content itself. */
export interface DocumentMetadata {
  filename: string;
  mediaType: string;
  [key: string]: string | number | undefined;
}

/**
 * Where documents (uploads, packs, filed records) are kept. Implemented by
 * FilesystemDocumentStore (encrypted at rest) and, later, WebdavDocumentStore.
 */
export interface DocumentStore {
  /** Stores `content` under `key`, replacing nothing: putting an existing key is an error. */
  put(key: string, content: Buffer, metadata: DocumentMetadata): Promise<void>;
  /** Returns the content and metadata, or undefined when there is no such key. */
  get(key: string): Promise<{ content: Buffer; metadata: DocumentMetadata } | undefined>;
  delete(key: string): Promise<void>;
  /** True when the store can be reached (for /readyz). */
  isReady(): Promise<boolean>;
}
