import { toPointer, toSegments } from './field-names.js';
import type { SchemaNode } from './field.js';

/** One place a property is declared in a form's schema. */
export interface Declaration {
  /** The declaring schema node, `$ref`s resolved. */
  schema: SchemaNode;
  /** Where it is in the definition's schema (`/then/properties/approvalDate`). */
  schemaPointer: string;
  /** True when declared inside a `then`, `else` or `dependentSchemas` branch. */
  conditional: boolean;
}

/** Every declaration of one data pointer pattern (`/contacts/*\/name`). */
export interface DeclaredPointer {
  pattern: string;
  declarations: Declaration[];
  /** Shown only when a branch applies: no declaration outside a branch. */
  conditional: boolean;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An item typed by the person (text or a number), not picked from a list or uploaded. */
export function isFreeAnswer(node: SchemaNode): boolean {
  const type = Array.isArray(node.type)
    ? (node.type as unknown[]).find((entry) => entry !== 'null')
    : node.type;
  if (type !== 'string' && type !== 'number' && type !== 'integer') return false;
  if (Array.isArray(node.enum) || 'const' in node || Array.isArray(node.oneOf)) return false;
  return node.format !== 'document' && node.format !== 'data-url';
}

const maxRememberedPatterns = 10_000;

/** `pointer` with every array index replaced by `*`, given the array patterns of a schema. */
function escapeSegment(segment: string): string {
  return toPointer([segment]);
}

/**
 * A static index of a form's schema: `$ref` resolution and every declared data pointer, in the
 * order the questions appear (base properties, then branch properties, depth first).
 */
export class SchemaIndex {
  readonly root: SchemaNode;
  private readonly byPattern = new Map<string, DeclaredPointer>();
  private readonly merged = new Map<string, SchemaNode>();
  // The schema never changes after the walk, so these are worked out once, not per request.
  private readonly inOrder: readonly DeclaredPointer[];
  private readonly positions = new Map<string, number>();
  private readonly children = new Map<string, string[]>();
  private readonly patterns = new Map<string, string>();
  private readonly resolved = new WeakMap<SchemaNode, [SchemaNode, string]>();

  constructor(root: SchemaNode) {
    this.root = root;
    this.walk(root, '', '', false, []);
    this.inOrder = Object.freeze([...this.byPattern.values()]);
    this.inOrder.forEach((declared, position) => {
      this.positions.set(declared.pattern, position);
      const segments = toSegments(declared.pattern);
      const last = segments.pop();
      if (last === undefined || last === '*') return;
      const parent = toPointer(segments);
      const list = this.children.get(parent) ?? [];
      list.push(declared.pattern.slice(parent.length));
      this.children.set(parent, list);
    });
  }

  /** Resolves `$ref`s to `#/...` (repeatedly); returns the node and its schema pointer. */
  resolveWithPointer(node: SchemaNode, schemaPointer: string): [SchemaNode, string] {
    if (typeof node.$ref !== 'string') return [node, schemaPointer];
    // A `$ref` resolves to the same target wherever it is met, and the schema never changes.
    const known = this.resolved.get(node);
    if (known) return [known[0], known[1]];
    const found = this.followRefs(node, schemaPointer);
    // a `$ref` not followed (outside this schema) leaves the node where it was met
    if (found[0] === node) return found;
    this.resolved.set(node, found);
    return [found[0], found[1]];
  }

  private followRefs(node: SchemaNode, schemaPointer: string): [SchemaNode, string] {
    let current = node;
    let pointer = schemaPointer;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 32; hops += 1) {
      const ref = current.$ref;
      if (!ref.startsWith('#')) break;
      const target = this.at(ref.slice(1));
      if (!isNode(target)) break;
      // sibling keywords next to $ref (title, errorMessage) refine the target
      const siblings = { ...current };
      delete siblings.$ref;
      current = { ...target, ...siblings };
      pointer = ref.slice(1);
    }
    return [current, pointer];
  }

  /** Resolves `$ref`s to `#/...`. */
  resolve(node: SchemaNode): SchemaNode {
    return this.resolveWithPointer(node, '')[0];
  }

