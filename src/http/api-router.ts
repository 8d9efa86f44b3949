import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import { recordAudit } from '../auth/audit.js';
import { toFileProblem } from '../forms/fields/document-field.js';
import { toSegments } from '../forms/field-names.js';
import type { FormModel } from '../forms/form-model.js';
import { valueAt } from '../forms/value-at.js';
import type { Database } from '../store/database.js';
import { readDataUrl, type DataUrlFile } from '../submissions/read-data-url.js';
import { referencedDocuments } from '../submissions/referenced-documents.js';
import type { UploadStore } from '../submissions/upload-store.js';
import { sniffMediaType } from './middleware/sniff-media-type.js';
import { documentRulesAt } from './page-uploads.js';
import { readRawUpload } from './read-raw-upload.js';
import { mayTokenReadSubmission } from '../auth/submission-access.js';
import { AppError } from '../errors/app-error.js';
import type { FormRegistry } from '../forms/load-forms.js';
import type { Actor } from '../submissions/actor.js';
import { isReference } from '../submissions/reference.js';
import type { SubmissionStore } from '../submissions/submission-store.js';
import type { WorkflowStatusReader } from '../submissions/workflow-status.js';
import { findUnknownProperties } from '../validation/find-unknown-properties.js';
import { declareAccess, type RouteAccess } from './route-access.js';

/** What the JSON API needs. */
export interface ApiRouterOptions {
  forms: FormRegistry;
  submissions: SubmissionStore;
  workflowStatus: WorkflowStatusReader;
  /** Files uploaded through the API, owned by their token until a submission links them. */
  uploads: UploadStore;
  db: Database;
  /** Where an upload's bytes wait while they are checked. */
  uploadTempDir: string;
  /** Called after a submission commits. */
  onSubmitted: () => void;
}

/** Who may use each route (checked by the route × role test). */
export const apiAccess: readonly RouteAccess[] = [
  { method: 'POST', path: '/api/v1/forms/:formId/documents', allow: ['api-token'] },
  { method: 'POST', path: '/api/v1/forms/:formId/submissions', allow: ['api-token'] },
  { method: 'GET', path: '/api/v1/submissions/:reference', allow: ['api-token-of-submitter'] },
];

