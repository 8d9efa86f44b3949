import assert from 'node:assert/strict';
import { buildForm } from './build-form.js';

const underThirteen = {
  type: 'object',
  properties: {
    child: {
      type: 'object',
      title: 'The child',
      properties: {
        name: { type: 'string', title: 'Name' },
        underThirteen: { type: 'boolean', title: 'Is the child under 13?' },
      },
      required: ['name', 'underThirteen'],
      if: { properties: { underThirteen: { const: true } }, required: ['underThirteen'] },
      then: {
        properties: { approvalDate: { type: 'string', format: 'date', title: 'Date of approval' } },
        required: ['approvalDate'],
      },
    },
  },
  required: ['child'],
};

describe('Conditions', () => {
  describe('when a branch is on a nested object', () => {
    const form = buildForm({ schema: underThirteen });

    it('hides the dependent question until its condition holds', () => {
      assert.equal(form.isShown('/child/approvalDate', { child: { underThirteen: false } }), false);
      assert.equal(form.isShown('/child/approvalDate', {}), false);
      assert.equal(form.isShown('/child/approvalDate', { child: { underThirteen: true } }), true);
      assert.equal(form.isShown('/child/name', {}), true);
    });

    it('requires the dependent answer only when shown', () => {
      const shown = form.validate({ child: { name: 'Alex Example', underThirteen: true } });
      assert.deepEqual(
        shown.errors.map((error) => error.path),
        ['/child/approvalDate'],
      );
      const hidden = form.validate({ child: { name: 'Alex Example', underThirteen: false } });
      assert.equal(hidden.valid, true);
    });

    it('discards the answer when the question ends up hidden', () => {
      const result = form.validate({
        child: { name: 'Alex Example', underThirteen: false, approvalDate: '2026-01-02' },
      });
      assert.equal(result.valid, true);
      assert.deepEqual(result.data, { child: { name: 'Alex Example', underThirteen: false } });
    });

    it('offers the reveal under the yes/no question', () => {
      assert.deepEqual(form.reveals('child'), [
        {
          controllerPointer: '/child/underThirteen',
          values: [true],
          dependents: ['/child/approvalDate'],
        },
      ]);
    });
  });

  describe('when a root condition reaches into another page', () => {
    const form = buildForm({
      schema: {
        type: 'object',
        properties: {
          placement: {
            type: 'object',
            properties: { secure: { type: 'boolean', title: 'Secure placement' } },
          },
          court: { type: 'object', properties: { name: { type: 'string' } } },
        },
        if: {
          properties: {
            placement: {
              type: 'object',
              properties: { secure: { const: true } },
              required: ['secure'],
            },
          },
          required: ['placement'],
        },
        then: {
          properties: {
            court: {
              type: 'object',
              properties: { orderDate: { type: 'string', format: 'date', title: 'Order date' } },
              required: ['orderDate'],
            },
          },
        },
      },
    });

    it('shows the nested question only when the other page answers so', () => {
      assert.equal(form.isShown('/court/orderDate', { placement: { secure: true } }), true);
      assert.equal(form.isShown('/court/orderDate', { placement: { secure: false } }), false);
      assert.equal(form.isShown('/court/name', { placement: { secure: false } }), true);
    });

    it('validates the branch-declared required answer across pages', () => {
      const result = form.validate({ placement: { secure: true }, court: {} });
      assert.deepEqual(result.errors, [
        { path: '/court/orderDate', href: '#court-orderDate-day', text: 'Enter order date' },
      ]);
    });
  });

  describe('inside array items', () => {
    const form = buildForm({
      schema: {
        type: 'object',
        properties: {
          contacts: {
            type: 'array',
            items: {
              type: 'object',
              title: 'Contact',
              properties: {
                role: { enum: ['parent', 'other'], title: 'Role' },
              },
              if: { properties: { role: { const: 'other' } }, required: ['role'] },
              then: { properties: { details: { type: 'string', title: 'Details' } } },
            },
          },
        },
      },
    });

    it('decides each item on its own answers', () => {
      const answers = { contacts: [{ role: 'parent' }, { role: 'other' }] };
      assert.equal(form.isShown('/contacts/0/details', answers), false);
      assert.equal(form.isShown('/contacts/1/details', answers), true);
    });

    it('prunes hidden answers per item', () => {
      const pruned = form.pruneHidden({
        contacts: [
          { role: 'parent', details: 'x' },
          { role: 'other', details: 'y' },
        ],
      });
      assert.deepEqual(pruned, { contacts: [{ role: 'parent' }, { role: 'other', details: 'y' }] });
    });

    it('reports the reveal with a wildcard index', () => {
      assert.deepEqual(form.conditions.reveals, [
        {
          controllerPointer: '/contacts/*/role',
          values: ['other'],
          dependents: ['/contacts/*/details'],
        },
      ]);
    });
  });

  describe('when pruning hides more questions', () => {
    const form = buildForm({
      schema: {
        type: 'object',
        properties: { a: { type: 'boolean' } },
        allOf: [
          {
            if: { properties: { a: { const: true } }, required: ['a'] },
            then: { properties: { b: { type: 'boolean' } } },
          },
          {
            if: { properties: { b: { const: true } }, required: ['b'] },
            then: { properties: { c: { type: 'string' } } },
          },
        ],
      },
    });

    it('repeats until nothing more is hidden', () => {
      assert.deepEqual(form.pruneHidden({ a: false, b: true, c: 'kept?' }), { a: false });
      assert.deepEqual(form.pruneHidden({ a: true, b: true, c: 'kept' }), {
        a: true,
        b: true,
        c: 'kept',
      });
    });
  });

  describe('with dependentSchemas and dependentRequired', () => {
    const form = buildForm({
      schema: {
        type: 'object',
        properties: { email: { type: 'string', format: 'email', title: 'Email' } },
        dependentSchemas: {
          email: { properties: { consent: { type: 'boolean', title: 'Consent to email' } } },
        },
        dependentRequired: { email: ['consent'] },
      },
    });

    it('shows and requires the dependent question once the other is answered', () => {
      assert.equal(form.isShown('/consent', {}), false);
      assert.equal(form.isShown('/consent', { email: 'sam@example.org' }), true);
      assert.deepEqual(
        form.validate({ email: 'sam@example.org' }).errors.map((error) => error.text),
        ['Select consent to email'],
      );
    });
  });
});
