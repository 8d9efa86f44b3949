import assert from 'node:assert/strict';
import type { SchemaNode, UiOptions } from '../../../src/forms/field.js';
import { buildField } from './build-field.js';

describe('createField', () => {
  const cases: [string, SchemaNode, UiOptions | undefined, string][] = [
    ['a plain string', { type: 'string' }, undefined, 'text'],
    ['a nullable string', { type: ['string', 'null'] }, undefined, 'text'],
    ['no type at all', {}, undefined, 'text'],
    ['an email', { type: 'string', format: 'email' }, undefined, 'text'],
    ['a long string', { type: 'string', maxLength: 1000 }, undefined, 'textarea'],
    ['a short string', { type: 'string', maxLength: 200 }, undefined, 'text'],
    ['a textarea widget', { type: 'string' }, { widget: 'textarea' }, 'textarea'],
    ['a date', { type: 'string', format: 'date' }, undefined, 'date'],
    ['an integer', { type: 'integer' }, undefined, 'number'],
    ['a number', { type: 'number' }, undefined, 'number'],
    ['a boolean', { type: 'boolean' }, undefined, 'boolean'],
    ['an enum', { type: 'string', enum: ['a', 'b'] }, undefined, 'choice'],
    ['oneOf consts', { oneOf: [{ const: 1, title: 'One' }] }, undefined, 'choice'],
    ['an array of enums', { type: 'array', items: { enum: ['a'] } }, undefined, 'checkboxes'],
    ['an object', { type: 'object', properties: {} }, undefined, 'object'],
    [
      'an array of objects',
      { type: 'array', items: { type: 'object', properties: {} } },
      undefined,
      'repeating-group',
    ],
    ['a document', { type: 'string', format: 'document' }, undefined, 'document'],
    [
      'documents',
      { type: 'array', items: { type: 'string', format: 'document' } },
      undefined,
      'document',
    ],
    ['a $ref', { $ref: '#/$defs/when' }, undefined, 'date'],
  ];
  const root = { $defs: { when: { type: 'string', format: 'date' } } };

  for (const [what, schema, ui, kind] of cases) {
    it(`builds a ${kind} field for ${what}`, () => {
      const field = buildField(schema, { pointer: '/q', root, ui: ui ? { '/q': ui } : {} });
      assert.equal(field.kind, kind);
      assert.equal(field.pointer, '/q');
    });
  }

  it('applies ui overrides to nested children through createChild', () => {
    const field = buildField(
      {
        type: 'array',
        items: { type: 'object', title: 'Contact', properties: { role: { enum: ['a', 'b'] } } },
      },
      { pointer: '/contacts', ui: { '/contacts/*/role': { widget: 'select' } } },
    );
    const role = field.children?.[0];
    assert.equal(role?.pointer, '/contacts/0/role');
    assert.equal(role.label, 'Role');
    assert.equal(
      role.toComponent({ value: undefined, errors: [], render: () => '' }).component,
      'select',
    );
  });
});
