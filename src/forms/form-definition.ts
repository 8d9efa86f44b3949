import type { Role } from '../auth/roles.js';
import { toReadableLabel } from './fields/to-readable-label.js';
import type { SchemaNode, UiOptions } from './field.js';
import { SchemaIndex } from './schema-index.js';
import { toRenderSchema } from './to-render-schema.js';

/** One page of a form: which top-level properties it asks. */
export interface PageDefinition {
  id: string;
  title: string;
  description?: string;
  properties: string[];
}

/** A section of a long form: a task on its task list, made of pages (docs/form-definition.md). */
export interface SectionDefinition {
  id: string;
  title: string;
  /** Page ids, in the form's page order. */
  pages: string[];
  /** Ids of earlier sections to complete first ("Cannot start yet" until then). */
  dependsOn?: string[];
}

/** How long a submission is kept (docs/form-definition.md `retention`). */
export interface RetentionDefinition {
  years: number;
  /** `"submitted"` or the pointer of a date question. */
  from: string;
}

/** A parsed form definition file, defaults applied. */
export interface FormDefinition {
  id: string;
  title: string;
  schema: SchemaNode;
  version: string;
  description?: string;
  access: 'signed-in' | 'public';
  allowedEmailDomains?: string[];
  /** Who may fill the form in: a signed-in user holding one of these roles. Absent: anyone signed in. */
  roles?: Role[];
  referencePrefix: string;
  organisation: string;
  privacyNotice?: { title: string; body: string };
  retention: RetentionDefinition;
  /** The pointer of the question whose answer names a saved draft on Your forms. */
  draftLabel?: string;
  pages: PageDefinition[];
  /** Sections for the task list; absent for a form without one. */
  sections?: SectionDefinition[];
  ui: Record<string, UiOptions>;
}

/** A definition file as written, after it passed the meta-schema. */
export type RawFormDefinition = Partial<FormDefinition> & {
  id: string;
  title: string;
  schema: SchemaNode;
};

/** `dateOfBirth` → `date-of-birth`. */
export function toKebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** The initials of an id, upper-cased: `secure-welfare-referral` → `SWR` (at least 2 letters). */
export function defaultReferencePrefix(id: string): string {
  const words = id.split('-').filter((word) => /^[a-z]/.test(word));
  let prefix = words
    .map((word) => word.charAt(0))
    .join('')
    .toUpperCase()
    .slice(0, 6);
  if (prefix.length < 2)
    prefix = id
      .replace(/[^a-z]/g, '')
      .slice(0, 2)
      .toUpperCase()
      .padEnd(2, 'X');
  return prefix;
}

/**
 * The default layout of a bare schema: one page per top-level object property, consecutive
 * top-level scalar properties grouped on one page titled after the form.
 */
export function defaultPages(schema: SchemaNode, formTitle: string): PageDefinition[] {
  const index = new SchemaIndex(toRenderSchema(schema));
  const pages: PageDefinition[] = [];
  const used = new Set<string>();
  const uniqueId = (name: string): string => {
    const base = toKebabCase(name) || 'page';
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${String(n)}`;
    used.add(id);
    return id;
  };
  let group: PageDefinition | undefined;
  for (const declared of index.declared) {
    const segments = declared.pattern.split('/');
    if (segments.length !== 2) continue;
    const name = declared.pattern.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
    const schemaNode = index.schemaFor(declared.pattern) ?? {};
    const isObject = schemaNode.type === 'object' || typeof schemaNode.properties === 'object';
    if (isObject) {
      group = undefined;
      const title = typeof schemaNode.title === 'string' ? schemaNode.title : toReadableLabel(name);
      pages.push({ id: uniqueId(name), title, properties: [name] });
    } else if (group) {
      group.properties.push(name);
    } else {
      group = { id: uniqueId(name), title: formTitle, properties: [name] };
      pages.push(group);
    }
  }
  return pages;
}

/** A definition with every default applied (see docs/form-definition.md). */
export function applyDefaults(raw: RawFormDefinition, version: string): FormDefinition {
  const definition: FormDefinition = {
    ...raw,
    version,
    access: raw.access ?? 'signed-in',
    referencePrefix: raw.referencePrefix ?? defaultReferencePrefix(raw.id),
    organisation: raw.organisation ?? 'default',
    retention: raw.retention ?? { years: 7, from: 'submitted' },
    pages: raw.pages ?? defaultPages(raw.schema, raw.title),
    ui: raw.ui ?? {},
  };
  return definition;
}
