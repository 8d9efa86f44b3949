import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import { DocumentField } from '../../../src/forms/fields/document-field.js';
import { assertMacroOptions } from './assert-macro-options.js';
import { buildField, recordingStateOf, stateOf } from './build-field.js';

describe('DocumentField', () => {
  const single = buildField(
    { type: 'string', format: 'document', title: 'Care plan' },
    { pointer: '/carePlan' },
  );
  const many = buildField(
    { type: 'array', title: 'Reports', items: { type: 'string', format: 'document' } },
    { pointer: '/reports' },
  );

  it('is chosen for a document string and an array of them', () => {
    assert.ok(single instanceof DocumentField);
    assert.ok(many instanceof DocumentField);
  });

  describe('parse', () => {
    it('reads a newly stored id, or else the kept one', () => {
      assert.deepEqual(single.parse(parseFormBody('carePlan=doc-2&carePlan._keep=doc-1')), {
        value: 'doc-2',
      });
      assert.deepEqual(single.parse(parseFormBody('carePlan._keep=doc-1')), { value: 'doc-1' });
      assert.deepEqual(single.parse(parseFormBody('')), { value: undefined });
    });

    it('keeps the kept ids, drops the removed ones and adds new ones', () => {
      const body = parseFormBody(
        'reports._keep=a1&reports._keep=b2&reports._remove=a1&reports=c3&reports=b2',
      );
      assert.deepEqual(many.parse(body), { value: ['b2', 'c3'] });
      assert.deepEqual(many.parse(parseFormBody('reports._keep=a1&reports._remove=a1')), {
        value: undefined,
      });
    });

    it('ignores ids that do not look like document ids', () => {
      const body = parseFormBody(
        'reports=' +
          ['../etc/passwd', '<script>', '', 'x'.repeat(500), '__proto__', 'ok-1']
            .map(encodeURIComponent)
            .join('&reports='),
      );
      assert.deepEqual(many.parse(body), {
        value: ['ok-1'],
      });
    });
  });

  describe('toComponent', () => {
    it('gives GOV.UK file-upload params', () => {
      const call = many.toComponent(stateOf(undefined));
      assertMacroOptions(call);
      assert.deepEqual(call, {
        component: 'file-upload',
        params: {
          id: 'reports',
          name: 'reports',
          label: { text: 'Reports (optional)', classes: 'govuk-label--s' },
          multiple: true,
        },
      });
    });

    it('lists uploaded files by name with keep inputs and a Remove checkbox each', () => {
      const { state, calls } = recordingStateOf(['a1', 'b2'], {
        raw: [
          { id: 'a1', filename: '<script>x</script>.pdf' },
          { id: 'b2', filename: 'report.docx' },
        ],
        errors: [{ path: '/reports/1', href: '#reports', text: 'The selected file must be a PDF' }],
      });
      const call = many.toComponent(state);
      assertMacroOptions(call);
      assert.deepEqual(call.params['errorMessage'], { text: 'The selected file must be a PDF' });
      const html = (call.params['formGroup'] as { beforeInput: { html: string } }).beforeInput.html;
      assert.match(html, /<input type="hidden" name="reports._keep" value="a1">/);
      assert.match(html, /<input type="hidden" name="reports._keep" value="b2">/);
      const remove = calls.find((entry) => entry.component === 'checkboxes');
      assert.equal(remove?.params['name'], 'reports._remove');
      assert.deepEqual(remove.params['items'], [
        {
          value: 'a1',
          html: 'Remove <span class="govuk-!-font-weight-bold">&lt;script&gt;x&lt;/script&gt;.pdf</span>',
        },
        { value: 'b2', html: 'Remove <span class="govuk-!-font-weight-bold">report.docx</span>' },
      ]);
    });
  });

  describe('toSummary', () => {
    it('counts the uploaded files', () => {
      assert.equal(single.toSummary('a1')[0]?.valueHtml, '1 file uploaded');
      assert.equal(many.toSummary(['a1', 'b2'])[0]?.valueHtml, '2 files uploaded');
      assert.equal(many.toSummary(undefined)[0]?.valueHtml, 'Not provided');
    });
  });
});
