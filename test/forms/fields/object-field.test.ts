import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { ObjectField } from '../../../src/forms/fields/object-field.js';
import { buildField, stateOf } from './build-field.js';

describe('ObjectField', () => {
  const schema = {
    type: 'object',
    title: 'Social worker',
    properties: {
      name: { type: 'string', title: 'Full name' },
      phoneNumber: { type: 'string' },
      hasDeputy: { type: 'boolean', title: 'Has a deputy?' },
    },
    required: ['name'],
    if: { properties: { hasDeputy: { const: true } }, required: ['hasDeputy'] },
    then: {
      properties: { deputyName: { type: 'string', title: 'Deputy name' } },
      required: ['deputyName'],
    },
  };
  const field = buildField(schema, { pointer: '/worker', hint: 'Who holds the case' });

  it('has a child per property, including conditional ones', () => {
    assert.ok(field instanceof ObjectField);
    assert.deepEqual(
      field.children.map((child) => [child.pointer, child.kind, child.label]),
      [
        ['/worker/name', 'text', 'Full name'],
        ['/worker/phoneNumber', 'text', 'Phone number'],
        ['/worker/hasDeputy', 'boolean', 'Has a deputy?'],
        ['/worker/deputyName', 'text', 'Deputy name'],
      ],
    );
  });

  describe('parse', () => {
    it('reads each child into one object', () => {
      assert.deepEqual(
        field.parse(
          parseFormBody('worker.name=Sam+Jones&worker.hasDeputy=false&worker.phoneNumber='),
        ),
        { value: { name: 'Sam Jones', hasDeputy: false } },
      );
    });

    it('is blank when every child is blank', () => {
      assert.deepEqual(field.parse(parseFormBody('worker.name=&x=1')), { value: undefined });
    });

    it('passes on a child that could not be read, with its raw text', () => {
      const nested = buildField(
        { type: 'object', properties: { age: { type: 'integer', title: 'Age' } } },
        { pointer: '/person' },
      );
      assert.deepEqual(nested.parse(parseFormBody('person.age=ten')), {
        value: {},
        raw: { age: 'ten' },
        error: { path: '/person/age', href: '#person-age', text: 'Age must be a whole number' },
      });
    });

    it('keeps a __proto__ property as plain data', () => {
      const odd = buildField(
        JSON.parse(
          '{"type":"object","properties":{"__proto__":{"type":"string","title":"Proto"}}}',
        ) as Record<string, unknown>,
        { pointer: '/odd' },
      );
      const parsed = odd.parse(parseFormBody('odd.__proto__=polluted'));
      const value = parsed.value as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(value), Object.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 'polluted');
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.equal(odd.toSummary(value)[0]?.valueHtml, 'polluted');
      assert.equal(odd.toSummary({})[0]?.valueHtml, 'Not provided');
    });
  });

  describe('toComponent', () => {
    it('renders a fieldset (legend m) whose html is the shown children', () => {
      const call = field.toComponent(
        stateOf(
          { name: 'Sam', deputyName: 'Hidden' },
          {
            errors: [{ path: '/worker/name', href: '#worker-name', text: 'Enter full name' }],
            isShown: (pointer) => pointer !== '/worker/deputyName',
          },
        ),
      );
      assert.equal(call.component, 'fieldset');
      assert.deepEqual(call.params['legend'], {
        text: 'Social worker (optional)',
        classes: 'govuk-fieldset__legend--m',
      });
      assert.equal(call.params['describedBy'], 'worker-hint');
      const html = call.params['html'] as string;
      assert.match(html, /<div id="worker-hint" class="govuk-hint">Who holds the case<\/div>/);
      assert.match(html, /"name":"worker.name","value":"Sam"/);
      assert.match(html, /"errorMessage":\{"text":"Enter full name"\}/);
      assert.match(html, /worker.hasDeputy/);
      assert.doesNotMatch(html, /deputyName/);
      assert.doesNotMatch(html, /govuk-error-message/);
    });

    it('shows an error about the object itself above its children', () => {
      const call = field.toComponent(
        stateOf(undefined, {
          errors: [{ path: '/worker', href: '#worker', text: 'Enter <the> worker' }],
        }),
      );
      const html = call.params['html'] as string;
      assert.match(html, /class="govuk-error-message">.*Enter &lt;the&gt; worker<\/p>/);
      assert.equal(call.params['describedBy'], 'worker-hint worker-error');
    });
  });

  describe('toSummary', () => {
    it('flattens the shown children rows', () => {
      const rows = field.toSummary(
        { name: '<script>x</script>', hasDeputy: true, deputyName: 'Pat' },
        (pointer) => pointer !== '/worker/phoneNumber',
      );
      assert.deepEqual(rows, [
        { pointer: '/worker/name', key: 'Full name', valueHtml: '&lt;script&gt;x&lt;/script&gt;' },
        { pointer: '/worker/hasDeputy', key: 'Has a deputy?', valueHtml: 'Yes' },
        { pointer: '/worker/deputyName', key: 'Deputy name', valueHtml: 'Pat' },
      ]);
    });
  });
});
