import assert from 'node:assert/strict';
import { parseFormBody } from '../../../src/forms/form-body.js';
import {
  DocumentField,
  toDocumentRules,
  toFileProblem,
} from '../../../src/forms/fields/document-field.js';
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
    it('gives GOV.UK file-upload params, with the allowed types in the hint and accept', () => {
      const call = many.toComponent(stateOf(undefined));
      assertMacroOptions(call);
      assert.deepEqual(call, {
        component: 'file-upload',
        params: {
          id: 'reports',
          name: 'reports',
          label: { text: 'Reports (optional)', classes: 'govuk-label--s' },
          hint: { html: 'PDF, Word document, PNG image or JPEG image, up to 10 MB each' },
          multiple: true,
          attributes: {
            accept:
              '.pdf,.docx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/png,image/jpeg',
          },
        },
      });
    });

    it("follows the schema's accept and maxFileSize, after its own hint", () => {
      const carePlan = buildField(
        {
          type: 'string',
          format: 'document',
          title: 'Care plan',
          accept: [
            'application/pdf',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          ],
          maxFileSize: 5 * 1024 * 1024,
        },
        { pointer: '/carePlan', hint: 'The current plan <signed>' },
      );
      const params = carePlan.toComponent(stateOf(undefined)).params;
      assert.deepEqual(params['hint'], {
        html: 'The current plan &lt;signed&gt;<br>PDF or Word document, up to 5 MB',
      });
      assert.deepEqual(params['attributes'], {
        accept:
          '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
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

  describe('toFileProblem', () => {
    const pdfOrWord = toDocumentRules(
      {
        type: 'string',
        format: 'document',
        accept: [
          'application/pdf',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ],
        maxFileSize: 1000,
      },
      (node) => node,
    );
    const file = {
      filename: 'plan.pdf',
      sizeBytes: 10,
      tooLarge: false,
      mediaType: 'application/pdf',
    };
    const cases: [
      string,
      Partial<typeof file> & { mediaType?: string | undefined },
      string | undefined,
    ][] = [
      ['a PDF named .pdf', {}, undefined],
      ['a file over the limit', { tooLarge: true }, 'The selected file must be smaller than 1 KB'],
      ['an empty file', { sizeBytes: 0 }, 'The selected file is empty'],
      [
        'a PDF named .docx',
        { filename: 'plan.docx' },
        'The selected file must be a PDF or Word document',
      ],
      [
        'a PDF without an extension',
        { filename: 'plan' },
        'The selected file must be a PDF or Word document',
      ],
      [
        'text named .txt',
        { filename: 'plan.txt', mediaType: 'text/plain' },
        'The selected file must be a PDF or Word document',
      ],
      [
        'bytes of no known type',
        { mediaType: undefined },
        'The selected file must be a PDF or Word document',
      ],
    ];
    for (const [what, change, expected] of cases) {
      it(`judges ${what}: ${String(expected)}`, () => {
        assert.equal(toFileProblem(pdfOrWord, { ...file, ...change }), expected);
      });
    }
  });
});
