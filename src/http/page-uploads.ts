import type { Request } from 'express';
import type { FieldError } from '../forms/field-error.js';
import { fromFieldName, toFieldId, toFieldName, toSegments } from '../forms/field-names.js';
import type { FormBody } from '../forms/form-body.js';
import type { FormModel } from '../forms/form-model.js';
import type { FormRegistry } from '../forms/load-forms.js';
import {
  toDocumentRules,
  toFileProblem,
  type DocumentRules,
} from '../forms/fields/document-field.js';
import type { UploadStore } from '../submissions/upload-store.js';
import { describeKind } from '../validation/describe-field.js';
import { sniffMediaType } from './middleware/sniff-media-type.js';

/** The rules of the upload question at a concrete or pattern pointer, if it is one. */
export function documentRulesAt(form: FormModel, pointer: string): DocumentRules | undefined {
  const schema = form.index.schemaFor(pointer);
  const resolve = (node: Record<string, unknown>) => form.index.resolve(node);
  if (!schema || describeKind(schema, resolve) !== 'document') return undefined;
  return toDocumentRules(schema, resolve);
}

/**
 * The largest file any upload question on a form page takes, or undefined when the page asks
 * for no file. Static (from the schema, whatever the answers), so it can be decided from the
 * URL before a byte of the body is read.
 */
export function largestFileOnPage(form: FormModel, pageId: string): number | undefined {
  const page = form.pages.find((candidate) => candidate.id === pageId);
  if (!page) return undefined;
  const tops = new Set(page.properties);
  let largest: number | undefined;
  for (const declared of form.index.declared) {
    if (!tops.has(toSegments(declared.pattern)[0] ?? '')) continue;
    const rules = documentRulesAt(form, declared.pattern);
    if (rules) largest = Math.max(largest ?? 0, rules.maxFileBytes);
  }
  return largest;
}

const pagePath = /^\/forms\/([^/]+)\/([^/]+)\/([^/]+)$/;

/** For the multipart middleware: the page's largest file, when the URL is a page asking for files. */
export function createUploadLimitLookup(forms: FormRegistry) {
  return (req: Request): number | undefined => {
    if (req.method !== 'POST') return undefined;
    const [, formId, , pageId] = pagePath.exec(req.path) ?? [];
    const form = formId === undefined ? undefined : forms.get(formId);
    return form && pageId !== undefined ? largestFileOnPage(form, pageId) : undefined;
  };
}

/** What {@link readPageUploads} needs. */
export interface PageUploadsOptions {
  form: FormModel;
  draft: { id: string; data: Record<string, unknown> };
  pageId: string;
  uploads: UploadStore;
}

/**
 * Checks the files posted to a page against their questions and stores the good ones, adding
 * their document ids to the body under the question's name. A refused file (too big, empty,
 * not an accepted type, or not what its name says) is not stored and becomes an error for its
 * question, so the page can be shown again with everything else kept. Any posted id that is
 * not an upload of this draft is dropped, so a forged id attaches nothing.
 */
export async function readPageUploads(
  req: Request,
  options: PageUploadsOptions,
): Promise<{ body: FormBody; errors: FieldError[] }> {
  const { form, draft, pageId, uploads } = options;
  const body = new Map<string, readonly string[]>(req.formBody ?? new Map());
  const pointers = new Map(
    form.documentPointers(pageId, draft.data).map((pointer) => [toFieldName(pointer), pointer]),
  );
  const errors: FieldError[] = [];
  if (pointers.size === 0) return { body, errors };
  for (const file of req.uploads ?? []) {
    const pointer = pointers.get(file.field);
    const rules = pointer === undefined ? undefined : documentRulesAt(form, pointer);
    if (pointer === undefined || !rules) continue;
    const judged =
      file.tooLarge || file.sizeBytes === 0 ? undefined : await sniffMediaType(file.path);
    const problem = toFileProblem(rules, { ...file, mediaType: judged });
    if (problem !== undefined || judged === undefined) {
      if (!errors.some((error) => error.path === pointer)) {
        errors.push({ path: pointer, href: `#${toFieldId(pointer)}`, text: problem ?? '' });
      }
      continue;
    }
    const id = await uploads.store({
      draftId: draft.id,
      organisationId: form.definition.organisation,
      fieldPath: fromFieldName(file.field),
      filename: file.filename,
      mediaType: judged,
      path: file.path,
    });
    body.set(file.field, [...(body.get(file.field) ?? []), id]);
  }
  const own = await uploads.namesForDraft(draft.id);
  for (const name of pointers.keys()) {
    for (const key of [name, `${name}._keep`, `${name}._remove`]) {
      const ids = body.get(key);
      if (ids)
        body.set(
          key,
          ids.filter((id) => own.has(id)),
        );
    }
  }
  return { body, errors };
}
