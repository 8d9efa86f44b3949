import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { BooleanField } from '../../../src/forms/fields/boolean-field.js';
import { ChoiceField } from '../../../src/forms/fields/choice-field.js';
import { assertMacroOptions } from './assert-macro-options.js';
import { buildField, stateOf } from './build-field.js';

const legalStatus = {
  type: 'string',
  title: 'Legal status',
  oneOf: [
    { const: 's20', title: 'Section 20', description: 'Accommodated with consent' },
    { const: 's31', title: 'Care order' },
    { const: 'other', title: 'Other <unknown>' },
  ],
};

describe('ChoiceField', () => {
  const field = buildField(legalStatus, { pointer: '/legalStatus' });

  it('is chosen for oneOf consts and offers their values', () => {
    assert.ok(field instanceof ChoiceField);
    assert.deepEqual(field.choiceValues, ['s20', 's31', 'other']);
  });

  describe('parse', () => {
    it('reads a known choice', () => {
      assert.deepEqual(field.parse(parseFormBody('legalStatus=s31')), { value: 's31' });
    });

    it('treats nothing chosen as not given', () => {
      assert.deepEqual(field.parse(parseFormBody('legalStatus=')), { value: undefined });
      assert.deepEqual(field.parse(parseFormBody('')), { value: undefined });
    });

    it('rejects an unknown value', () => {
      assert.deepEqual(field.parse(parseFormBody('legalStatus=%3Cscript%3E')), {
        value: undefined,
        error: { path: '/legalStatus', href: '#legalStatus', text: 'Select legal status' },
      });
      assert.ok(field.parse(parseFormBody('legalStatus=__proto__')).error);
      assert.ok(field.parse(parseFormBody('legalStatus=toString')).error);
    });

    it('parses numbers and integers back to their type', () => {
      const band = buildField(
        { type: 'integer', title: 'Band', enum: [1, 2, 3] },
        { pointer: '/band' },
      );
      assert.ok(band instanceof ChoiceField);
      assert.deepEqual(band.parse(parseFormBody('band=2')), { value: 2 });
      assert.ok(band.parse(parseFormBody('band=2.0')).error);
      const rate = buildField(
        { type: 'number', title: 'Rate', enum: [0.5, 1.5] },
        { pointer: '/rate' },
      );
      assert.deepEqual(rate.parse(parseFormBody('rate=1.5')), { value: 1.5 });
    });
  });

  describe('toComponent', () => {
    it('gives GOV.UK radios params with hints, the answer checked and conditional html', () => {
      const call = field.toComponent(
        stateOf('s20', { conditionalHtml: new Map([['s20', '<p>more</p>']]) }),
      );
      assertMacroOptions(call);
      assert.deepEqual(call, {
        component: 'radios',
        params: {
          idPrefix: 'legalStatus',
          name: 'legalStatus',
          fieldset: {
            legend: { text: 'Legal status (optional)', classes: 'govuk-fieldset__legend--s' },
          },
          items: [
            {
              value: 's20',
              text: 'Section 20',
              hint: { text: 'Accommodated with consent' },
              checked: true,
              conditional: { html: '<p>more</p>' },
            },
            { value: 's31', text: 'Care order', checked: false },
            { value: 'other', text: 'Other <unknown>', checked: false },
          ],
        },
      });
    });

    it('makes the radios inline for ui.inline', () => {
      const inline = buildField(legalStatus, { pointer: '/ls', ui: { '/ls': { inline: true } } });
      assert.equal(
        inline.toComponent(stateOf(undefined)).params['classes'],
        'govuk-radios--inline',
      );
    });

    it('uses a select with an empty first option for more than 12 choices', () => {
      const councils = Array.from({ length: 13 }, (_, index) => `Council ${index + 1}`);
      const select = buildField(
        { type: 'string', title: 'Council', enum: councils },
        { pointer: '/council' },
      );
      const call = select.toComponent(stateOf('Council 2'));
      assertMacroOptions(call);
      assert.equal(call.component, 'select');
      const items = call.params['items'] as { value: string; text: string; selected: boolean }[];
      assert.deepEqual(items[0], { value: '', text: 'Select an option', selected: false });
      assert.equal(items.length, 14);
      assert.deepEqual(
        items.filter((item) => item.selected).map((item) => item.value),
        ['Council 2'],
      );
      assert.deepEqual(call.params['label'], {
        text: 'Council (optional)',
        classes: 'govuk-label--s',
      });
    });

    it('uses a select for ui.widget select and radios for ui.widget radios', () => {
      const select = buildField(legalStatus, {
        pointer: '/ls',
        ui: { '/ls': { widget: 'select' } },
      });
      assert.equal(select.toComponent(stateOf(undefined)).component, 'select');
      const many = Array.from({ length: 20 }, (_, index) => index);
      const radios = buildField(
        { type: 'integer', title: 'N', enum: many },
        { pointer: '/n', ui: { '/n': { widget: 'radios' } } },
      );
      assert.equal(radios.toComponent(stateOf(undefined)).component, 'radios');
    });

    it('checks a number choice by its posted value', () => {
      const band = buildField(
        { type: 'integer', title: 'Band', enum: [1, 2] },
        { pointer: '/band' },
      );
      const items = band.toComponent(stateOf(2)).params['items'] as {
        value: string;
        checked: boolean;
      }[];
      assert.deepEqual(
        items.map((item) => [item.value, item.checked]),
        [
          ['1', false],
          ['2', true],
        ],
      );
    });

    it('shows an error at its pointer', () => {
      const call = field.toComponent(
        stateOf(undefined, {
          errors: [{ path: '/legalStatus', href: '#legalStatus', text: 'Select legal status' }],
        }),
      );
      assert.deepEqual(call.params['errorMessage'], { text: 'Select legal status' });
    });
  });

  describe('toSummary', () => {
    it('shows the choice by its title, escaped', () => {
      assert.equal(field.toSummary('other')[0]?.valueHtml, 'Other &lt;unknown&gt;');
      assert.equal(field.toSummary('s31')[0]?.valueHtml, 'Care order');
      assert.equal(field.toSummary(undefined)[0]?.valueHtml, 'Not provided');
    });
  });
});

