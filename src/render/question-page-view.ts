import type { ComponentCall, Field, FieldState } from '../forms/field.js';
import type { FieldError } from '../forms/field-error.js';
import type { RenderComponent } from './view-renderer.js';

/** A choice on the page that reveals other questions (GOV.UK conditional reveal). */
export interface Reveal {
  controllerPointer: string;
  values: readonly unknown[];
  dependents: readonly string[];
}

/** What the question page needs to lay out its fields. */
export interface QuestionFieldsOptions {
  fields: readonly Field[];
  answers: unknown;
  raw: Readonly<Record<string, unknown>>;
  errors: readonly FieldError[];
  reveals: readonly Reveal[];
  isShown: (pointer: string) => boolean;
  component: RenderComponent;
}

/**
 * Renders a page's questions to HTML. A page's own top-level objects are not wrapped in a
 * fieldset (the page heading already names them); a question revealed by a choice is rendered
 * inside that choice, so without JavaScript it still shows, right under what it depends on.
 */
export function renderQuestionFields(options: QuestionFieldsOptions): string {
  const render = (call: ComponentCall) => options.component(call.component, call.params);
  // A question revealed by several choices can't sit inside each of them (its id must be
  // unique), so it is asked after the choice instead and discarded if it ends up hidden.
  const choicesRevealing = new Map<string, number>();
  for (const reveal of options.reveals) {
    for (const dependent of reveal.dependents) {
      choicesRevealing.set(
        dependent,
        (choicesRevealing.get(dependent) ?? 0) + reveal.values.length,
      );
    }
  }
  const reveals = options.reveals
    .map((reveal) => ({
      ...reveal,
      dependents: reveal.dependents.filter((dependent) => choicesRevealing.get(dependent) === 1),
    }))
    .filter((reveal) => reveal.dependents.length > 0);
  const revealedBy = new Set(reveals.flatMap((reveal) => reveal.dependents));

  const onThisPage = new Set(options.reveals.flatMap((reveal) => reveal.dependents));
  // Shown by the answers so far, or depending on a choice on this very page.
  const isAsked = (pointer: string) => options.isShown(pointer) || onThisPage.has(pointer);

  const renderField = (field: Field): string => {
    const conditionalHtml = new Map<string, string>();
    for (const reveal of reveals) {
      if (reveal.controllerPointer !== field.pointer) continue;
      const html = reveal.dependents
        .map((pointer) => findField(field, pointer, options.fields))
        .filter((dependent): dependent is Field => dependent !== undefined)
        .map((dependent) => renderField(dependent))
        .join('\n');
      for (const value of reveal.values) {
        const key = typeof value === 'string' ? value : JSON.stringify(value);
        conditionalHtml.set(key, (conditionalHtml.get(key) ?? '') + html);
      }
    }
    const state: FieldState = {
      value: valueAt(options.answers, field.pointer),
      raw: options.raw[field.pointer],
      errors: options.errors.filter(
        (error) => error.path === field.pointer || error.path.startsWith(field.pointer + '/'),
      ),
      render,
      isShown: (pointer) => isAsked(pointer),
      ...(conditionalHtml.size > 0 ? { conditionalHtml } : {}),
    };
    return render(field.toComponent(state));
  };

  const renderLevel = (fields: readonly Field[]): string =>
    fields
      .filter((field) => !revealedBy.has(field.pointer))
      .filter((field) => isAsked(field.pointer))
      .map((field) =>
        field.kind === 'object' && field.children && isPageLevel(field, options.fields)
          ? renderLevel(field.children)
          : renderField(field),
      )
      .join('\n');

  return renderLevel(options.fields);
}

function isPageLevel(field: Field, pageFields: readonly Field[]): boolean {
  return pageFields.includes(field) && field.pointer.split('/').length === 2;
}

function findField(_from: Field, pointer: string, roots: readonly Field[]): Field | undefined {
  const stack = [...roots];
  while (stack.length > 0) {
    const field = stack.pop() as Field;
    if (field.pointer === pointer) return field;
    if (field.children) stack.push(...field.children);
  }
  return undefined;
}

/** The value at a JSON pointer in `data`, or undefined. */
export function valueAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const segment of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, segment)
      ? (current as Record<string, unknown>)[segment]
      : undefined;
  }
  return current;
}
