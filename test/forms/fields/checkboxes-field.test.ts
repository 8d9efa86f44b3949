import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { CheckboxesField } from '../../../src/forms/fields/checkboxes-field.js';
import { assertMacroOptions } from './assert-macro-options.js';
import { buildField, stateOf } from './build-field.js';

describe('CheckboxesField', () => {
  const root = {
    $defs: {
      need: {
        type: 'string',
        oneOf: [
          { const: 'education', title: 'Education' },
          { const: 'health', title: 'Health', description: 'Physical or mental' },
          { const: 'other', title: 'Other & <more>' },
        ],
      },
    },
  };
  const field = buildField(
    { type: 'array', title: 'Needs', uniqueItems: true, items: { $ref: '#/$defs/need' } },
    { pointer: '/needs', root },
  );

  it('is chosen for an array of choices ($ref resolved)', () => {
    assert.ok(field instanceof CheckboxesField);
    assert.deepEqual(field.choiceValues, ['education', 'health', 'other']);
  });

  describe('parse', () => {
    it('reads the ticked values in choice order, once each', () => {
      assert.deepEqual(field.parse(parseFormBody('needs=other&needs=education&needs=other')), {
        value: ['education', 'other'],
      });
    });

    it('reads a single tick as a one-item array', () => {
      assert.deepEqual(field.parse(parseFormBody('needs=health')), { value: ['health'] });
    });

    it('treats nothing ticked (or only the empty hidden value) as not given', () => {
      assert.deepEqual(field.parse(parseFormBody('needs=')), { value: undefined });
      assert.deepEqual(field.parse(parseFormBody('')), { value: undefined });
    });

    it('rejects unknown values', () => {
      const parsed = field.parse(parseFormBody('needs=health&needs=__proto__'));
      assert.equal(parsed.value, undefined);
      assert.deepEqual(parsed.error, { path: '/needs', href: '#needs', text: 'Select needs' });
    });

    it('parses number choices back to numbers', () => {
      const days = buildField(
        { type: 'array', title: 'Days', items: { type: 'integer', enum: [1, 2, 3] } },
        { pointer: '/days' },
      );
      assert.deepEqual(days.parse(parseFormBody('days=3&days=1')), { value: [1, 3] });
    });
  });

  describe('toComponent', () => {
    it('gives GOV.UK checkboxes params with the answers ticked', () => {
      const call = field.toComponent(
        stateOf(['health'], { conditionalHtml: new Map([['other', '<p>Say what</p>']]) }),
      );
      assertMacroOptions(call);
      assert.deepEqual(call.params, {
        idPrefix: 'needs',
        name: 'needs',
        fieldset: { legend: { text: 'Needs (optional)', classes: 'govuk-fieldset__legend--s' } },
        items: [
          { value: 'education', text: 'Education', checked: false },
          { value: 'health', text: 'Health', hint: { text: 'Physical or mental' }, checked: true },
          {
            value: 'other',
            text: 'Other & <more>',
            checked: false,
            conditional: { html: '<p>Say what</p>' },
          },
        ],
      });
    });

    it('shows an error about one of its items', () => {
      const call = field.toComponent(
        stateOf(['x'], { errors: [{ path: '/needs/0', href: '#needs', text: 'Select needs' }] }),
      );
      assert.deepEqual(call.params['errorMessage'], { text: 'Select needs' });
    });

    it('survives a value that is not an array', () => {
      const call = field.toComponent(stateOf('health'));
      const items = call.params['items'] as { checked: boolean }[];
      assert.ok(items.every((item) => !item.checked));
    });
  });

  describe('toSummary', () => {
    it('lists the titles, escaped', () => {
      assert.equal(
        field.toSummary(['education', 'other'])[0]?.valueHtml,
        '<ul class="govuk-list"><li>Education</li><li>Other &amp; &lt;more&gt;</li></ul>',
      );
      assert.equal(field.toSummary([])[0]?.valueHtml, 'Not provided');
    });
  });
});
