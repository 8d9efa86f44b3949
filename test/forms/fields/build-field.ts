import type {
  ComponentCall,
  Field,
  FieldOptions,
  FieldState,
  SchemaNode,
  UiOptions,
} from '../../../src/forms/field.js';
import type { FieldError } from '../../../src/forms/field-error.js';
import { createField } from '../../../src/forms/fields/create-field.js';

/** Resolves `#/$defs/<name>` refs against `root`. */
function resolverFor(root: SchemaNode): (schema: SchemaNode) => SchemaNode {
  return (schema) => {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/$defs/', '');
    const defs = root['$defs'] as Record<string, SchemaNode>;
    const target = defs[name];
    if (target === undefined) throw new Error(`unknown ref ${ref}`);
    return target;
  };
}

/** Builds a field the way the FormModel does, with `ui` looked up by pointer for children. */
export function buildField(
  schema: SchemaNode,
  options: {
    pointer?: string;
    label?: string;
    hint?: string;
    required?: boolean;
    ui?: Record<string, UiOptions>;
    root?: SchemaNode;
  } = {},
): Field {
  const resolve = resolverFor(options.root ?? {});
  const uiFor = (pointer: string): UiOptions =>
    options.ui?.[pointer] ?? options.ui?.[pointer.replace(/\/\d+(?=\/|$)/g, '/*')] ?? {};
  const createChild = (child: FieldOptions): Field =>
    createField({ ...child, ui: uiFor(child.pointer) });
  const pointer = options.pointer ?? '/answer';
  return createField({
    pointer,
    schema: resolve(schema),
    required: options.required ?? false,
    label: options.label ?? (typeof schema['title'] === 'string' ? schema['title'] : 'Answer'),
    ...(options.hint === undefined ? {} : { hint: options.hint }),
    ui: uiFor(pointer),
    createChild,
    resolve,
  });
}

/** Renders a component call as a marker, so containers' HTML can be inspected. */
export function renderCall(call: ComponentCall): string {
  return `<${call.component}>${JSON.stringify(call.params)}</${call.component}>`;
}

/** A render state with the given value, raw and errors. */
export function stateOf(
  value: unknown,
  extra: {
    raw?: unknown;
    errors?: FieldError[];
    conditionalHtml?: Map<string, string>;
    isShown?: (pointer: string) => boolean;
  } = {},
): FieldState {
  return {
    value,
    errors: extra.errors ?? [],
    render: renderCall,
    ...(extra.raw === undefined ? {} : { raw: extra.raw }),
    ...(extra.conditionalHtml ? { conditionalHtml: extra.conditionalHtml } : {}),
    ...(extra.isShown ? { isShown: extra.isShown } : {}),
  };
}

/** A render state that records every component call its containers make. */
export function recordingStateOf(
  value: unknown,
  extra: { raw?: unknown; errors?: FieldError[] } = {},
): { state: FieldState; calls: ComponentCall[] } {
  const calls: ComponentCall[] = [];
  const state: FieldState = {
    ...stateOf(value, extra),
    render: (call) => {
      calls.push(call);
      return `[${call.component} ${String(calls.length - 1)}]`;
    },
  };
  return { state, calls };
}