describe('BooleanField', () => {
  const field = buildField(
    { type: 'boolean', title: 'Is the child under 13?' },
    { pointer: '/underThirteen' },
  );

  it('is chosen for a boolean', () => {
    assert.ok(field instanceof BooleanField);
    assert.deepEqual(field.choiceValues, [true, false]);
  });

  it('reads "true" and "false" as booleans', () => {
    assert.deepEqual(field.parse(parseFormBody('underThirteen=true')), { value: true });
    assert.deepEqual(field.parse(parseFormBody('underThirteen=false')), { value: false });
    assert.deepEqual(field.parse(parseFormBody('underThirteen=')), { value: undefined });
  });

  it('rejects anything else', () => {
    const parsed = field.parse(parseFormBody('underThirteen=yes'));
    assert.equal(parsed.value, undefined);
    assert.equal(parsed.error?.href, '#underThirteen');
  });

  it('gives inline Yes/No radios', () => {
    const call = field.toComponent(stateOf(false));
    assertMacroOptions(call);
    assert.deepEqual(call.params, {
      idPrefix: 'underThirteen',
      name: 'underThirteen',
      fieldset: {
        legend: { text: 'Is the child under 13? (optional)', classes: 'govuk-fieldset__legend--s' },
      },
      classes: 'govuk-radios--inline',
      items: [
        { value: 'true', text: 'Yes', checked: false },
        { value: 'false', text: 'No', checked: true },
      ],
    });
  });

  it('reveals conditional html under Yes and is then not inline', () => {
    const call = field.toComponent(
      stateOf(true, { conditionalHtml: new Map([['true', '<div>x</div>']]) }),
    );
    assertMacroOptions(call);
    assert.equal(call.params['classes'], undefined);
    const items = call.params['items'] as { conditional?: { html: string } }[];
    assert.deepEqual(items[0]?.conditional, { html: '<div>x</div>' });
    assert.equal(items[1]?.conditional, undefined);
  });

  it('summarises as Yes or No', () => {
    assert.equal(field.toSummary(true)[0]?.valueHtml, 'Yes');
    assert.equal(field.toSummary(false)[0]?.valueHtml, 'No');
    assert.equal(field.toSummary(undefined)[0]?.valueHtml, 'Not provided');
  });
});
