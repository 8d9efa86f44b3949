import type { ChildState, ComponentCall, Field, FieldState } from '../forms/field.js';
import type { FieldError } from '../forms/field-error.js';
import { valueAt } from '../forms/value-at.js';
import type { RenderComponent } from './view-renderer.js';

/** A choice that reveals other questions (GOV.UK conditional reveal), as patterns (`*` = any index). */
export interface Reveal {
  controllerPointer: string;
  values: readonly unknown[];
  dependents: readonly string[];
}

/** What the question page needs to lay out its fields. */
export interface QuestionFieldsOptions {
  fields: readonly Field[];
  answers: unknown;
  /** What was typed but could not be read, keyed by the page field's pointer. */
  raw: Readonly<Record<string, unknown>>;
  errors: readonly FieldError[];
  reveals: readonly Reveal[];
  isShown: (pointer: string) => boolean;
  component: RenderComponent;
}

/**
 * Renders a page's questions to HTML. A page's own top-level objects are not wrapped in a
 * fieldset (the page heading already names them). A question revealed by one choice is rendered
 * inside that choice, at any depth (in a repeating group's items too), so without JavaScript it
 * still shows right under what it depends on; a question revealed by several choices can't sit
 * inside each (its id must be unique), so it follows them and is discarded if it ends up hidden.
 */
export function renderQuestionFields(options: QuestionFieldsOptions): string {
  const render = (call: ComponentCall) => options.component(call.component, call.params);
  const choicesRevealing = new Map<string, number>();
  for (const reveal of options.reveals) {
    for (const dependent of reveal.dependents) {
      choicesRevealing.set(
        dependent,
        (choicesRevealing.get(dependent) ?? 0) + reveal.values.length,
      );
    }
  }
  const nested = options.reveals
    .map((reveal) => ({
      ...reveal,
      dependents: reveal.dependents.filter((dependent) => choicesRevealing.get(dependent) === 1),
    }))
    .filter((reveal) => reveal.dependents.length > 0);
  const controllerOf = new Map<string, string>();
  for (const reveal of nested) {
    for (const dependent of reveal.dependents)
      controllerOf.set(dependent, reveal.controllerPointer);
  }
  // Shown by the answers so far, or depending on a choice on this very page.
  const isAsked = (pointer: string) =>
    options.isShown(pointer) || choicesRevealing.has(toPattern(pointer));

  const renderChild = (child: ChildState, siblings: ReadonlyMap<string, ChildState>): string => {
    const pattern = toPattern(child.field.pointer);
    const conditionalHtml = new Map<string, string>();
    for (const reveal of nested) {
      if (reveal.controllerPointer !== pattern) continue;
      const html = reveal.dependents
        .map((dependent) => siblings.get(dependent))
        .filter((dependent): dependent is ChildState => dependent !== undefined)
        .map((dependent) => renderChild(dependent, siblings))
        .join('\n');
      for (const value of reveal.values) {
        const key = typeof value === 'string' ? value : JSON.stringify(value);
        conditionalHtml.set(key, (conditionalHtml.get(key) ?? '') + html);
      }
    }
    const state = conditionalHtml.size > 0 ? { ...child.state, conditionalHtml } : child.state;
    return render(child.field.toComponent(state));
  };

  const renderChildren = (children: readonly ChildState[]): string => {
    const siblings = new Map(children.map((child) => [toPattern(child.field.pointer), child]));
    return children
      .filter((child) => {
        const controller = controllerOf.get(toPattern(child.field.pointer));
        return controller === undefined || !siblings.has(controller);
      })
      .map((child) => renderChild(child, siblings))
      .join('\n');
  };

  const stateOf = (field: Field): FieldState => ({
    value: valueAt(options.answers, field.pointer),
    raw: rawAt(options.raw, field.pointer),
    errors: options.errors.filter(
      (error) => error.path === field.pointer || error.path.startsWith(field.pointer + '/'),
    ),
    render,
    isShown: isAsked,
    renderChildren,
  });
  const shown = (fields: readonly Field[]) => fields.filter((field) => isAsked(field.pointer));

  // consecutive top-level questions are siblings too, so a root choice can reveal its branch
  const parts: string[] = [];
  let run: ChildState[] = [];
  const flush = () => {
    if (run.length > 0) parts.push(renderChildren(run));
    run = [];
  };
  for (const field of options.fields.filter((candidate) => isAsked(candidate.pointer))) {
    if (field.kind === 'object' && field.children) {
      flush();
      parts.push(
        renderChildren(
          shown(field.children).map((child) => ({ field: child, state: stateOf(child) })),
        ),
      );
    } else run.push({ field, state: stateOf(field) });
  }
  flush();
  return parts.join('\n');
}

/** `/contacts/0/role` → `/contacts/*\/role`: how reveals name questions in repeating groups. */
function toPattern(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}

/** Raw input is kept per page field; a question inside a page object finds its part of it. */
function rawAt(raw: Readonly<Record<string, unknown>>, pointer: string): unknown {
  if (Object.hasOwn(raw, pointer)) return raw[pointer];
  const top = '/' + (pointer.split('/')[1] ?? '');
  return Object.hasOwn(raw, top) ? valueAt(raw[top], pointer.slice(top.length)) : undefined;
}
