import type { FormModel } from '../../src/forms/form-model.js';
import { toSegments } from '../../src/forms/field-names.js';
import { referencedDocuments } from '../../src/submissions/referenced-documents.js';
import { samplePdf } from './form-journey.js';

/**
 * A copy of `answers` whose document ids are replaced by real uploads of a sample PDF through
 * `POST /api/v1/forms/{id}/documents` with `token`, as an integrator sends files before the
 * submission that names them.
 */
export async function uploadExampleDocuments(
  baseUrl: string,
  token: string,
  form: FormModel,
  answers: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const copy = structuredClone(answers);
  for (const { pointer } of referencedDocuments(form, copy)) {
    const segments = toSegments(pointer);
    const last = segments.at(-1) ?? '';
    // an entry of a list of files is uploaded for the list's question
    const inList = /^\d+$/.test(last);
    const question = inList ? '/' + segments.slice(0, -1).join('/') : pointer;
    const response = await fetch(
      `${baseUrl}/api/v1/forms/${form.definition.id}/documents?field=${encodeURIComponent(question)}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="${segments.join('-')}.pdf"`,
        },
        body: samplePdf,
      },
    );
    if (response.status !== 201) {
      throw new Error(`upload for ${pointer} answered ${String(response.status)}`);
    }
    const { documentId } = (await response.json()) as { documentId: string };
    let target: Record<string, unknown> = copy;
    for (const segment of segments.slice(0, -1)) {
      target = target[segment] as Record<string, unknown>;
    }
    target[last] = documentId;
  }
  return copy;
}
