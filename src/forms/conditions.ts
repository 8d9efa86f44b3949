import { toPointer, toSegments } from './field-names.js';
import type { SchemaNode } from './field.js';
import { isFreeAnswer, type SchemaIndex } from './schema-index.js';

/**
 * Tests an `if` subschema against data. `schemaPointer` locates the `if` in the form's schema
 * (a cache key); `dataType` is the type of the data the `if` applies to, when known.
 */
export type ConditionTest = (
  schema: SchemaNode | boolean,
  schemaPointer: string,
  data: unknown,
  dataType?: string,
) => boolean;

/** Questions revealed under a choice on the same object (GOV.UK conditional reveal). */
export interface Reveal {
  /** Pattern of the choice question (`*` for array indices), e.g. `/child/underThirteen`. */
  controllerPointer: string;
  /** The choice values that reveal the dependents. */
  values: unknown[];
  /** Patterns of the revealed questions. */
  dependents: string[];
}

/** Which questions are shown and required for some answers. */
export interface ConditionState {
  /** Concrete pointers of shown questions; `*` stands for an array item not yet answered. */
  shown: Set<string>;
  /** Required property names by concrete object pointer, from applicable branches included. */
  required: Map<string, Set<string>>;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function choiceValues(schema: SchemaNode): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum as unknown[];
  return undefined;
}

/**
 * Conditions declared once in a form's schema (`if`/`then`/`else`, `allOf`, `dependentSchemas`,
 * `dependentRequired`), evaluated against answers: what is shown, what is required, and what
 * answers to discard because their question is hidden.
 */
export class Conditions {
  private readonly index: SchemaIndex;
  private readonly test: ConditionTest;
  /** Conditional reveals of the form, found once. */
  readonly reveals: readonly Reveal[];
  private readonly memo = new WeakMap<object, ConditionState>();

  constructor(index: SchemaIndex, test: ConditionTest) {
    this.index = index;
    this.test = test;
    const reveals: Reveal[] = [];
    this.findReveals(index.root, '', '', reveals, []);
    this.reveals = reveals;
  }

  /**
   * What is shown and required for `answers`. Remembered per answers object, because a page
   * asks it once per question: answers are values, never changed once evaluated.
   */
  evaluate(answers: unknown): ConditionState {
    const remembered =
      typeof answers === 'object' && answers !== null ? this.memo.get(answers) : undefined;
    if (remembered) return remembered;
    const state: ConditionState = { shown: new Set(), required: new Map() };
    this.visit(this.index.root, '', '', answers, state, []);
    if (typeof answers === 'object' && answers !== null) this.memo.set(answers, state);
    return state;
  }

  /** Whether the question at a concrete `pointer` is shown for `answers`. */
  isShown(pointer: string, answers: unknown, state = this.evaluate(answers)): boolean {
    if (pointer === '' || state.shown.has(pointer)) return true;
    let data: unknown = answers;
    let template = '';
    for (const segment of toSegments(pointer)) {
      // an item of a group with no items yet is shown as the item template is
      if (
        /^\d+$/.test(segment) &&
        (Array.isArray(data) ? Number(segment) >= data.length : data === undefined) &&
        this.index.get(template + '/*') !== undefined
      ) {
        template += '/*';
        data = undefined;
      } else {
        template += toPointer([segment]);
        data =
          isRecord(data) || Array.isArray(data)
            ? (data as Record<string, unknown>)[segment]
            : undefined;
      }
    }
    return state.shown.has(template);
  }

