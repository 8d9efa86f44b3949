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
    keyword: 'maxFileSize',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 1 },
  },
];