/**
 * The JSON API (`/api/v1`), for integrators posting submissions from case-management systems.
 * Authenticated by bearer token (mounted behind the token middleware); a token sees only the
 * forms it was created for (`--form`), or every form when created without one, and reads only
 * the submissions of its own organisation (`--org`).
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const router = Router();

  const actorOf = (req: Request): Actor & { formIds: string[] | null } => {
    const token = req.apiToken;
    if (!token) throw new AppError('ERR_AUTH_TOKEN_INVALID', 'no api token on request');
    return {
      type: 'api-token',
      id: token.id,
      organisationId: token.organisationId,
      formIds: token.formIds,
    };
  };
  const mayUseForm = (actor: { formIds: string[] | null }, formId: string) =>
    actor.formIds === null || actor.formIds.includes(formId);

  const formFor = (actor: { formIds: string[] | null }, formId: string): FormModel => {
    const form = options.forms.get(formId);
    // A form the token may not use is reported exactly like a form that does not exist.
    if (!form || !mayUseForm(actor, formId)) {
      throw new AppError('ERR_FORM_NOT_FOUND', 'no such form for this token', {
        userMessage: 'There is no form with that id.',
      });
    }
    return form;
  };

  /** Stores one file of an upload for `field` as the token's, audited; its document id. */
  const storeUpload = async (
    actor: ReturnType<typeof actorOf>,
    form: FormModel,
    field: string,
    upload: { path: string; filename: string; mediaType: string; sizeBytes: number },
  ): Promise<string> => {
    const id = await options.uploads.storeForToken({
      tokenId: actor.id,
      organisationId: actor.organisationId,
      fieldPath: field,
      filename: upload.filename,
      mediaType: upload.mediaType,
      path: upload.path,
      retainUntil: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    });
    await recordAudit(options.db, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'document.upload',
      subjectType: 'document',
      subjectId: id,
      organisationId: actor.organisationId,
      details: {
        formId: form.definition.id,
        field,
        mediaType: upload.mediaType,
        sizeBytes: upload.sizeBytes,
      },
    });
    return id;
  };

  /**
   * Files sent inline as `data:` URLs in file questions (as form builders send `format:
   * data-url`) are checked as an upload would be and stored as the token's documents; `body`
   * then names them by document id. The problems, when a file is refused.
   */
  const storeInlineFiles = async (
    actor: ReturnType<typeof actorOf>,
    form: FormModel,
    body: Record<string, unknown>,
  ): Promise<{ path: string; message: string }[]> => {
    const found: { pointer: string; question: string; file: DataUrlFile }[] = [];
    for (const page of form.pages) {
      for (const pointer of form.documentPointers(page.id, body)) {
        const value = valueAt(body, pointer);
        const name = toSegments(pointer).at(-1) ?? 'file';
        const entries = Array.isArray(value)
          ? value.map((entry: unknown, index) => ({ entry, at: `${pointer}/${String(index)}` }))
          : [{ entry: value, at: pointer }];
        for (const { entry, at } of entries) {
          const file = readDataUrl(entry, name);
          if (file) found.push({ pointer: at, question: pointer, file });
        }
      }
    }
    if (found.length === 0) return [];
    const dir = join(options.uploadTempDir, `api-${randomBytes(12).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    try {
      const problems: { path: string; message: string }[] = [];
      const stored: { pointer: string; id: string }[] = [];
      for (const [index, { pointer, question, file }] of found.entries()) {
        const rules = documentRulesAt(form, question);
        if (!rules) continue;
        const path = join(dir, String(index));
        await writeFile(path, file.content);
        const mediaType = file.content.length === 0 ? undefined : await sniffMediaType(path);
        const received = {
          path,
          filename: file.filename,
          sizeBytes: file.content.length,
          tooLarge: false,
          mediaType,
        };
        const problem = toFileProblem(rules, received);
        if (problem !== undefined || mediaType === undefined) {
          problems.push({ path: pointer, message: problem ?? 'The selected file is not allowed' });
          continue;
        }
        stored.push({
          pointer,
          id: await storeUpload(actor, form, question, { ...received, mediaType }),
        });
      }
      if (problems.length > 0) return problems;
      // every pointer found names a value already in the body: its parent is there
      for (const { pointer, id } of stored) {
        const segments = toSegments(pointer);
        const last = segments.pop() ?? '';
        let parent: unknown = body;
        for (const segment of segments) parent = (parent as Record<string, unknown>)[segment];
        (parent as Record<string, unknown>)[last] = id;
      }
      return [];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  router.post('/api/v1/forms/:formId/documents', async (req, res) => {
    const actor = actorOf(req);
    const form = formFor(actor, req.params.formId);
    const field = typeof req.query.field === 'string' ? req.query.field : '';
    const rules = field.startsWith('/') ? documentRulesAt(form, field) : undefined;
    if (!rules) {
      req.resume();
      res.status(422).json({
        errors: [
          {
            path: field,
            message: `${field === '' ? 'The field' : field} is not a file question of this form: name one as a JSON pointer, for example ?field=/attachments/carePlan`,
          },
        ],
      });
      return;
    }
    const dir = join(options.uploadTempDir, `api-${randomBytes(12).toString('hex')}`);
    res.on('close', () => void rm(dir, { recursive: true, force: true }));
    const upload = await readRawUpload(req, dir, rules.maxFileBytes);
    const mediaType = upload.sizeBytes === 0 ? undefined : await sniffMediaType(upload.path);
    const problem = toFileProblem(rules, { ...upload, tooLarge: false, mediaType });
    if (problem !== undefined || mediaType === undefined) {
      res.status(422).json({
        error: { code: 'ERR_UPLOAD_TYPE', message: problem ?? 'The selected file is not allowed' },
        errors: [{ path: field, message: problem ?? 'The selected file is not allowed' }],
      });
      return;
    }
    const id = await storeUpload(actor, form, field, { ...upload, mediaType });
    res.status(201).json({
      documentId: id,
      field,
      filename: upload.filename,
      mediaType,
      sizeBytes: upload.sizeBytes,
    });
  });

  router.post('/api/v1/forms/:formId/submissions', async (req, res) => {
    const actor = actorOf(req);
    const formId = req.params.formId;
    const form = formFor(actor, formId);
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      res.status(422).json({ errors: [{ path: '', message: 'The body must be a JSON object' }] });
      return;
    }
    const inline = await storeInlineFiles(actor, form, body as Record<string, unknown>);
    if (inline.length > 0) {
      res.status(422).json({ errors: inline });
      return;
    }
    // The verdict is the schema's: a property it refuses (additionalProperties: false, …) is
    // named by Ajv's error; one it allows is stored, and the answer says which were not asked.
    const result = form.validate(body as Record<string, unknown>);
    if (!result.valid) {
      res.status(422).json({ errors: form.toApiErrors(result.errors) });
      return;
    }
    const notAsked = findUnknownProperties(form.definition.schema, body).map((path) => ({
      path,
      message: `${path} is not a question on this form; the schema allows it, so it was stored`,
    }));
    const key = req.get('Idempotency-Key');
    if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new AppError('ERR_HTTP_BODY_MALFORMED', 'bad idempotency key', {
        userMessage: 'The Idempotency-Key header must be 1 to 200 visible ASCII characters.',
      });
    }
    // Only files this token uploaded for that question, and no submission has taken, are linked.
    const referenced = referencedDocuments(form, result.data);
    const owned = await options.uploads.unlinkedForToken(
      actor.id,
      referenced.map((entry) => entry.id),
      key,
    );
    const foreign = referenced.filter((entry) => {
      const question = owned.get(entry.id);
      return (
        question === undefined ||
        (entry.pointer !== question && !entry.pointer.startsWith(question + '/'))
      );
    });
    if (foreign.length > 0) {
      res.status(422).json({
        errors: foreign.map((entry) => ({
          path: entry.pointer,
          message: `${entry.pointer} names a document that was not uploaded for this submission: send the file to POST /api/v1/forms/${formId}/documents?field=${entry.pointer.replace(/\/\d+$/, '')} and use the documentId it returns`,
        })),
      });
      return;
    }
    const stored = await options.submissions.submit({
      formId,
      formVersion: form.version,
      referencePrefix: form.definition.referencePrefix,
      organisationId: form.definition.organisation,
      data: result.data,
      retainUntil: form.retainUntil(result.data, new Date()),
      actor,
      source: 'api',
      documentIds: [...new Set(referenced.map((entry) => entry.id))],
      ...(key ? { idempotencyKey: key } : {}),
    });
    if (stored.created) options.onSubmitted();
    res
      .status(stored.created ? 201 : 200)
      .location(`/api/v1/submissions/${stored.reference}`)
      .json({ reference: stored.reference, ...(notAsked.length > 0 ? { notAsked } : {}) });
  });

  router.get('/api/v1/submissions/:reference', async (req, res) => {
    const actor = actorOf(req);
    const reference = req.params.reference;
    const record = isReference(reference)
      ? await options.submissions.read(
          reference,
          actor,
          (found) => mayUseForm(actor, found.formId) && mayTokenReadSubmission(actor, found),
        )
      : undefined;
    if (!record) {
      throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'no such submission for this token', {
        userMessage: 'There is no submission with that reference.',
      });
    }
    res.json({
      reference: record.reference,
      formId: record.formId,
      formVersion: record.formVersion,
      status: record.status,
      submittedAt: record.submittedAt.toISOString(),
      data: record.data,
      workflow: await options.workflowStatus.read(record.id),
    });
  });

  return declareAccess(router, apiAccess);
}
