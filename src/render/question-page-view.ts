import type { ChildState, ComponentCall, Field, FieldState } from '../forms/field.js';
import type { FieldError } from '../forms/field-error.js';
import { toFieldId, toFieldName } from '../forms/field-names.js';
import { askedFieldName } from '../forms/hold-back-unasked.js';
import { escapeHtml } from '../forms/fields/escape-html.js';
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
  /** Whether a question (pattern) is declared only inside a condition's branch. */
  isConditional?: (pattern: string) => boolean;
  component: RenderComponent;
}

/**
 * Renders a page's questions to HTML.
 *
 * A page's own top-level objects are not wrapped in a fieldset (the page heading already names
 * them). A question revealed by one choice is rendered inside that choice (GOV.UK conditional
 * reveal), at any depth. A question revealed by any of several choices of one question (a risk
 * level of low, medium or high) can't sit inside each (its id must be unique): it is rendered
 * once, in a reveal right under the choices, which `public/formwork.js` opens while one of those
 * choices is selected.
 *
 * Without JavaScript a reveal whose choice is not the saved answer stays closed (the stylesheet
 * hides it), so nothing is asked before it applies; after Continue the page comes back with the
 * reveal open. Each conditional question carries a hidden `_asked` input, disabled while its
 * reveal is closed (the script re-enables the open ones on submit), so the server knows which
 * questions the person could see: it never reports an error on a question that was not asked.
 */
export function renderQuestionFields(options: QuestionFieldsOptions): string {
  const render = (call: ComponentCall) => options.component(call.component, call.params);
  const isConditional = options.isConditional ?? (() => false);
  const choicesRevealing = new Map<string, number>();
  for (const reveal of options.reveals) {
    for (const dependent of reveal.dependents) {
      choicesRevealing.set(
        dependent,
        (choicesRevealing.get(dependent) ?? 0) + reveal.values.length,
      );
    }
  }
  // A dependent revealed from two different questions can't be placed under either: it is asked
  // once its conditions hold, like any other conditional question.
  const controllersRevealing = new Map<string, Set<string>>();
  for (const reveal of options.reveals) {
    for (const dependent of reveal.dependents) {
      const set = controllersRevealing.get(dependent) ?? new Set<string>();
      set.add(reveal.controllerPointer);
      controllersRevealing.set(dependent, set);
    }
  }
  const placed = options.reveals
    .map((reveal) => ({
      ...reveal,
      dependents: reveal.dependents.filter(
        (dependent) => controllersRevealing.get(dependent)?.size === 1,
      ),
    }))
    .filter((reveal) => reveal.dependents.length > 0);
  const controllerOf = new Map<string, string>();
  for (const reveal of placed) {
    for (const dependent of reveal.dependents)
      controllerOf.set(dependent, reveal.controllerPointer);
  }
  // Shown by the answers so far, or in a reveal on this very page.
  const isAsked = (pointer: string) =>
    options.isShown(pointer) || controllerOf.has(toPattern(pointer));

  /** The hidden `_asked` input of a question that is conditional in its own right. */
  const askedInput = (field: Field): string => {
    const pattern = toPattern(field.pointer);
    const parent = pattern.slice(0, pattern.lastIndexOf('/'));
    if (!isConditional(pattern) || (parent !== '' && isConditional(parent))) return '';
    const disabled = options.isShown(field.pointer) ? '' : ' disabled';
    return `\n<input type="hidden" name="${askedFieldName}" value="${escapeHtml(field.pointer)}"${disabled}>`;
  };

  const renderChild = (child: ChildState, siblings: ReadonlyMap<string, ChildState>): string => {
    const pattern = toPattern(child.field.pointer);
    const nestedHtml = new Map<string, string>();
    const sharedHtml: string[] = [];
    const nestable = canNest(child.field);
    for (const reveal of placed) {
      if (reveal.controllerPointer !== pattern) continue;
      const dependents = reveal.dependents
        .map((dependent) => siblings.get(dependent))
        .filter((dependent): dependent is ChildState => dependent !== undefined);
      if (dependents.length === 0) continue;
      const html = dependents.map((dependent) => renderChild(dependent, siblings)).join('\n');
      const several = reveal.dependents.some((dependent) => choicesRevealing.get(dependent) !== 1);
      if (nestable && !several) {
        for (const value of reveal.values) {
          const key = toChoiceKey(value);
          nestedHtml.set(key, (nestedHtml.get(key) ?? '') + html);
        }
      } else {
        const open = dependents.some((dependent) => options.isShown(dependent.field.pointer));
        sharedHtml.push(
          sharedReveal(child.field, reveal.values, html, open, sharedHtml.length + 1),
        );
      }
    }
    const state =
      nestedHtml.size > 0 ? { ...child.state, conditionalHtml: nestedHtml } : child.state;
    return [render(child.field.toComponent(state)) + askedInput(child.field), ...sharedHtml].join(
      '\n',
    );
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

  // An empty `_asked` says the list was sent at all (a client without it is asked everything).
  const marker = `<input type="hidden" name="${askedFieldName}" value="">`;
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
  return [marker, ...parts].join('\n');
}

/** Radios, yes/no and checkboxes hold a reveal inside a choice; a select can't. */
function canNest(field: Field): boolean {
  if (!['choice', 'boolean', 'checkboxes'].includes(field.kind)) return false;
  return !('widget' in field && field.widget === 'select');
}

/** How a choice's value appears in HTML and in `conditionalHtml`: JSON for non-strings. */
function toChoiceKey(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * One reveal right under a question's choices, opened by any of `values` (GOV.UK conditional
 * reveal markup and classes, so it looks and hides the same as one inside a choice).
 */
function sharedReveal(
  controller: Field,
  values: readonly unknown[],
  html: string,
  open: boolean,
  position: number,
): string {
  const block = controller.kind === 'checkboxes' ? 'govuk-checkboxes' : 'govuk-radios';
  const classes = `${block}__conditional${open ? '' : ` ${block}__conditional--hidden`}`;
  const id = `conditional-${toFieldId(controller.pointer)}-reveal-${String(position)}`;
  const keys = JSON.stringify(values.map(toChoiceKey));
  return [
    `<div class="formwork-reveal ${classes}" id="${id}" data-module="formwork-reveal"`,
    ` data-reveal-name="${escapeHtml(toFieldName(controller.pointer))}"`,
    ` data-reveal-values="${escapeHtml(keys)}">\n${html}\n</div>`,
  ].join('');
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
