import type { KeywordDefinition } from 'ajv';

/** Keywords Ajv only checks the shape of; their meaning is applied elsewhere (messages, uploads). */
export const annotationKeywords: readonly KeywordDefinition[] = [
  {
    keyword: 'errorMessage',
    schemaType: 'object',
    metaSchema: {
      type: 'object',
      additionalProperties: { type: 'string', minLength: 1 },
    },
  },
  {
    keyword: 'accept',
    schemaType: 'array',
    metaSchema: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[a-z]+/[a-z0-9.+-]+$' },
    },
  },
  {
    // The question's label for a reader other than the person filling in the form (a home,
    // the coordinator): "Your full name" reads "Referrer's full name".
    keyword: 'x-reviewTitle',
    schemaType: 'string',
    metaSchema: { type: 'string', minLength: 1, maxLength: 300 },
  },
  {
    // Marks a question whose answer belongs in the one-glance summary of a submission.
    keyword: 'x-summary',
    schemaType: 'boolean',
    metaSchema: { type: 'boolean' },
  },
  {
    keyword: 'maxFileSize',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 1 },
  },
];
