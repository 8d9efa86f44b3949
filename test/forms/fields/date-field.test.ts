import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { DateField } from '../../../src/forms/fields/date-field.js';
import { assertMacroOptions } from './assert-macro-options.js';
import { buildField, stateOf } from './build-field.js';

describe('DateField', () => {
  const field = buildField(
    { type: 'string', format: 'date', title: 'Date of birth' },
    { pointer: '/child/dateOfBirth', hint: 'For example, 27 3 2007' },
  );
  const post = (day: string, month: string, year: string) =>
    field.parse(
      parseFormBody(
        new URLSearchParams({
          'child.dateOfBirth-day': day,
          'child.dateOfBirth-month': month,
          'child.dateOfBirth-year': year,
        }).toString(),
      ),
    );

  it('is chosen for format date', () => {
    assert.ok(field instanceof DateField);
  });

  describe('parse', () => {
    it('reads day, month and year as YYYY-MM-DD', () => {
      assert.deepEqual(post('5', '1', '2014'), { value: '2014-01-05' });
      assert.deepEqual(post(' 05 ', '01', ' 2014'), { value: '2014-01-05' });
    });

    for (const month of ['January', 'jan', 'JAN', 'Sept', 'sep', 'september']) {
      it(`accepts the month written as "${month}"`, () => {
        const expected = month.toLowerCase().startsWith('s') ? '2014-09-05' : '2014-01-05';
        assert.deepEqual(post('5', month, '2014'), { value: expected });
      });
    }

    it('treats three blank boxes as not given', () => {
      assert.deepEqual(post('', ' ', ''), { value: undefined });
    });

    it('says which part is missing and links to it', () => {
      assert.deepEqual(post('5', '', '2014'), {
        value: undefined,
        raw: { day: '5', month: '', year: '2014' },
        error: {
          path: '/child/dateOfBirth',
          href: '#child-dateOfBirth-month',
          text: 'Date of birth must include a month',
        },
      });
      assert.equal(post('', '', '2014').error?.text, 'Date of birth must include a day and month');
      assert.equal(post('', '', '2014').error!.href, '#child-dateOfBirth-day');
      assert.equal(post('5', '', '').error?.text, 'Date of birth must include a month and year');
    });

    it('rejects an impossible date, linking to the day', () => {
      const parsed = post('31', '2', '2014');
      assert.equal(parsed.value, undefined);
      assert.equal(parsed.error?.text, 'Date of birth must be a real date');
      assert.equal(parsed.error.href, '#child-dateOfBirth-day');
      assert.deepEqual(post('29', '2', '2024').value, '2024-02-29');
    });

    it('links to the first wrong part', () => {
      assert.equal(post('5', '13', '2014').error?.href, '#child-dateOfBirth-month');
      assert.equal(post('5', '1', '14').error?.href, '#child-dateOfBirth-year');
      assert.equal(post('x', '1', '14').error?.href, '#child-dateOfBirth-day');
      assert.equal(post('5', 'ja', '2014').error?.text, 'Date of birth must be a real date');
    });

    it('keeps hostile input as data and answers quickly', () => {
      const script = '<script>alert(1)</script>';
      const parsed = post(script, '1'.repeat(100_000), '2014');
      assert.equal(parsed.error?.text, 'Date of birth must be a real date');
      assert.deepEqual((parsed.raw as { day: string }).day, script);
    });

    it('uses the first value when a box is posted twice', () => {
      const parsed = field.parse(
        parseFormBody(
          'child.dateOfBirth-day=5&child.dateOfBirth-day=6&child.dateOfBirth-month=1&child.dateOfBirth-year=2014',
        ),
      );
      assert.equal(parsed.value, '2014-01-05');
    });
  });

  describe('toComponent', () => {
    it('gives GOV.UK date-input params with the value split into boxes', () => {
      const call = field.toComponent(stateOf('2014-01-05'));
      assertMacroOptions(call);
      assert.deepEqual(call, {
        component: 'date-input',
        params: {
          id: 'child-dateOfBirth',
          fieldset: {
            legend: { text: 'Date of birth (optional)', classes: 'govuk-fieldset__legend--s' },
          },
          hint: { text: 'For example, 27 3 2007' },
          items: [
            {
              id: 'child-dateOfBirth-day',
              name: 'child.dateOfBirth-day',
              label: 'Day',
              value: '5',
              classes: 'govuk-input--width-2',
            },
            {
              id: 'child-dateOfBirth-month',
              name: 'child.dateOfBirth-month',
              label: 'Month',
              value: '1',
              classes: 'govuk-input--width-2',
            },
            {
              id: 'child-dateOfBirth-year',
              name: 'child.dateOfBirth-year',
              label: 'Year',
              value: '2014',
              classes: 'govuk-input--width-4',
            },
          ],
        },
      });
    });

    it('re-displays what was typed and marks only the wrong parts', () => {
      const parsed = post('5', '', '2014');
      const call = field.toComponent(
        stateOf(undefined, { raw: parsed.raw, errors: [parsed.error!] }),
      );
      const items = call.params['items'] as { value: string; classes: string }[];
      assert.deepEqual(
        items.map((item) => item.value),
        ['5', '', '2014'],
      );
      assert.deepEqual(
        items.map((item) => item.classes.includes('govuk-input--error')),
        [false, true, false],
      );
      assert.deepEqual(call.params['errorMessage'], { text: 'Date of birth must include a month' });
    });

    it('marks all three boxes for an error about the whole date', () => {
      const call = field.toComponent(
        stateOf('2090-01-01', {
          errors: [
            {
              path: '/child/dateOfBirth',
              href: '#child-dateOfBirth-day',
              text: 'Date of birth must be in the past',
            },
          ],
        }),
      );
      const items = call.params['items'] as { classes: string }[];
      assert.ok(items.every((item) => item.classes.includes('govuk-input--error')));
    });
  });

  describe('toSummary', () => {
    it('writes the date out in words', () => {
      assert.equal(field.toSummary('2014-01-05')[0]?.valueHtml, '5 January 2014');
      assert.equal(field.toSummary(undefined)[0]?.valueHtml, 'Not provided');
      assert.equal(field.toSummary('<b>')[0]?.valueHtml, '&lt;b&gt;');
    });
  });
});
