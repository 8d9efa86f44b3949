import type { ErrorObject, ValidateFunction } from 'ajv';
import { addYears, isIsoDate, toLocalDate } from '../validation/keywords/local-date.js';
import { describeKind, isPairs, type FieldDescription } from '../validation/describe-field.js';
import { toReadableLabel } from './fields/to-readable-label.js';
import { toItemLabel } from './fields/item-label.js';
import { pairValueSchema } from './fields/key-value-field.js';
import { isWriteOnly } from './fields/write-only-field.js';
import { toApiErrors, type ApiError } from '../validation/to-api-errors.js';
import { toFieldErrors } from '../validation/to-field-errors.js';
import type { ValidatorCache } from '../validation/validator-cache.js';
import { AppError } from '../errors/app-error.js';
import { Conditions, type Reveal } from './conditions.js';
import type { FieldError } from './field-error.js';
import { toPointer, toSegments } from './field-names.js';
import type { Field, FieldOptions, SummaryRow, UiOptions } from './field.js';
import type { FormBody } from './form-body.js';
import type { FormDefinition, PageDefinition } from './form-definition.js';
import { valueAt } from './value-at.js';
import { SchemaIndex } from './schema-index.js';
import { toRenderSchema } from './to-render-schema.js';

/** Answers to a form: the JSON document its schema describes. */
export type Answers = Record<string, unknown>;

/** What building a FormModel needs besides its definition. */
export interface FormModelOptions {
  validators: ValidatorCache;
  /** Builds a question's Field (src/forms/fields/create-field.ts). */
  createField: (options: FieldOptions) => Field;
}

/** The result of reading one posted page. */
export interface ParsedPage {
  /** The answers with this page's merged in; hidden answers discarded. */
  answers: Answers;
  /** What was typed, by pointer, for fields that keep it (dates). */
  raw: Record<string, unknown>;
  /** Failures to read an answer at all ("Enter a number"). */
  errors: FieldError[];
}

/** The result of validating a whole submission. */
export interface ValidationResult {
  valid: boolean;
  /** The answers with hidden answers discarded: what is stored. */
  data: Answers;
  errors: FieldError[];
}

/** One section of the check-your-answers page. */
export interface SummarySection {
  pageId: string;
  title: string;
  rows: SummaryRow[];
}

/** A repeating group on a page, for its "Add another" button. */
export interface RepeatingGroup {
  pointer: string;
  itemLabel: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (isRecord(value) && Object.values(value).every(isBlank))
  );
}

