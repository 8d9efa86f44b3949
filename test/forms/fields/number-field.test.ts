import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { NumberField } from '../../../src/forms/fields/number-field.js';
import { assertMacroOptions } from './assert-macro-options.js';
import { buildField, stateOf } from './build-field.js';

describe('NumberField', () => {
  const siblings = buildField(
    { type: 'integer', title: 'Number of siblings' },
    { pointer: '/siblings' },
  );
  const weight = buildField({ type: 'number', title: 'Weight' }, { pointer: '/weight' });
  const parse = (field: typeof siblings, text: string) =>
    field.parse(
      parseFormBody('siblings=' + encodeURIComponent(text) + '&weight=' + encodeURIComponent(text)),
    );

  it('is chosen for integer and number', () => {
    assert.ok(siblings instanceof NumberField);
    assert.ok(weight instanceof NumberField);
  });

  describe('parse', () => {
    for (const [text, value] of [
      ['12', 12],
      [' 12 ', 12],
      ['1,000', 1000],
      ['1 000', 1000],
      ['-3', -3],
      ['0', 0],
    ] as const) {
      it(`reads "${text}" as ${value}`, () => {
        assert.deepEqual(parse(siblings, text), { value });
      });
    }

    it('reads decimals for a number', () => {
      assert.deepEqual(parse(weight, '3.25'), { value: 3.25 });
      assert.deepEqual(parse(weight, '1,234.5'), { value: 1234.5 });
    });

    it('treats a blank answer as not given', () => {
      assert.deepEqual(parse(siblings, '  '), { value: undefined });
    });

    it('rejects a fraction for an integer, keeping what was typed', () => {
      assert.deepEqual(parse(siblings, '2.5'), {
        value: undefined,
        raw: '2.5',
        error: {
          path: '/siblings',
          href: '#siblings',
          text: 'Number of siblings must be a whole number',
        },
      });
    });

    for (const text of [
      'two',
      '1,00',
      '1e5',
      '12abc',
      '--1',
      '.',
      ',',
      '<script>1</script>',
      'Infinity',
      '9'.repeat(400),
    ]) {
      it(`rejects "${text.slice(0, 20)}" as not a number`, () => {
        const parsed = parse(weight, text);
        assert.equal(parsed.value, undefined);
        assert.equal(parsed.raw, text);
        assert.equal(parsed.error?.text, 'Weight must be a number');
      });
    }

    it('rejects an integer too large to store exactly', () => {
      assert.equal(
        parse(siblings, '99999999999999999999').error?.text,
        'Number of siblings must be a whole number',
      );
    });

    it('reads a huge hostile string quickly', () => {
      const started = Date.now();
      const parsed = parse(weight, '1,'.repeat(100_000) + 'x');
      assert.equal(parsed.value, undefined);
      assert.ok(Date.now() - started < 200);
    });
  });

  describe('toComponent', () => {
    it('gives a numeric input re-displaying the number', () => {
      const call = siblings.toComponent(stateOf(3));
      assertMacroOptions(call);
      assert.deepEqual(call, {
        component: 'input',
        params: {
          id: 'siblings',
          name: 'siblings',
          inputmode: 'numeric',
          spellcheck: false,
          value: '3',
          label: { text: 'Number of siblings (optional)', classes: 'govuk-label--s' },
          classes: 'govuk-input--width-10',
        },
      });
    });

    it('re-displays what was typed when it was not a number', () => {
      const call = weight.toComponent(
        stateOf(undefined, {
          raw: 'ten',
          errors: [{ path: '/weight', href: '#weight', text: 'Weight must be a number' }],
        }),
      );
      assert.equal(call.params['inputmode'], 'decimal');
      assert.equal(call.params['value'], 'ten');
      assert.deepEqual(call.params['errorMessage'], { text: 'Weight must be a number' });
    });
  });

  describe('toSummary', () => {
    it('shows the number with its prefix and suffix', () => {
      const rent = buildField(
        { type: 'number', title: 'Rent' },
        { pointer: '/rent', ui: { '/rent': { prefix: '£', suffix: 'per week' } } },
      );
      assert.equal(rent.toSummary(1250.5)[0]?.valueHtml, '£1,250.5 per week');
      assert.equal(rent.toSummary(undefined)[0]?.valueHtml, 'Not provided');
    });
  });
});
