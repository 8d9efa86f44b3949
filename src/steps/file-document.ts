import type { FileDocumentOptions } from '../generated/workflows/step-options.js';
import type { DocumentMetadata } from '../ports/document-store.js';
import type { StepType } from '../workflow/step-type.js';

/**
 * `file-document`: files the submission, the pack, its attachments and the homes' answers
 * into the DMS through the DocumentStore port, each exactly once, with its metadata (reference,
 * form and version, document type, classification, retention date).
 */
export const fileDocument: StepType<FileDocumentOptions> = {
  type: 'file-document',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['documents'],
    properties: {
      documents: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: ['submission', 'pack', 'attachments', 'responses'] },
      },
      folder: { type: 'string', pattern: '^[a-z0-9-]+$', default: 'filed' },
      classification: { type: 'string', default: 'OFFICIAL-SENSITIVE' },
    },
  },
  outcomes: ['done'],
  formPointers: () => [],
  async run({ services, instance, submission, run, options }) {
    const folder = `${options.folder ?? 'filed'}/${submission.reference}`;
    const owner = {
      instanceId: instance.id,
      submissionId: submission.id,
      organisationId: instance.organisationId,
      retainUntil: instance.retainUntil,
    };
    const base = (documentType: string, filename: string, mediaType: string): DocumentMetadata => ({
      filename,
      mediaType,
      reference: submission.reference,
      formId: submission.formId,
      formVersion: submission.formVersion,
      documentType,
      classification: options.classification ?? 'OFFICIAL-SENSITIVE',
      retainUntil: submission.retainUntil,
    });
    const filed: Record<string, string> = {};
    const file = async (
      name: string,
      content: () => Promise<Buffer>,
      metadata: DocumentMetadata,
    ) => {
      filed[name] = await services.effects.fileOnce({
        owner,
        key: `${instance.id}/${run.seq}/file-${name}`,
        documentKey: `${folder}/${name}`,
        content,
        metadata,
      });
    };
    for (const kind of options.documents) {
      if (kind === 'submission') {
        await file(
          'submission.json',
          () => Promise.resolve(Buffer.from(JSON.stringify(submission.data, null, 2))),
          base('submission', `${submission.reference}.json`, 'application/json'),
        );
        // Each three-monthly review is the referral brought up to date: filed beside it.
        const reviews = await services.db.query<{ id: string; data: unknown }>(
          `SELECT id, data FROM referral_reviews WHERE instance_id = $1 ORDER BY recorded_at, id`,
          [instance.id],
        );
        for (const [index, review] of reviews.rows.entries()) {
          await file(
            `review-${review.id}.json`,
            () => Promise.resolve(Buffer.from(JSON.stringify(review.data, null, 2))),
            base(
              'review',
              `${submission.reference}-review-${String(index + 1)}.json`,
              'application/json',
            ),
          );
        }
      } else if (kind === 'pack') {
        const key = instance.context.packKey;
        if (typeof key !== 'string') continue;
        await file(
          'referral-pack.pdf',
          async () => (await services.documents.get(key))?.content ?? Buffer.alloc(0),
          base('referral-pack', `${submission.reference}-referral-pack.pdf`, 'application/pdf'),
        );
      } else if (kind === 'attachments') {
        const { rows } = await services.db.query<{
          id: string;
          filename: string;
          media_type: string;
          storage_key: string;
        }>(
          `SELECT id, filename, media_type, storage_key FROM documents WHERE submission_id = $1 ORDER BY created_at, id`,
          [submission.id],
        );
        for (const row of rows) {
          await file(
            `attachment-${row.id}`,
            async () => (await services.documents.get(row.storage_key))?.content ?? Buffer.alloc(0),
            base('attachment', row.filename, row.media_type),
          );
        }
      } else {
        const { rows } = await services.db.query<{
          home_id: string;
          state: string;
          reason: string | null;
          responded_at: Date | null;
        }>(
          `SELECT home_id, state, reason, responded_at FROM workflow_home_requests WHERE instance_id = $1 ORDER BY home_id`,
          [instance.id],
        );
        // Every answer in order and the local authority's answers to questions, with the latest.
        const history = await services.db.query(
          `SELECT r.home_id, h.answer, h.reason, h.bed_available_on, h.conditions, h.responded_at
           FROM workflow_home_responses h JOIN workflow_home_requests r ON r.id = h.request_id
           WHERE r.instance_id = $1 ORDER BY h.responded_at, h.id`,
          [instance.id],
        );
        const answers = await services.db.query(
          `SELECT r.home_id, a.question, a.answer, a.answered_at,
             (SELECT coalesce(json_agg(d.filename ORDER BY d.created_at), '[]'::json)
                FROM documents d WHERE d.answer_id = a.id) AS documents
           FROM referral_question_answers a JOIN workflow_home_requests r ON r.id = a.request_id
           WHERE r.instance_id = $1 ORDER BY a.answered_at, a.id`,
          [instance.id],
        );
        const updates = await services.db.query(
          `SELECT still_needed, changes, recorded_at FROM referral_updates
           WHERE instance_id = $1 ORDER BY recorded_at, id`,
          [instance.id],
        );
        const record = {
          latest: rows,
          history: history.rows,
          answers: answers.rows,
          updates: updates.rows,
        };
        await file(
          'responses.json',
          () => Promise.resolve(Buffer.from(JSON.stringify(record, null, 2))),
          base('home-responses', `${submission.reference}-responses.json`, 'application/json'),
        );
      }
    }
    return { result: { filed } };
  },
};