/** Merges `value` into `target` at `pointer`, creating objects on the way; blank removes. */
function setAt(target: Answers, pointer: string, value: unknown): void {
  const segments = toSegments(pointer);
  const last = segments.pop();
  if (last === undefined) return;
  let current: Record<string, unknown> = target;
  for (const segment of segments) {
    const next = current[segment];
    if (!isRecord(next) && !Array.isArray(next)) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  if (isBlank(value)) Reflect.deleteProperty(current, last);
  else current[last] = value;
}

function parentLabel(schema: Record<string, unknown>, pointer: string): string {
  if (typeof schema.title === 'string') return schema.title;
  return toReadableLabel(toSegments(pointer).at(-1) ?? '');
}

/** The top-level question a pointer is under (`/child/name` → `/child`). */
function topOf(pointer: string): string {
  const first = toSegments(pointer)[0];
  return first === undefined ? '' : toPointer([first]);
}

function comparePointers(index: SchemaIndex) {
  // sorting a form's errors compares each pointer many times
  const segmentsOf = new Map<string, string[]>();
  const split = (pointer: string): string[] => {
    let segments = segmentsOf.get(pointer);
    if (!segments) {
      if (segmentsOf.size >= 10_000) segmentsOf.clear();
      segments = toSegments(pointer);
      segmentsOf.set(pointer, segments);
    }
    return segments;
  };
  return (a: string, b: string): number => {
    const left = split(a);
    const right = split(b);
    let prefix = '';
    for (let depth = 0; depth < Math.max(left.length, right.length); depth += 1) {
      const l = left[depth];
      const r = right[depth];
      if (l === undefined) return -1;
      if (r === undefined) return 1;
      if (l === r) {
        prefix += toPointer([l]);
        continue;
      }
      if (/^\d+$/.test(l) && /^\d+$/.test(r)) return Number(l) - Number(r);
      const order =
        index.orderOf(index.toPattern(prefix + toPointer([l]))) -
        index.orderOf(index.toPattern(prefix + toPointer([r])));
      return order !== 0 ? order : l < r ? -1 : 1;
    }
    return 0;
  };
}

/**
 * One form definition, ready to run: pages, conditions, fields, validation, summary and
 * retention. Pure: no I/O; the registry builds one per definition file.
 */
export class FormModel {
  readonly definition: FormDefinition;
  readonly version: string;
  readonly pages: readonly PageDefinition[];
  readonly index: SchemaIndex;
  readonly conditions: Conditions;
  private readonly descriptions = new Map<string, FieldDescription>();
  private readonly pageFields = new Map<string, Field[]>();
  private readonly validators: ValidatorCache;
  private readonly createField: (options: FieldOptions) => Field;
  private readonly compare: (a: string, b: string) => number;

  constructor(definition: FormDefinition, options: FormModelOptions) {
    this.definition = definition;
    this.version = definition.version;
    this.pages = definition.pages;
    this.validators = options.validators;
    this.createField = options.createField;
    // questions come from the schema as the engine asks them; validation from the schema itself
    this.index = new SchemaIndex(toRenderSchema(definition.schema));
    // The cache is keyed by version and pointer; this model's version never changes, so the
    // pointer alone finds the validator without building the key for every condition tested.
    const tests = new Map<string, ValidateFunction>();
    this.conditions = new Conditions(this.index, (schema, schemaPointer, data, dataType) => {
      let test = tests.get(schemaPointer);
      if (!test) {
        test = this.validators.subschemaValidator(
          this.version,
          schemaPointer,
          schema,
          this.index.root,
          dataType,
        );
        tests.set(schemaPointer, test);
      }
      return test(data);
    });
    this.compare = comparePointers(this.index);
  }

  /** Whether the question at `pointer` is shown for `answers`. */
  isShown(pointer: string, answers: Answers): boolean {
    return this.conditions.isShown(pointer, answers);
  }

  /** A copy of `answers` without answers to hidden questions. */
  pruneHidden(answers: Answers): Answers {
    return this.conditions.pruneHidden(answers);
  }

  /** The pages to ask, in order: a page whose every question is hidden is skipped. */
  pagesShown(answers: Answers): PageDefinition[] {
    const state = this.conditions.evaluate(answers);
    return this.pages.filter((page) =>
      page.properties.some((name) => state.shown.has(toPointer([name]))),
    );
  }

  /** The page after `pageId` for these answers, or undefined after the last. */
  nextPageId(pageId: string, answers: Answers): string | undefined {
    const position = this.pages.findIndex((page) => page.id === pageId);
    const shown = new Set(this.pagesShown(answers).map((page) => page.id));
    return this.pages.slice(position + 1).find((page) => shown.has(page.id))?.id;
  }

  /** The page before `pageId` for these answers, or undefined before the first. */
  previousPageId(pageId: string, answers: Answers): string | undefined {
    const position = this.pages.findIndex((page) => page.id === pageId);
    if (position < 0) return undefined;
    const shown = new Set(this.pagesShown(answers).map((page) => page.id));
    return this.pages
      .slice(0, position)
      .reverse()
      .find((page) => shown.has(page.id))?.id;
  }

  /** The page, or ERR_FORM_PAGE_NOT_FOUND. */
  page(pageId: string): PageDefinition {
    const page = this.pages.find((candidate) => candidate.id === pageId);
    if (!page) throw new AppError('ERR_FORM_PAGE_NOT_FOUND', `form has no page "${pageId}"`);
    return page;
  }

  /** The `ui` options for a concrete pointer (`*` in a key matches any array index). */
  uiFor(pointer: string): UiOptions {
    const exact = this.definition.ui[pointer];
    if (exact) return exact;
    const segments = toSegments(pointer);
    for (const [key, options] of Object.entries(this.definition.ui)) {
      const pattern = toSegments(key);
      if (
        pattern.length === segments.length &&
        pattern.every(
          (part, at) => part === segments[at] || (part === '*' && /^\d+$/.test(segments[at] ?? '')),
        )
      ) {
        return options;
      }
    }
    return {};
  }

  /** Describes the question at a concrete pointer, for error messages. */
  describe(pointer: string): FieldDescription {
    // A question's description depends on its schema only, so one per pattern is enough.
    const pattern = this.index.toPattern(pointer);
    const known = this.descriptions.get(pattern);
    if (known) return known;
    const segments = toSegments(pointer);
    const name = segments.at(-1) ?? '';
    const parent = segments.length > 1 ? toPointer(segments.slice(0, -1)) : undefined;
    const parentSchema = parent === undefined ? undefined : this.index.schemaFor(parent);
    let schema = this.index.schemaFor(pointer);
    let label: string | undefined;
    if (schema === undefined && parentSchema && isPairs(parentSchema)) {
      // an answer under a key the person chose: its value's schema, labelled by the key
      schema = pairValueSchema(parentSchema, name) ?? {};
      label = `${parentLabel(parentSchema, parent ?? '')}: ${name}`;
    }
    schema ??= {};
    if (
      label === undefined &&
      typeof schema.title !== 'string' &&
      /^\d+$/.test(name) &&
      parentSchema
    ) {
      // an entry of a list or a position of a tuple: "Tags 2"
      label = toItemLabel(parentLabel(parentSchema, parent ?? ''), schema, Number(name));
    }
    label ??= typeof schema.title === 'string' ? schema.title : toReadableLabel(name);
    const description = {
      label,
      kind: describeKind(schema, (node) => this.index.resolve(node)),
      schema,
    };
    this.descriptions.set(pattern, description);
    return description;
  }

  /**
   * The top-level fields of a page, every one of them: a question hidden by a condition is
   * still built, because a choice on the page may reveal it; render with {@link isShown}.
   */
  fieldsFor(pageId: string, answers: Answers): Field[] {
    const page = this.page(pageId);
    const state = this.conditions.evaluate(answers);
    const rootRequired = state.required.get('') ?? new Set<string>();
    // Fields hold no answers: they differ only by which page questions are required.
    const key = `${pageId}|${page.properties.map((name) => (rootRequired.has(name) ? 1 : 0)).join('')}`;
    const built = this.pageFields.get(key);
    if (built) return built;
    const fields = page.properties.map((name) => {
      const pointer = toPointer([name]);
      const schema = this.index.schemaFor(pointer) ?? {};
      return this.build({
        pointer,
        schema,
        required: rootRequired.has(name) || this.isRequiredInBranch(pointer),
        label: typeof schema.title === 'string' ? schema.title : toReadableLabel(name),
        ...(typeof schema.description === 'string' ? { hint: schema.description } : {}),
        ui: {},
        createChild: (child) => this.build(child),
        resolve: (node) => this.index.resolve(node),
      });
    });
    this.pageFields.set(key, fields);
    return fields;
  }

  /** The conditional reveals on a page (patterns with `*` for array indices). */
  reveals(pageId: string): Reveal[] {
    const page = this.page(pageId);
    const tops = new Set(page.properties.map((name) => toPointer([name])));
    return this.conditions.reveals.filter((reveal) =>
      tops.has('/' + (toSegments(reveal.controllerPointer)[0] ?? '')),
    );
  }

  /** Reads a posted page: each field parses its part of the body; hidden answers discarded. */
  parsePage(pageId: string, body: FormBody, answers: Answers): ParsedPage {
    const merged = structuredClone(answers);
    const raw: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const field of this.fieldsFor(pageId, answers)) {
      const parsed = field.parse(body);
      setAt(merged, field.pointer, parsed.value);
      if (parsed.raw !== undefined) raw[field.pointer] = parsed.raw;
      if (parsed.error) errors.push(parsed.error);
    }
    this.keepWriteOnlyAnswers(pageId, answers, merged);
    const pruned = this.pruneHidden(merged);
    const shownErrors = errors.filter((error) => this.isShown(error.path, pruned));
    return {
      answers: pruned,
      raw,
      errors: shownErrors.sort((a, b) => this.compare(a.path, b.path)),
    };
  }

  /**
   * Errors on a page's questions, from validating the whole (pruned) schema. Errors that belong
   * to no page (a rule about the answers as a whole) are shown on the last page shown, linked to
   * its first question, so a person can always see and fix what stops them sending.
   */
  validatePage(pageId: string, answers: Answers): FieldError[] {
    const page = this.page(pageId);
    const tops = new Set(page.properties.map((name) => toPointer([name])));
    const errors = this.validate(answers).errors;
    const own = errors.filter((error) => tops.has(topOf(error.path)));
    if (this.pagesShown(answers).at(-1)?.id !== pageId) return own;
    const placed = new Set(
      this.pagesShown(answers).flatMap((shown) =>
        shown.properties.map((name) => toPointer([name])),
      ),
    );
    const first = this.fieldsFor(pageId, answers).find((field) =>
      this.isShown(field.pointer, answers),
    );
    const orphans = errors
      .filter((error) => !placed.has(topOf(error.path)))
      .map((error) => ({ ...error, href: first?.href ?? error.href }));
    return [...own, ...orphans];
  }

  /**
   * `errors` in the order their questions appear on the page (the page's properties in order,
   * then question order within each); errors about no question on the page come last.
   */
  orderErrors(pageId: string, errors: readonly FieldError[]): FieldError[] {
    const tops = this.page(pageId).properties.map((name) => toPointer([name]));
    const position = (error: FieldError) => {
      const at = tops.indexOf(topOf(error.path));
      return at < 0 ? tops.length : at;
    };
    return [...errors].sort((a, b) => position(a) - position(b) || this.compare(a.path, b.path));
  }

  /** The first page shown that has one of `errors` (see {@link validatePage}). */
  pageWithErrors(answers: Answers, errors: readonly FieldError[]): string | undefined {
    const shown = this.pagesShown(answers);
    const tops = new Set(errors.map((error) => topOf(error.path)));
    const page = shown.find((candidate) =>
      candidate.properties.some((name) => tops.has(toPointer([name]))),
    );
    return (page ?? shown.at(-1))?.id;
  }

  /** Validates a whole submission: hidden answers discarded, then the schema. */
  validate(answers: Answers): ValidationResult {
    const data = this.pruneHidden(isRecord(answers) ? answers : {});
    const validator = this.validators.validatorFor(this.version, this.definition.schema);
    // an unanswered group is checked as an empty one, so errors name its questions
    const valid = validator(this.withEmptyGroups(data));
    const errors = valid ? [] : this.toFieldErrors(validator.errors ?? []);
    return { valid: errors.length === 0 && valid, data, errors };
  }

  /** Ajv errors on this form's answers as field errors, in question order. */
  toFieldErrors(errors: readonly ErrorObject[]): FieldError[] {
    return toFieldErrors(errors, { describe: (p) => this.describe(p), compare: this.compare });
  }

  /** Field errors as the JSON API reports them. */
  toApiErrors(errors: readonly FieldError[]): ApiError[] {
    return toApiErrors(errors);
  }

  /** The check-your-answers sections: one per shown page. */
  summary(answers: Answers): SummarySection[] {
    const data = this.pruneHidden(answers);
    const state = this.conditions.evaluate(data);
    const isShown = (pointer: string) => this.conditions.isShown(pointer, data, state);
    return this.pagesShown(data).map((page) => ({
      pageId: page.id,
      title: page.title,
      rows: this.fieldsFor(page.id, data)
        .filter((field) => isShown(field.pointer))
        .flatMap((field) => field.toSummary(valueAt(data, field.pointer), isShown)),
    }));
  }

  /**
   * The summary for a reader other than the person who filled in the form (a home, the
   * coordinator, the pack): each question under its `x-reviewTitle` where the schema gives one.
   */
  reviewSummary(answers: Answers): SummarySection[] {
    return this.summary(answers).map((section) => ({
      ...section,
      rows: section.rows.map((row) => {
        const schema = this.index.get(this.index.toPattern(row.pointer))?.declarations[0]?.schema;
        const reviewTitle = schema?.['x-reviewTitle'];
        return typeof reviewTitle === 'string' ? { ...row, key: reviewTitle } : row;
      }),
    }));
  }

  /** The answers to questions marked `x-summary`, under their review labels, in form order. */
  keySummary(answers: Answers): SummaryRow[] {
    return this.reviewSummary(answers).flatMap((section) =>
      section.rows.filter(
        (row) =>
          this.index.get(this.index.toPattern(row.pointer))?.declarations[0]?.schema[
            'x-summary'
          ] === true,
      ),
    );
  }

  /** The date (`YYYY-MM-DD`) until which a submission is kept, from `retention`. */
  retainUntil(answers: Answers, submittedAt: Date): string {
    const { years, from } = this.definition.retention;
    const start = from === 'submitted' ? undefined : valueAt(answers, from);
    return addYears(isIsoDate(start) ? start : toLocalDate(submittedAt), years);
  }

  /** The complete example submissions in the schema root's `examples`. */
  examples(): Answers[] {
    const examples = this.definition.schema.examples;
    return Array.isArray(examples) ? examples.filter(isRecord) : [];
  }

  /** Concrete pointers of shown upload questions on a page. */
  documentPointers(pageId: string, answers: Answers): string[] {
    return this.questionPointers(pageId, answers).filter(
      (pointer) => this.describe(pointer).kind === 'document',
    );
  }

  /** Shown repeating groups on a page, for "Add another" buttons. */
  repeatingGroups(pageId: string, answers: Answers): RepeatingGroup[] {
    return this.questionPointers(pageId, answers)
      .filter((pointer) => this.describe(pointer).kind === 'group')
      .map((pointer) => {
        const items = this.index.get(this.index.toPattern(pointer) + '/*')?.declarations[0]?.schema;
        const title = items?.title;
        return { pointer, itemLabel: typeof title === 'string' ? title : 'item' };
      });
  }

  /** Shown lists of free answers and key-and-value groups on a page: their rows are added and
   * removed by re-showing the page with what was typed. */
  rowLists(pageId: string, answers: Answers): string[] {
    return this.questionPointers(pageId, answers).filter((pointer) => {
      const kind = this.describe(pointer).kind;
      return kind === 'list' || kind === 'pairs';
    });
  }

  /** A copy of `answers` with an empty item added to the repeating group at `pointer`. */
  addItem(pageId: string, pointer: string, answers: Answers): Answers {
    if (!this.repeatingGroups(pageId, answers).some((group) => group.pointer === pointer)) {
      throw new AppError('ERR_FORM_PAGE_NOT_FOUND', 'no such repeating group on this page');
    }
    const copy = structuredClone(answers);
    const current = valueAt(copy, pointer);
    const items = Array.isArray(current) ? [...(current as unknown[]), {}] : [{}, {}];
    const segments = toSegments(pointer);
    const last = segments.pop() ?? '';
    let target: Record<string, unknown> = copy;
    for (const segment of segments) {
      if (!isRecord(target[segment])) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    target[last] = items;
    return copy;
  }

  /** Concrete pointers of the shown questions under a page, following the answers into arrays. */
  shownQuestionPointers(pageId: string, answers: Answers): string[] {
    return this.questionPointers(pageId, answers);
  }

  private questionPointers(pageId: string, answers: Answers): string[] {
    const page = this.page(pageId);
    const state = this.conditions.evaluate(answers);
    const result: string[] = [];
    // An item of a shown list is shown: conditions decide on the questions inside it.
    const walk = (pointer: string, isItem = false): void => {
      if (!isItem && !this.conditions.isShown(pointer, answers, state)) return;
      result.push(pointer);
      const pattern = this.index.toPattern(pointer);
      const value = valueAt(answers, pointer);
      if (this.index.get(pattern + '/*')) {
        const count = Array.isArray(value) ? Math.max(value.length, 1) : 1;
        for (let at = 0; at < count; at += 1) walk(`${pointer}/${String(at)}`, true);
        return;
      }
      for (const rest of this.index.childSegmentsOf(pattern)) walk(pointer + rest);
    };
    for (const name of page.properties) walk(toPointer([name]));
    return result;
  }

  /**
   * A `writeOnly` answer is never put back in its input, so a blank one on a page sent again
   * keeps the stored answer. Not in a list that lost an item: its answers moved up, and a kept
   * answer could land on another item, so those are asked again.
   */
  private keepWriteOnlyAnswers(pageId: string, before: Answers, merged: Answers): void {
    for (const pointer of this.writeOnlyPointers(pageId, before)) {
      const stored = valueAt(before, pointer);
      if (isBlank(stored) || !isBlank(valueAt(merged, pointer))) continue;
      const segments = toSegments(pointer);
      const shrunk = segments.some((segment, at) => {
        if (!/^\d+$/.test(segment)) return false;
        const list = toPointer(segments.slice(0, at));
        const was = valueAt(before, list);
        const now = valueAt(merged, list);
        return Array.isArray(was) && (!Array.isArray(now) || now.length < was.length);
      });
      if (!shrunk) setAt(merged, pointer, stored);
    }
  }

  /** Concrete pointers of the `writeOnly` questions on a page, into every item `answers` has. */
  private writeOnlyPointers(pageId: string, answers: Answers): string[] {
    const tops = new Set(this.page(pageId).properties);
    const found: string[] = [];
    const expand = (done: readonly string[], rest: readonly string[]): void => {
      const [head, ...tail] = rest;
      if (head === undefined) found.push(toPointer(done));
      else if (head !== '*') expand([...done, head], tail);
      else {
        const list = valueAt(answers, toPointer(done));
        if (!Array.isArray(list)) return;
        for (let at = 0; at < list.length; at += 1) expand([...done, String(at)], tail);
      }
    };
    for (const { pattern } of this.index.declared) {
      const segments = toSegments(pattern);
      if (!tops.has(segments[0] ?? '')) continue;
      const schema = this.index.schemaFor(pattern);
      if (schema && isWriteOnly(schema)) expand([], segments);
    }
    return found;
  }

  // A question revealed by a branch is labelled as its branch asks it: required there, not optional
  private isRequiredInBranch(pattern: string): boolean {
    const declared = this.index.get(pattern);
    if (!declared?.conditional) return false;
    const name = toSegments(pattern).at(-1) ?? '';
    return declared.declarations.some((declaration) => {
      const parent = this.index.at(declaration.schemaPointer.replace(/\/properties\/[^/]+$/, ''));
      const required = isRecord(parent) ? parent.required : undefined;
      return Array.isArray(required) && required.includes(name);
    });
  }

  private withEmptyGroups(data: Answers): Answers {
    const state = this.conditions.evaluate(data);
    const copy = structuredClone(data);
    for (const declared of this.index.declared) {
      if (declared.pattern.includes('/*') || !state.shown.has(declared.pattern)) continue;
      // only a group its parent requires and with a required child: the verdict stays the
      // schema's (invalid either way), the errors name the questions to answer
      if (this.describe(declared.pattern).kind !== 'object') continue;
      if ((state.required.get(declared.pattern)?.size ?? 0) === 0) continue;
      const segments = toSegments(declared.pattern);
      const last = segments.pop() ?? '';
      if (!state.required.get(toPointer(segments))?.has(last)) continue;
      const parent = valueAt(copy, toPointer(segments));
      if (isRecord(parent) && parent[last] === undefined) parent[last] = {};
    }
    return copy;
  }

  private build(options: FieldOptions): Field {
    const ui = { ...this.uiFor(options.pointer), ...options.ui };
    return this.createField({ ...options, ui, createChild: (child) => this.build(child) });
  }
}