  /** The value at a JSON pointer in the root schema, or undefined. */
  at(schemaPointer: string): unknown {
    let current: unknown = this.root;
    for (const segment of toSegments(schemaPointer)) {
      if (typeof current !== 'object' || current === null) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    return current;
  }

  /** Declared pointers in question order. */
  get declared(): readonly DeclaredPointer[] {
    return this.inOrder;
  }

  /**
   * The last segments (`/name`) of the patterns declared directly under `pattern`, in question
   * order; an array's item pattern (`/*`) is not among them.
   */
  childSegmentsOf(pattern: string): readonly string[] {
    return this.children.get(pattern) ?? [];
  }

  /** The declarations of a pattern, if it is declared. */
  get(pattern: string): DeclaredPointer | undefined {
    return this.byPattern.get(pattern);
  }

  /** The position of a pattern in question order (unknown patterns last). */
  orderOf(pattern: string): number {
    return this.positions.get(pattern) ?? Number.MAX_SAFE_INTEGER;
  }

  /** `pointer` with array indices replaced by `*` (`/contacts/0/name` → `/contacts/*\/name`). */
  toPattern(pointer: string): string {
    const known = this.patterns.get(pointer);
    if (known !== undefined) return known;
    let pattern = '';
    for (const segment of toSegments(pointer)) {
      if (/^\d+$/.test(segment) && this.byPattern.has(pattern + '/*')) pattern += '/*';
      else pattern += escapeSegment(segment);
    }
    // pointers come from answers (any array index), so the memo is bounded
    if (this.patterns.size >= maxRememberedPatterns) this.patterns.clear();
    this.patterns.set(pointer, pattern);
    return pattern;
  }

  /**
   * The schema of the question at `pointer`: its declarations merged, the first declaration
   * winning (so a branch can add constraints but not relabel a question), and the properties of
   * every declaration united (so a branch can add questions to an object).
   */
  schemaFor(pointer: string): SchemaNode | undefined {
    const pattern = this.toPattern(pointer);
    if (this.merged.has(pattern)) return this.merged.get(pattern);
    const declared = this.byPattern.get(pattern);
    if (!declared) return undefined;
    const merged: SchemaNode = {};
    const properties: SchemaNode = {};
    for (const declaration of [...declared.declarations].reverse()) {
      Object.assign(merged, declaration.schema);
      // a branch elsewhere (at the root, say) may add questions to this object
      if (isNode(declaration.schema.properties))
        Object.assign(properties, declaration.schema.properties);
    }
    if (Object.keys(properties).length > 0) merged.properties = properties;
    // branches that offer different choices for one question (if Cat, then meat; if Fish, then
    // worms) offer them all: the schema judges which fit
    const enums = declared.declarations.map((declaration) => declaration.schema.enum);
    if (enums.filter(Array.isArray).length > 1) {
      const values = new Map<string, unknown>();
      for (const list of enums) {
        if (Array.isArray(list)) for (const value of list) values.set(JSON.stringify(value), value);
      }
      merged.enum = [...values.values()];
    }
    // The schema never changes, so each question's merged schema is worked out once.
    this.merged.set(pattern, merged);
    return merged;
  }

  private declare(pattern: string, declaration: Declaration): void {
    const existing = this.byPattern.get(pattern);
    if (existing) {
      existing.declarations.push(declaration);
      existing.conditional &&= declaration.conditional;
    } else {
      this.byPattern.set(pattern, {
        pattern,
        declarations: [declaration],
        conditional: declaration.conditional,
      });
    }
  }

  private walk(
    raw: SchemaNode,
    pattern: string,
    schemaPointer: string,
    conditional: boolean,
    refs: readonly string[],
  ): void {
    const [node, pointer] = this.resolveWithPointer(raw, schemaPointer);
    // a recursive $ref would never end; its first expansion is enough for the questions
    if (pointer !== schemaPointer && refs.includes(pointer)) return;
    const seen = pointer !== schemaPointer ? [...refs, pointer] : refs;
    if (isNode(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (!isNode(child)) continue;
        const childPattern = pattern + escapeSegment(name);
        const childPointer = `${pointer}/properties${escapeSegment(name)}`;
        const [resolved] = this.resolveWithPointer(child, childPointer);
        this.declare(childPattern, { schema: resolved, schemaPointer: childPointer, conditional });
        this.walk(child, childPattern, childPointer, conditional, seen);
      }
    }
    if (Array.isArray(node.prefixItems)) {
      // a tuple: each position is its own question (`/address/0`, `/address/1`)
      node.prefixItems.forEach((item: unknown, position) => {
        if (!isNode(item)) return;
        const itemPattern = `${pattern}/${String(position)}`;
        const itemPointer = `${pointer}/prefixItems/${String(position)}`;
        const [resolved] = this.resolveWithPointer(item, itemPointer);
        this.declare(itemPattern, { schema: resolved, schemaPointer: itemPointer, conditional });
        this.walk(item, itemPattern, itemPointer, conditional, seen);
      });
    } else if (isNode(node.items)) {
      const itemPointer = `${pointer}/items`;
      const [resolved] = this.resolveWithPointer(node.items, itemPointer);
      if (resolved.type === 'object' || isNode(resolved.properties)) {
        this.declare(pattern + '/*', { schema: resolved, schemaPointer: itemPointer, conditional });
        this.walk(node.items, pattern + '/*', itemPointer, conditional, seen);
      } else if (isFreeAnswer(resolved)) {
        // a list of free answers: each entry a question of the item's schema
        this.declare(pattern + '/*', { schema: resolved, schemaPointer: itemPointer, conditional });
      }
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((part: unknown, index) => {
        if (isNode(part)) this.walk(part, pattern, `${pointer}/allOf/${index}`, conditional, seen);
      });
    }
    for (const branch of ['then', 'else'] as const) {
      const value = node[branch];
      if (isNode(value)) this.walk(value, pattern, `${pointer}/${branch}`, true, seen);
    }
    if (isNode(node.dependentSchemas)) {
      for (const [name, value] of Object.entries(node.dependentSchemas)) {
        if (isNode(value)) {
          const branchPointer = `${pointer}/dependentSchemas${escapeSegment(name)}`;
          this.walk(value, pattern, branchPointer, true, seen);
        }
      }
    }
  }
}
