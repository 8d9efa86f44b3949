import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { RepeatingGroupField } from '../../../src/forms/fields/repeating-group-field.js';
import { buildField, recordingStateOf } from './build-field.js';

describe('RepeatingGroupField', () => {
  const schema = {
    type: 'array',
    title: 'Professional contacts',
    minItems: 1,
    items: {
      type: 'object',
      title: 'Contact',
      properties: {
        name: { type: 'string', title: 'Name' },
        role: { type: 'string', title: 'Role', enum: ['Teacher', 'GP'] },
        visits: { type: 'integer', title: 'Visits' },
      },
      required: ['name'],
    },
  };
  const groupOf = (node: Record<string, unknown>, pointer: string): RepeatingGroupField => {
    const built = buildField(node, { pointer });
    assert.ok(built instanceof RepeatingGroupField);
    return built;
  };
  const field = groupOf(schema, '/contacts');

  it('is chosen for an array of objects and exposes the item template at index 0', () => {
    assert.ok(field instanceof RepeatingGroupField);
    assert.deepEqual(
      field.children.map((child) => child.pointer),
      ['/contacts/0/name', '/contacts/0/role', '/contacts/0/visits'],
    );
    assert.equal(field.addAction, 'add:/contacts');
  });

  describe('parse', () => {
    it('reads items by index, renumbering over gaps', () => {
      const body = parseFormBody(
        'contacts.0.name=Ann&contacts.0.role=GP&contacts.3.name=Bob&contacts.7.name=Cat&contacts.7.visits=1%2C200',
      );
      assert.deepEqual(field.parse(body), {
        value: [{ name: 'Ann', role: 'GP' }, { name: 'Bob' }, { name: 'Cat', visits: 1200 }],
      });
    });

    it('drops removed items and wholly blank ones', () => {
      const body = parseFormBody(
        'contacts.0.name=Ann&contacts.0._remove=true&contacts.1.name=&contacts.1.role=&contacts.2.name=Bob',
      );
      assert.deepEqual(field.parse(body), { value: [{ name: 'Bob' }] });
    });

    it('is blank when nothing is left', () => {
      assert.deepEqual(field.parse(parseFormBody('contacts.0.name=')), { value: undefined });
      assert.deepEqual(field.parse(parseFormBody('')), { value: undefined });
    });

    it('points errors and raw text at the renumbered item', () => {
      const parsed = field.parse(parseFormBody('contacts.5.name=Ann&contacts.9.visits=lots'));
      assert.deepEqual(parsed.value, [{ name: 'Ann' }, {}]);
      assert.deepEqual(parsed.raw, [undefined, { visits: 'lots' }]);
      assert.deepEqual(parsed.error, {
        path: '/contacts/1/visits',
        href: '#contacts-1-visits',
        text: 'Visits must be a whole number',
      });
    });

    it('ignores hostile names and caps absurd indices', () => {
      const body = parseFormBody(
        'contacts.__proto__.name=x&contacts.constructor=y&contacts.99999999999.name=z&contacts.1.name=Ann',
      );
      assert.deepEqual(field.parse(body), { value: [{ name: 'Ann' }] });
      assert.equal(({} as Record<string, unknown>)['name'], undefined);
    });
  });

  describe('items', () => {
    it('shows at least one item (or minItems) and adds one after those shown', () => {
      assert.equal(field.itemCount(undefined), 1);
      assert.equal(field.itemCount([{ name: 'a' }, { name: 'b' }]), 2);
      assert.deepEqual(field.addItem(undefined), [{}, {}]);
      assert.deepEqual(field.addItem([{ name: 'a' }]), [{ name: 'a' }, {}]);
      const three = groupOf({ ...schema, minItems: 3 }, '/c');
      assert.equal(three.itemCount([]), 3);
    });
  });

  describe('toComponent', () => {
    it('renders a fieldset per item with a Remove checkbox and an Add another button', () => {
      const { state, calls } = recordingStateOf([{ name: 'Ann' }, { name: 'Bob' }], {
        errors: [{ path: '/contacts/1/name', href: '#contacts-1-name', text: 'Enter name' }],
      });
      const call = field.toComponent(state);
      assert.equal(call.component, 'fieldset');
      assert.deepEqual(call.params['legend'], {
        text: 'Professional contacts (optional)',
        classes: 'govuk-fieldset__legend--m',
      });
      const html = call.params['html'] as string;
      assert.doesNotMatch(html, /govuk-error-message/);
      const find = (component: string, name: string) =>
        calls.find((entry) => entry.component === component && entry.params['name'] === name);
      assert.equal(find('input', 'contacts.0.name')?.params['value'], 'Ann');
      assert.deepEqual(find('input', 'contacts.1.name')?.params['errorMessage'], {
        text: 'Enter name',
      });
      assert.equal(find('input', 'contacts.0.name')?.params['errorMessage'], undefined);
      const remove = find('checkboxes', 'contacts.1._remove');
      assert.deepEqual(remove?.params['items'], [
        { value: 'true', html: 'Remove<span class="govuk-visually-hidden"> contact 2</span>' },
      ]);
      const legends = calls
        .filter((entry) => entry.component === 'fieldset')
        .map((entry) => entry.params['legend']);
      assert.deepEqual(legends, [
        { text: 'Contact 1', classes: 'govuk-fieldset__legend--s' },
        { text: 'Contact 2', classes: 'govuk-fieldset__legend--s' },
      ]);
      const button = calls.find((entry) => entry.component === 'button');
      assert.deepEqual(button?.params, {
        text: 'Add another contact',
        name: '_action',
        value: 'add:/contacts',
        classes: 'govuk-button--secondary',
      });
      const buttonIndex = calls.indexOf(button);
      assert.ok(html.endsWith(`[button ${buttonIndex}]`));
    });

    it('re-displays raw text in the right item and shows group-level errors', () => {
      const { state, calls } = recordingStateOf([{ name: 'Ann' }, {}], {
        raw: [undefined, { visits: 'lots' }],
        errors: [{ path: '/contacts', href: '#contacts', text: 'Add at least 1 contact' }],
      });
      const call = field.toComponent(state);
      const visits = calls.find((entry) => entry.params['name'] === 'contacts.1.visits');
      assert.equal(visits?.params['value'], 'lots');
      assert.match(call.params['html'] as string, /govuk-error-message">.*Add at least 1 contact/);
    });

    it('renders one blank item when there are none', () => {
      const { state, calls } = recordingStateOf(undefined);
      field.toComponent(state);
      assert.ok(calls.some((entry) => entry.params['name'] === 'contacts.0.name'));
      assert.ok(!calls.some((entry) => entry.params['name'] === 'contacts.1.name'));
    });
  });

  describe('toSummary', () => {
    it('keys rows by item ("Contact 1: Name") and escapes values', () => {
      const rows = field.toSummary([{ name: 'Ann', role: 'GP' }, { name: '<b>Bob</b>' }]);
      assert.deepEqual(
        rows.map((row) => [row.pointer, row.key, row.valueHtml]),
        [
          ['/contacts/0/name', 'Contact 1: Name', 'Ann'],
          ['/contacts/0/role', 'Contact 1: Role', 'GP'],
          ['/contacts/0/visits', 'Contact 1: Visits', 'Not provided'],
          ['/contacts/1/name', 'Contact 2: Name', '&lt;b&gt;Bob&lt;/b&gt;'],
          ['/contacts/1/role', 'Contact 2: Role', 'Not provided'],
          ['/contacts/1/visits', 'Contact 2: Visits', 'Not provided'],
        ],
      );
      assert.deepEqual(field.toSummary(undefined), [
        { pointer: '/contacts', key: 'Professional contacts', valueHtml: 'Not provided' },
      ]);
    });
  });
});
