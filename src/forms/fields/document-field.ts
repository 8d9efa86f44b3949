import type { FormBody } from '../form-body.js';
import type { ComponentCall, FieldOptions, FieldState, ParsedField, SummaryRow } from '../field.js';
import { BaseField, compact } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { isSchemaNode, schemaType } from './schema-type.js';

/** What a stored document id may look like; anything else posted is ignored. */
const documentIdPattern = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,199}$/;

/** An uploaded file as the page handler describes it in `state.raw`. */
export interface UploadedDocument {
  id: string;
  filename: string;
}

function isDocumentSchema(schema: unknown): boolean {
  return isSchemaNode(schema) && schema['format'] === 'document';
}

function isUploadedDocument(value: unknown): value is UploadedDocument {
  return (
    isSchemaNode(value) && typeof value['id'] === 'string' && typeof value['filename'] === 'string'
  );
}

/**
 * A file upload (`format: document`, or an array of them): GOV.UK file upload. The HTTP layer
 * stores posted files first and puts their document ids in the body under the field's name;
 * already uploaded ids come back in `<name>._keep` unless ticked in `<name>._remove`.
 */
export class DocumentField extends BaseField {
  readonly kind = 'document';
  readonly multiple: boolean;

  static matches(options: FieldOptions): boolean {
    const { schema } = options;
    if (schemaType(schema) === 'array') {
      const items = schema['items'];
      return isSchemaNode(items) && isDocumentSchema(options.resolve(items));
    }
    return isDocumentSchema(schema);
  }

  constructor(options: FieldOptions) {
    super(options);
    this.multiple = schemaType(options.schema) === 'array';
  }

  private postedIds(body: FormBody, name: string): string[] {
    return this.postedValues(body, name)
      .map((id) => id.trim())
      .filter((id) => documentIdPattern.test(id));
  }

  parse(body: FormBody): ParsedField {
    const removed = new Set(this.postedIds(body, `${this.name}._remove`));
    const kept = this.postedIds(body, `${this.name}._keep`).filter((id) => !removed.has(id));
    const uploaded = this.postedIds(body, this.name);
    if (!this.multiple) return { value: uploaded[0] ?? kept[0] };
    const ids = [...new Set([...kept, ...uploaded])];
    return { value: ids.length > 0 ? ids : undefined };
  }

  /** The ids of the answer, whether one document or several. */
  toIds(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.filter((id): id is string => typeof id === 'string');
    return [];
  }

  toComponent(state: FieldState): ComponentCall {
    const names = Array.isArray(state.raw) ? state.raw.filter(isUploadedDocument) : [];
    const ids = this.toIds(state.value);
    let uploadedHtml: string | undefined;
    if (ids.length > 0) {
      const keep = ids
        .map(
          (id) =>
            `<input type="hidden" name="${escapeHtml(this.name)}._keep" value="${escapeHtml(id)}">`,
        )
        .join('\n');
      const remove = state.render({
        component: 'checkboxes',
        params: {
          idPrefix: `${this.id}-remove`,
          name: `${this.name}._remove`,
          classes: 'govuk-checkboxes--small',
          fieldset: {
            legend: { text: 'Uploaded files', classes: 'govuk-fieldset__legend--s' },
          },
          items: ids.map((id) => {
            const filename = names.find((document) => document.id === id)?.filename;
            return {
              value: id,
              html: `Remove <span class="govuk-!-font-weight-bold">${escapeHtml(filename ?? 'uploaded file')}</span>`,
            };
          }),
        },
      });
      uploadedHtml = `${keep}\n${remove}`;
    }
    return {
      component: 'file-upload',
      params: compact({
        id: this.id,
        name: this.name,
        label: this.labelParams(),
        hint: this.hintParams(),
        errorMessage: this.errorMessage(state, true),
        multiple: this.multiple ? true : undefined,
        formGroup: uploadedHtml === undefined ? undefined : { beforeInput: { html: uploadedHtml } },
      }),
    };
  }

  toSummary(value: unknown): SummaryRow[] {
    const count = this.toIds(value).length;
    if (count === 0) return this.summaryRow(undefined);
    return this.summaryRow(count === 1 ? '1 file uploaded' : `${count} files uploaded`);
  }
}
