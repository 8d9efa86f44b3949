import type { FormBody } from '../form-body.js';
import type {
  ComponentCall,
  FieldOptions,
  FieldState,
  ParsedField,
  SchemaNode,
  SummaryRow,
} from '../field.js';
import { BaseField, compact } from './base-field.js';
import { escapeHtml } from './escape-html.js';
import { isSchemaNode, schemaType } from './schema-type.js';
import {
  defaultAcceptedTypes,
  describeBytes,
  describeMediaTypes,
  knownMediaTypes,
  mediaTypeOfExtension,
  toAcceptAttribute,
} from './media-types.js';

/** The per-file limit when a schema gives no `maxFileSize`. */
export const defaultMaxFileBytes = 10 * 1024 * 1024;

/** What a stored document id may look like; anything else posted is ignored. */
const documentIdPattern = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,199}$/;

/** An uploaded file as the page handler describes it in `state.raw`. */
export interface UploadedDocument {
  id: string;
  filename: string;
}

/** A received file as the field judges it: its name, size and the type sniffed from its bytes. */
export interface ReceivedFile {
  filename: string;
  sizeBytes: number;
  tooLarge: boolean;
  /** Sniffed from the bytes; undefined when they are none of the known types. */
  mediaType: string | undefined;
}

function isDocumentSchema(schema: unknown): boolean {
  return isSchemaNode(schema) && schema['format'] === 'document';
}

function isUploadedDocument(value: unknown): value is UploadedDocument {
  return (
    isSchemaNode(value) && typeof value['id'] === 'string' && typeof value['filename'] === 'string'
  );
}

/** What a document question takes, from its schema. */
export interface DocumentRules {
  multiple: boolean;
  /** Media types accepted (`accept`, else PDF, Word, PNG and JPEG). */
  accept: readonly string[];
  /** Bytes per file (`maxFileSize`, else 10 MiB). */
  maxFileBytes: number;
}

/** The rules of a document question's schema (`format: document`, or an array of them). */
export function toDocumentRules(
  schema: SchemaNode,
  resolve: (node: SchemaNode) => SchemaNode,
): DocumentRules {
  const multiple = schemaType(schema) === 'array';
  const items = schema['items'];
  const own = multiple && isSchemaNode(items) ? resolve(items) : schema;
  const accept = own['accept'] ?? schema['accept'];
  const known = Array.isArray(accept)
    ? accept.filter((type): type is string => typeof type === 'string' && type in knownMediaTypes)
    : [];
  const size = own['maxFileSize'] ?? schema['maxFileSize'];
  return {
    multiple,
    accept: known.length > 0 ? known : defaultAcceptedTypes,
    maxFileBytes:
      typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : defaultMaxFileBytes,
  };
}

/**
 * Why a received file is refused, in the GOV.UK file upload messages, or undefined when it is
 * accepted: it must be within the size limit, not empty, and its sniffed type must be one the
 * question accepts and the one its filename's extension claims.
 */
export function toFileProblem(rules: DocumentRules, file: ReceivedFile): string | undefined {
  if (file.tooLarge || file.sizeBytes > rules.maxFileBytes) {
    return `The selected file must be smaller than ${describeBytes(rules.maxFileBytes)}`;
  }
  if (file.sizeBytes === 0) return 'The selected file is empty';
  const claimed = mediaTypeOfExtension(file.filename);
  if (
    file.mediaType === undefined ||
    !rules.accept.includes(file.mediaType) ||
    claimed !== file.mediaType
  ) {
    return `The selected file must be a ${describeMediaTypes(rules.accept)}`;
  }
  return undefined;
}

/**
 * A file upload (`format: document`, or an array of them): GOV.UK file upload. The HTTP layer
 * stores posted files first and puts their document ids in the body under the field's name;
 * already uploaded ids come back in `<name>._keep` unless ticked in `<name>._remove`.
 */
export class DocumentField extends BaseField {
  readonly kind = 'document';
  readonly multiple: boolean;
  readonly accept: readonly string[];
  readonly maxFileBytes: number;

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
    const rules = toDocumentRules(options.schema, options.resolve);
    this.multiple = rules.multiple;
    this.accept = rules.accept;
    this.maxFileBytes = rules.maxFileBytes;
  }

  /** What the hint says is allowed: "PDF or Word document, up to 10 MB". */
  get allowedText(): string {
    return `${describeMediaTypes(this.accept)}, up to ${describeBytes(this.maxFileBytes)}${this.multiple ? ' each' : ''}`;
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
        hint: {
          html: [this.hint, this.allowedText]
            .filter((line) => line !== undefined)
            .map(escapeHtml)
            .join('<br>'),
        },
        errorMessage: this.errorMessage(state, true),
        multiple: this.multiple ? true : undefined,
        attributes: { accept: toAcceptAttribute(this.accept) },
        formGroup: uploadedHtml === undefined ? undefined : { beforeInput: { html: uploadedHtml } },
      }),
    };
  }

  /**
   * Without the store's file names only a count can be given; check your answers and the pack
   * name the files through {@link DocumentField.toNamesHtml}.
   */
  toSummary(value: unknown): SummaryRow[] {
    const count = this.toIds(value).length;
    if (count === 0) return this.summaryRow(undefined);
    return this.summaryRow(count === 1 ? '1 file uploaded' : `${String(count)} files uploaded`);
  }

  /** The answer's files by name, one a line, for a summary row (escaped HTML). */
  static toNamesHtml(ids: readonly string[], names: ReadonlyMap<string, string>): string {
    return ids.map((id) => escapeHtml(names.get(id) ?? 'Uploaded file')).join('<br>');
  }
}
