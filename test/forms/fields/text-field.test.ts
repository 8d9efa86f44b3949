import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { TextField } from '../../../src/forms/fields/text-field.js';
import { TextareaField } from '../../../src/forms/fields/textarea-field.js';
import { assertMacroOptions } from './assert-macro-options.js';
import { buildField, stateOf } from './build-field.js';

describe('TextField', () => {
  const field = buildField(
    { type: 'string', title: "Child's first name" },
    { pointer: '/child/firstName', hint: 'As on their birth certificate' },
  );

  it('is chosen for a plain string', () => {
    assert.ok(field instanceof TextField);
    assert.equal(field.kind, 'text');
    assert.equal(field.href, '#child-firstName');
  });

  describe('parse', () => {
    it('reads and trims the answer', () => {
      assert.deepEqual(field.parse(parseFormBody('child.firstName=%20%20Ada%20')), {
        value: 'Ada',
      });
    });

    it('treats blank and whitespace-only answers as not given', () => {
      assert.equal(field.parse(parseFormBody('child.firstName=')).value, undefined);
      assert.equal(field.parse(parseFormBody('child.firstName=%20%09')).value, undefined);
      assert.equal(field.parse(parseFormBody('other=x')).value, undefined);
    });

    it('takes the first value when the name is posted twice', () => {
      assert.equal(
        field.parse(parseFormBody('child.firstName=Ada&child.firstName=Bob')).value,
        'Ada',
      );
    });

    it('keeps script tags as data', () => {
      const value = field.parse(
        parseFormBody('child.firstName=' + encodeURIComponent('<script>alert(1)</script>')),
      ).value;
      assert.equal(value, '<script>alert(1)</script>');
    });

    it('keeps a huge answer for validation to judge', () => {
      const huge = 'a'.repeat(200_000);
      assert.equal(field.parse(parseFormBody('child.firstName=' + huge)).value, huge);
    });

    it('ignores a __proto__ name and does not pollute objects', () => {
      const proto = buildField({ type: 'string', title: 'Odd' }, { pointer: '/__proto__' });
      assert.equal(proto.parse(parseFormBody('__proto__=x')).value, 'x');
      assert.equal(({} as Record<string, unknown>)['x'], undefined);
    });
  });

  describe('toComponent', () => {
    it('gives GOV.UK input params with the value re-displayed', () => {
      const call = field.toComponent(stateOf('Ada'));
      assertMacroOptions(call);
      assert.deepEqual(call, {
        component: 'input',
        params: {
          id: 'child-firstName',
          name: 'child.firstName',
          value: 'Ada',
          label: { text: "Child's first name (optional)", classes: 'govuk-label--s' },
          hint: { text: 'As on their birth certificate' },
          autocomplete: 'given-name',
          spellcheck: false,
        },
      });
    });

    it('shows the error at its pointer and not one elsewhere', () => {
      const errors = [
        { path: '/child/firstNameOther', href: '#x', text: 'Other' },
        {
          path: '/child/firstName',
          href: '#child-firstName',
          text: "Enter the child's first name",
        },
      ];
      assert.deepEqual(field.toComponent(stateOf(undefined, { errors })).params['errorMessage'], {
        text: "Enter the child's first name",
      });
      assert.equal(
        field.toComponent(stateOf(undefined, { errors: errors.slice(0, 1) })).params[
          'errorMessage'
        ],
        undefined,
      );
    });

    it('makes an email input for format email', () => {
      const email = buildField(
        { type: 'string', format: 'email', title: 'Email' },
        { pointer: '/email' },
      );
      const call = email.toComponent(stateOf(undefined));
      assertMacroOptions(call);
      assert.equal(call.params['type'], 'email');
      assert.equal(call.params['autocomplete'], 'email');
      assert.equal(call.params['spellcheck'], false);
      const long = buildField(
        { type: 'string', format: 'email', maxLength: 254, title: 'Email' },
        { pointer: '/contact' },
      );
      assert.equal(long.kind, 'text', 'an email is one line whatever its maxLength');
      assert.equal(long.toComponent(stateOf(undefined)).params['autocomplete'], 'email');
    });

    it('prefills the default until an answer is given or refused', () => {
      const field = buildField(
        { type: 'string', default: 'Chuck', title: 'First name' },
        { pointer: '/nickname' },
      );
      assert.equal(field.toComponent(stateOf(undefined)).params['value'], 'Chuck');
      assert.equal(field.toComponent(stateOf('Alex')).params['value'], 'Alex');
      const refused = stateOf(undefined, {
        errors: [{ path: '/nickname', href: '#nickname', text: 'Enter first name' }],
      });
      assert.equal(field.toComponent(refused).params['value'], undefined);
    });

    it('follows the documented autocomplete and inputmode mapping', () => {
      const expected: [string, Record<string, unknown>, string | undefined, string | undefined][] =
        [
          ['/child/firstName', { type: 'string' }, 'given-name', undefined],
          ['/child/lastName', { type: 'string' }, 'family-name', undefined],
          ['/address/postcode', { type: 'string' }, 'postal-code', undefined],
          ['/mobilePhone', { type: 'string' }, 'tel', undefined],
          ['/sortCode', { type: 'string', pattern: '^[0-9]{6}$' }, undefined, 'numeric'],
          ['/notes', { type: 'string' }, undefined, undefined],
        ];
      for (const [pointer, schema, autocomplete, inputmode] of expected) {
        const call = buildField({ ...schema, title: 'Q' }, { pointer }).toComponent(
          stateOf(undefined),
        );
        assert.equal(call.params['autocomplete'], autocomplete, pointer);
        assert.equal(call.params['inputmode'], inputmode, pointer);
      }
    });

    it('makes a tel input for a phone number, and never for a reference or a time', () => {
      const tel = buildField(
        { type: 'string', pattern: '^\\+?[0-9 ]{7,15}$', title: 'Phone' },
        { pointer: '/phone' },
      );
      for (const [pointer, pattern] of [
        ['/reference', '^SWR-[0-9]{4}-[0-9]{5}$'],
        ['/startTime', '^[0-9]{2}:[0-9]{2}$'],
        ['/caseNumber', '^[0-9]{6}$'],
      ] as const) {
        const other = buildField({ type: 'string', pattern, title: 'Other' }, { pointer });
        assert.equal(other.toComponent(stateOf(undefined)).params['type'], undefined, pointer);
      }
      const call = tel.toComponent(stateOf(undefined));
      assert.equal(call.params['type'], 'tel');
      assert.equal(call.params['autocomplete'], 'tel');
      const postcode = buildField(
        { type: 'string', pattern: '^[A-Z0-9 ]+$', title: 'Postcode' },
        { pointer: '/postcode' },
      );
      assert.equal(postcode.toComponent(stateOf(undefined)).params['type'], undefined);
    });

    it('applies ui width, prefix, suffix and autocomplete', () => {
      const rent = buildField(
        { type: 'string', title: 'Rent' },
        {
          pointer: '/rent',
          ui: { '/rent': { width: 5, prefix: '£', suffix: 'per week', autocomplete: 'off' } },
        },
      );
      const call = rent.toComponent(stateOf(undefined));
      assertMacroOptions(call);
      assert.equal(call.params['classes'], 'govuk-input--width-5');
      assert.deepEqual(call.params['prefix'], { text: '£' });
      assert.deepEqual(call.params['suffix'], { text: 'per week' });
      assert.equal(call.params['autocomplete'], 'off');
    });
  });

  describe('toSummary', () => {
    it('escapes the answer', () => {
      assert.deepEqual(field.toSummary('<script>alert("x")</script>'), [
        {
          pointer: '/child/firstName',
          key: "Child's first name",
          valueHtml: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
        },
      ]);
    });

    it('says "Not provided" for a blank answer', () => {
      assert.equal(field.toSummary(undefined)[0]?.valueHtml, 'Not provided');
    });
  });
});

