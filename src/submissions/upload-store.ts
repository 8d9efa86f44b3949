import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DocumentStore } from '../ports/document-store.js';
import type { Database } from '../store/database.js';

/** A checked upload to keep for a draft. */
export interface StoreUploadOptions {
  draftId: string;
  organisationId: string;
  /** JSON pointer of the question it answers. */
  fieldPath: string;
  filename: string;
  mediaType: string;
  /** The temporary file the multipart reader wrote. */
  path: string;
}

/** A checked upload sent through the JSON API. */
export interface StoreTokenUploadOptions {
  tokenId: string;
  organisationId: string;
  /** JSON pointer of the question it answers (`/attachments/carePlan`). */
  fieldPath: string;
  filename: string;
  mediaType: string;
  path: string;
  /** Until when it is kept if no submission links it (`YYYY-MM-DD`). */
  retainUntil: string;
}

/**
 * The files uploaded to drafts: a `documents` row (name, type, size, hash) and the bytes in the
 * DocumentStore, kept together. A draft holds exactly the files its answers name: one removed
 * or replaced is deleted, row and bytes, as soon as the answers stop naming it.
 */
export class UploadStore {
  constructor(
    private readonly db: Database,
    private readonly documents: DocumentStore,
  ) {}

  /** Stores one checked upload; returns its new document id. */
  async store(options: StoreUploadOptions): Promise<string> {
    const id = `doc_${randomBytes(15).toString('hex')}`;
    const content = await readFile(options.path);
    await this.documents.put(id, content, {
      filename: options.filename,
      mediaType: options.mediaType,
    });
    await this.db.query(
      `INSERT INTO documents (id, organisation_id, draft_id, field_path, filename, media_type,
         size_bytes, sha256, storage_key, retain_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $1, (SELECT retain_until FROM drafts WHERE id = $3))`,
      [
        id,
        options.organisationId,
        options.draftId,
        options.fieldPath,
        options.filename,
        options.mediaType,
        content.length,
        createHash('sha256').update(content).digest('hex'),
      ],
    );
    return id;
  }

  /**
   * Stores one checked upload sent through the JSON API, owned by the token until one of its
   * submissions links it; kept a day unless linked (the submission's retention then applies).
   */
  async storeForToken(options: StoreTokenUploadOptions): Promise<string> {
    const id = `doc_${randomBytes(15).toString('hex')}`;
    const content = await readFile(options.path);
    await this.documents.put(id, content, {
      filename: options.filename,
      mediaType: options.mediaType,
    });
    await this.db.query(
      `INSERT INTO documents (id, organisation_id, api_token_id, field_path, filename, media_type,
         size_bytes, sha256, storage_key, retain_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $1, $9)`,
      [
        id,
        options.organisationId,
        options.tokenId,
        options.fieldPath,
        options.filename,
        options.mediaType,
        content.length,
        createHash('sha256').update(content).digest('hex'),
        options.retainUntil,
      ],
    );
    return id;
  }

  /** Of `ids`, those the token uploaded and no submission has linked yet, with their question. */
  async unlinkedForToken(
    tokenId: string,
    ids: readonly string[],
    idempotencyKey?: string,
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    // a resent submission (same Idempotency-Key) names the documents its first sending linked
    const { rows } = await this.db.query<{ id: string; field_path: string }>(
      `SELECT id, field_path FROM documents
       WHERE api_token_id = $1 AND id = ANY($2::text[])
         AND (submission_id IS NULL OR submission_id IN (SELECT id FROM submissions
           WHERE api_token_id = $1 AND idempotency_key = $3))`,
      [tokenId, [...ids], idempotencyKey ?? null],
    );
    return new Map(rows.map((row) => [row.id, row.field_path]));
  }

  /** The file names of a draft's uploads not yet sent, by document id. */
  async namesForDraft(draftId: string): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ id: string; filename: string }>(
      `SELECT id, filename FROM documents WHERE draft_id = $1 AND submission_id IS NULL`,
      [draftId],
    );
    return new Map(rows.map((row) => [row.id, row.filename]));
  }

  /** The file names of a submission's documents, by document id. */
  async namesForSubmission(submissionId: string): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ id: string; filename: string }>(
      `SELECT id, filename FROM documents WHERE submission_id = $1`,
      [submissionId],
    );
    return new Map(rows.map((row) => [row.id, row.filename]));
  }

  /**
   * Deletes the draft's unsent uploads that `keep` does not name: the row first, so nothing
   * can link a file whose bytes are going, then the bytes.
   */
  async deleteUnreferenced(draftId: string, keep: readonly string[]): Promise<number> {
    const { rows } = await this.db.query<{ storage_key: string }>(
      `DELETE FROM documents WHERE draft_id = $1 AND submission_id IS NULL
         AND NOT (id = ANY($2::text[])) RETURNING storage_key`,
      [draftId, [...keep]],
    );
    for (const row of rows) await this.documents.delete(row.storage_key);
    return rows.length;
  }
}
