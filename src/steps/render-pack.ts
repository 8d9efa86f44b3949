import type { RenderPackOptions } from '../generated/workflows/step-options.js';
import { groupBySection } from '../forms/form-sections.js';
import { PermanentStepError } from '../workflow/permanent-step-error.js';
import type { StepType } from '../workflow/step-type.js';
import { nameDocuments } from '../submissions/name-documents.js';

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Summary rows hold escaped HTML; the pack wants the plain text. */
export function toPlainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|div)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity)
    .trim();
}

/** Where a referral's pack is stored in the DocumentStore. */
export function toPackKey(instanceId: string): string {
  return `packs/${instanceId}/referral-pack.pdf`;
}

/**
 * `render-pack`: renders the referral pack PDF (every answer under its page and question,
 * the reference, the classification, the attachments listed) and stores it once.
 */
export const renderPack: StepType<RenderPackOptions> = {
  type: 'render-pack',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      classification: { const: 'OFFICIAL-SENSITIVE' },
      packFormatVersion: { type: 'integer', minimum: 1 },
    },
  },
  outcomes: ['done'],
  formPointers: () => [],
  async run({ services, instance, submission, options }) {
    const key = toPackKey(instance.id);
    const existing = await services.documents.get(key);
    if (!existing) {
      // the pack reads the answers with the questions they were given to
      const form =
        (await services.forms.atVersion(submission.formId, submission.formVersion)) ??
        services.forms.get(submission.formId);
      if (!form) throw new PermanentStepError(`no form ${submission.formId}`);
      const { rows } = await services.db.query<{
        id: string;
        filename: string;
        media_type: string;
        size_bytes: number;
      }>(
        `SELECT id, filename, media_type, size_bytes FROM documents WHERE submission_id = $1 ORDER BY created_at, id`,
        [submission.id],
      );
      const pdf = await services.renderPack({
        reference: submission.reference,
        formTitle: form.definition.title,
        formVersion: submission.formVersion,
        generatedAt: services.clock.now(),
        classification: 'OFFICIAL-SENSITIVE',
        summary: form.keySummary(submission.data).map((row) => ({
          key: row.key,
          value: toPlainText(row.valueHtml),
        })),
        sections: groupBySection(
          form,
          nameDocuments(
            form,
            submission.data,
            form.reviewSummary(submission.data),
            new Map(rows.map((row) => [row.id, row.filename])),
          ),
        ).map((section) => ({
          title: section.title,
          rows: section.rows.map((row) => ({ key: row.key, value: toPlainText(row.valueHtml) })),
        })),
        attachments: rows.map((row) => ({
          filename: row.filename,
          mediaType: row.media_type,
          sizeBytes: row.size_bytes,
        })),
        packFormatVersion: options.packFormatVersion ?? 1,
      });
      await services.documents.put(key, pdf, {
        filename: `${submission.reference}-referral-pack.pdf`,
        mediaType: 'application/pdf',
        reference: submission.reference,
        documentType: 'referral-pack',
        classification: options.classification ?? 'OFFICIAL-SENSITIVE',
      });
    }
    return { result: { packKey: key }, context: { packKey: key } };
  },
};