describe('TextareaField', () => {
  it('is chosen for a long maxLength and shows a character count', () => {
    const field = buildField(
      { type: 'string', maxLength: 500, title: 'Background' },
      { pointer: '/background' },
    );
    assert.ok(field instanceof TextareaField);
    const call = field.toComponent(stateOf('Some text'));
    assertMacroOptions(call);
    assert.deepEqual(call, {
      component: 'character-count',
      params: {
        id: 'background',
        name: 'background',
        rows: '5',
        value: 'Some text',
        label: { text: 'Background (optional)', classes: 'govuk-label--s' },
        maxlength: '500',
      },
    });
  });

  it('is chosen by ui.widget and renders a plain textarea without maxLength', () => {
    const field = buildField(
      { type: 'string', title: 'Notes' },
      { pointer: '/notes', ui: { '/notes': { widget: 'textarea', rows: 8 } } },
    );
    assert.ok(field instanceof TextareaField);
    const call = field.toComponent(stateOf(undefined));
    assertMacroOptions(call);
    assert.equal(call.component, 'textarea');
    assert.equal(call.params['rows'], '8');
  });

  it('is overridden by ui.widget input', () => {
    const field = buildField(
      { type: 'string', maxLength: 500, title: 'Name' },
      { pointer: '/name', ui: { '/name': { widget: 'input' } } },
    );
    assert.ok(field instanceof TextField);
  });

  it('normalises line endings and trims the ends only', () => {
    const field = buildField(
      { type: 'string', maxLength: 300, title: 'Notes' },
      { pointer: '/notes' },
    );
    assert.equal(
      field.parse(parseFormBody('notes=' + encodeURIComponent('  one\r\ntwo\r\n  '))).value,
      'one\ntwo',
    );
    assert.equal(field.parse(parseFormBody('notes=%0D%0A')).value, undefined);
  });

  it('summarises lines with <br> and escapes them', () => {
    const field = buildField(
      { type: 'string', maxLength: 300, title: 'Notes' },
      { pointer: '/notes' },
    );
    assert.equal(field.toSummary('a <b>\nc')[0]?.valueHtml, 'a &lt;b&gt;<br>c');
  });
});