  /**
   * A copy of `answers` without the answers to hidden questions. Repeats until nothing
   * changes, because discarding one answer can hide more questions.
   */
  pruneHidden<T>(answers: T): T {
    let current: unknown = answers;
    for (let round = 0; round < 64; round += 1) {
      const state = this.evaluate(current);
      let removed = 0;
      // Builds a copy rather than deleting in place, so an evaluated object never changes.
      const copy = (data: unknown, pointer: string, pattern: string): unknown => {
        if (Array.isArray(data)) {
          return data.map((item: unknown, position) =>
            copy(item, `${pointer}/${String(position)}`, pattern + '/*'),
          );
        }
        if (!isRecord(data)) return data;
        const result: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(data)) {
          const childPointer = pointer + toPointer([key]);
          const childPattern = pattern + toPointer([key]);
          if (this.index.get(childPattern) && !state.shown.has(childPointer)) {
            removed += 1;
            continue;
          }
          Object.defineProperty(result, key, {
            value: copy(value, childPointer, childPattern),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return result;
      };
      current = copy(current, '', '');
      if (removed === 0) {
        // the copy has the same answers, so the same state
        if (isRecord(current)) this.memo.set(current, state);
        break;
      }
    }
    return current as T;
  }

  private visit(
    raw: SchemaNode,
    pointer: string,
    schemaPointer: string,
    data: unknown,
    state: ConditionState,
    refs: readonly string[],
    inheritedType?: string,
  ): void {
    const [node, nodePointer] = this.index.resolveWithPointer(raw, schemaPointer);
    const dataType =
      typeof node.type === 'string'
        ? node.type
        : (inheritedType ?? (isNode(node.properties) ? 'object' : undefined));
    if (nodePointer !== schemaPointer && refs.includes(nodePointer)) return;
    const seen = nodePointer !== schemaPointer ? [...refs, nodePointer] : refs;
    const object = isRecord(data) ? data : undefined;
    if (isNode(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (!isNode(child)) continue;
        const childPointer = pointer + toPointer([name]);
        state.shown.add(childPointer);
        const childSchemaPointer = `${nodePointer}/properties${toPointer([name])}`;
        this.visit(child, childPointer, childSchemaPointer, object?.[name], state, seen);
      }
    }
    const required = this.requiredSet(state, pointer);
    if (Array.isArray(node.required)) {
      for (const name of node.required) if (typeof name === 'string') required.add(name);
    }
    if (isNode(node.dependentRequired) && object) {
      for (const [name, names] of Object.entries(node.dependentRequired)) {
        if (object[name] !== undefined && Array.isArray(names)) {
          for (const other of names) if (typeof other === 'string') required.add(other);
        }
      }
    }
    if (Array.isArray(node.prefixItems)) {
      node.prefixItems.forEach((item: unknown, position) => {
        if (!isNode(item)) return;
        const itemPointer = `${pointer}/${String(position)}`;
        state.shown.add(itemPointer);
        const at = `${nodePointer}/prefixItems/${String(position)}`;
        const itemData = Array.isArray(data) ? (data as unknown[])[position] : undefined;
        this.visit(item, itemPointer, at, itemData, state, seen);
      });
    } else if (isNode(node.items)) {
      const itemsPointer = `${nodePointer}/items`;
      // the entries of a list of free answers are questions themselves
      const entries = isFreeAnswer(this.index.resolve(node.items));
      if (entries) state.shown.add(`${pointer}/*`);
      if (Array.isArray(data)) {
        data.forEach((item: unknown, position) => {
          const itemPointer = `${pointer}/${String(position)}`;
          if (entries) state.shown.add(itemPointer);
          this.visit(node.items as SchemaNode, itemPointer, itemsPointer, item, state, seen);
        });
      }
      this.visit(node.items, `${pointer}/*`, itemsPointer, undefined, state, seen);
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((part: unknown, position) => {
        if (isNode(part)) {
          const partPointer = `${nodePointer}/allOf/${String(position)}`;
          this.visit(part, pointer, partPointer, data, state, seen, dataType);
        }
      });
    }
    if (node.if !== undefined && (isNode(node.if) || typeof node.if === 'boolean')) {
      // an object not answered yet is tested as an empty one, as it will be once started
      const subject = data === undefined && dataType === 'object' ? {} : data;
      const applies = this.test(node.if, `${nodePointer}/if`, subject, dataType);
      const branch = applies ? 'then' : 'else';
      const branchSchema = node[branch];
      if (isNode(branchSchema)) {
        this.visit(branchSchema, pointer, `${nodePointer}/${branch}`, data, state, seen, dataType);
      }
    }
    if (isNode(node.dependentSchemas) && object) {
      for (const [name, branch] of Object.entries(node.dependentSchemas)) {
        if (object[name] !== undefined && isNode(branch)) {
          const branchPointer = `${nodePointer}/dependentSchemas${toPointer([name])}`;
          this.visit(branch, pointer, branchPointer, data, state, seen, dataType);
        }
      }
    }
  }

  private requiredSet(state: ConditionState, pointer: string): Set<string> {
    let set = state.required.get(pointer);
    if (!set) {
      set = new Set();
      state.required.set(pointer, set);
    }
    return set;
  }

  private findReveals(
    raw: SchemaNode,
    pattern: string,
    schemaPointer: string,
    reveals: Reveal[],
    refs: readonly string[],
  ): void {
    const [node, nodePointer] = this.index.resolveWithPointer(raw, schemaPointer);
    if (nodePointer !== schemaPointer && refs.includes(nodePointer)) return;
    const seen = nodePointer !== schemaPointer ? [...refs, nodePointer] : refs;
    const reveal = this.simpleReveal(node, pattern);
    if (reveal) reveals.push(reveal);
    if (isNode(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (isNode(child)) {
          const childPointer = `${nodePointer}/properties${toPointer([name])}`;
          this.findReveals(child, pattern + toPointer([name]), childPointer, reveals, seen);
        }
      }
    }
    if (isNode(node.items)) {
      this.findReveals(node.items, pattern + '/*', `${nodePointer}/items`, reveals, seen);
    }
    const parts: [SchemaNode, string][] = [];
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((part: unknown, position) => {
        if (isNode(part)) parts.push([part, `${nodePointer}/allOf/${String(position)}`]);
      });
    }
    for (const branch of ['then', 'else'] as const) {
      const value = node[branch];
      if (isNode(value)) parts.push([value, `${nodePointer}/${branch}`]);
    }
    for (const [part, partPointer] of parts) {
      this.findReveals(part, pattern, partPointer, reveals, seen);
    }
  }

  // `if: { properties: { x: { const | enum | contains } } }` with x a question of this object
  private simpleReveal(node: SchemaNode, pattern: string): Reveal | undefined {
    if (!isNode(node.if) || !isNode(node.then) || !isNode(node.if.properties)) return undefined;
    const entries = Object.entries(node.if.properties);
    const first = entries[0];
    if (entries.length !== 1 || !first) return undefined;
    const [name, test] = first;
    if (!isNode(test)) return undefined;
    const values =
      choiceValues(test) ?? (isNode(test.contains) ? choiceValues(test.contains) : undefined);
    if (!values) return undefined;
    const controllerPointer = pattern + toPointer([name]);
    if (!this.index.get(controllerPointer)) return undefined;
    const then = this.index.resolve(node.then);
    if (!isNode(then.properties)) return undefined;
    const dependents = Object.keys(then.properties)
      .map((key) => pattern + toPointer([key]))
      .filter((dependent) => this.index.get(dependent)?.conditional === true);
    if (dependents.length === 0) return undefined;
    return { controllerPointer, values, dependents };
  }
}
