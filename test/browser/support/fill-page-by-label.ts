import type { Locator, Page } from 'playwright-core';
import type { Answers, FormModel } from '../../../src/forms/form-model.js';
import type { Choice } from '../../../src/forms/fields/choice-list.js';
import type { Field } from '../../../src/forms/field.js';
import { CheckboxesField } from '../../../src/forms/fields/checkboxes-field.js';
import { ChoiceField } from '../../../src/forms/fields/choice-field.js';
import { ObjectField } from '../../../src/forms/fields/object-field.js';
import { ownValue } from '../../../src/forms/fields/object-properties.js';
import { RepeatingGroupField } from '../../../src/forms/fields/repeating-group-field.js';
import { clickAndLoad } from './click-and-load.js';

/** A small real PDF, for upload questions. */
export const samplePdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The little of the DOM the in-page checks use (the project compiles without the DOM lib). */
interface DomElement {
  id: string;
  checked?: boolean;
  parentElement: DomElement | null;
  classList: { contains(name: string): boolean };
  closest(selector: string): DomElement | null;
  ownerDocument: { querySelector(selector: string): DomElement | null };
}

/** The controls that answer a question (not a repeating group's "Remove" tick box). */
export const questionControls =
  'input:not([type="hidden"]):not([name$="._remove"]), select, textarea';

/** The page id a journey URL names (`/forms/{form}/{draft}/{page}`). */
export function pageIdOfUrl(url: string): string {
  return new URL(url).pathname.split('/')[4] ?? '';
}

/** An XPath string literal for any text. */
function xpathLiteral(text: string): string {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat(${text
    .split("'")
    .map((part) => `'${part}'`)
    .join(`, "'", `)})`;
}

/**
 * The one element among `candidates` a person would use: questions inside a closed conditional
 * reveal don't count (govuk-frontend and formwork.js open a reveal by removing its `--hidden`
 * class; without JavaScript a reveal opens only when the service shows the page again).
 */
async function theOne(candidates: Locator, what: string): Promise<Locator> {
  const positions = await inEffect(candidates);
  if (positions.length !== 1 || positions[0] === undefined) {
    throw new Error(`expected one ${what} on the page, found ${positions.length}`);
  }
  return candidates.nth(positions[0]);
}

/** The positions of the candidates that are not inside a closed reveal. */
async function inEffect(candidates: Locator): Promise<number[]> {
  const open = await candidates.evaluateAll((elements: DomElement[]) =>
    elements.map(
      (element) =>
        element.closest(
          '.govuk-radios__conditional--hidden, .govuk-checkboxes__conditional--hidden',
        ) === null,
    ),
  );
  return open.flatMap((ok, position) => (ok ? [position] : []));
}

/** An XPath test: the legend reads `text`, or `text (optional)` as the GOV.UK pattern shows it. */
function legendIs(text: string): string {
  return `(normalize-space(legend)=${xpathLiteral(text)} or normalize-space(legend)=${xpathLiteral(`${text} (optional)`)})`;
}

/** A label that reads `text` exactly, or `text (optional)`, white space as HTML folds it. */
function labelPattern(text: string): RegExp {
  const words = text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^\\s*${words.join('\\s+')}(\\s+\\(optional\\))?\\s*$`);
}

/** The fieldset whose own legend reads `legend`. */
async function fieldset(scope: Locator, legend: string): Promise<Locator> {
  return theOne(
    scope.locator(`xpath=.//fieldset[${legendIs(legend)}]`),
    `group of questions "${legend}"`,
  );
}

/** The field labelled `label` (label element or aria), exactly. */
async function labelled(scope: Locator, label: string): Promise<Locator> {
  return theOne(scope.getByLabel(labelPattern(label)), `field labelled "${label}"`);
}

/** An option (radio or checkbox) named `name` that belongs to `group` itself, not to a reveal. */
async function option(group: Locator, role: 'radio' | 'checkbox', name: string): Promise<Locator> {
  const handle = await group.elementHandle();
  const options = group.getByRole(role, { name, exact: true });
  const own = await options.evaluateAll(
    (elements: DomElement[], owner) =>
      elements.map((element) => element.closest('fieldset') === owner),
    handle,
  );
  const position = own.indexOf(true);
  if (position < 0) throw new Error(`no ${role} "${name}" to choose`);
  return options.nth(position);
}

/** Fills in answers a person sees on one question page, by label, from the form's fields. */
class PageFiller {
  /** Revealed questions that were not on the page (see {@link fillPageByLabel}). */
  readonly missing: string[] = [];

  constructor(
    private readonly page: Page,
    private readonly form: FormModel,
    private readonly only?: ReadonlySet<string>,
  ) {}

  private wanted(pointer: string): boolean {
    return (
      !this.only ||
      [...this.only].some((item) => item === pointer || item.startsWith(pointer + '/'))
    );
  }

  /** Whether a question is revealed by a choice (its pattern has `*` for item indices). */
  private isRevealed(pointer: string): boolean {
    const pattern = pointer.replace(/\/\d+(?=\/|$)/g, '/*');
    return this.form.conditions.reveals.some((reveal) => reveal.dependents.includes(pattern));
  }

  async question(scope: Locator, field: Field, value: unknown, pageLevel: boolean) {
    if (!this.wanted(field.pointer)) return;
    if (field.kind !== 'object' && this.isRevealed(field.pointer) && !this.only) {
      if ((await this.candidates(scope, field)) === 0) {
        this.missing.push(field.pointer);
        return;
      }
    }
    const { label } = field;
    if (field instanceof ObjectField) {
      // The page heading names a page's own objects; nested ones are fieldsets.
      const inner = pageLevel ? scope : await fieldset(scope, label);
      await this.object(inner, field, value as Answers);
    } else if (field instanceof RepeatingGroupField) {
      await this.group(scope, field, value as Answers[]);
    } else if (field.kind === 'boolean') {
      const group = await fieldset(scope, label);
      await (await option(group, 'radio', value === true ? 'Yes' : 'No')).check();
    } else if (field instanceof ChoiceField) {
      const title = titleOf(field, field.choices, value);
      if (field.widget === 'radios') {
        await (await option(await fieldset(scope, label), 'radio', title)).check();
      } else {
        await (await labelled(scope, label)).selectOption({ label: title });
      }
    } else if (field instanceof CheckboxesField) {
      const group = await fieldset(scope, label);
      for (const item of value as unknown[]) {
        await (await option(group, 'checkbox', titleOf(field, field.choices, item))).check();
      }
    } else if (field.kind === 'date') {
      const group = await fieldset(scope, label);
      const [year = '', month = '', day = ''] = String(value).split('-');
      await group.getByLabel('Day', { exact: true }).fill(String(Number(day)));
      await group.getByLabel('Month', { exact: true }).fill(String(Number(month)));
      await group.getByLabel('Year', { exact: true }).fill(year);
    } else if (field.kind === 'document') {
      const count = Array.isArray(value) ? value.length : 1;
      const files = Array.from({ length: count }, (_unused, index) => ({
        name: `document-${index + 1}.pdf`,
        mimeType: 'application/pdf',
        buffer: samplePdf,
      }));
      await (await labelled(scope, label)).setInputFiles(files);
    } else {
      await (await labelled(scope, label)).fill(String(value));
    }
  }

  /** How many places on the page, outside closed reveals, could ask this question. */
  private async candidates(scope: Locator, field: Field): Promise<number> {
    const legends = scope.locator(`xpath=.//fieldset[${legendIs(field.label)}]`);
    const labels = scope.getByLabel(labelPattern(field.label));
    return (await inEffect(legends)).length + (await inEffect(labels)).length;
  }

  async object(scope: Locator, field: ObjectField, value: Answers) {
    for (const child of field.children) {
      const answer = ownValue(value, child.pointer.split('/').at(-1) ?? '');
      if (answer === undefined) continue;
      await this.question(scope, child, answer, false);
    }
  }

  private addButton(itemTitle: string): Locator {
    return this.page.getByRole('button', {
      name: `Add another ${itemTitle.toLowerCase()}`,
      exact: true,
    });
  }

  /** Items one by one, asking for another with "Add another …" as a person would. */
  async group(scope: Locator, field: RepeatingGroupField, items: Answers[]) {
    const { label, itemTitle } = field;
    for (const [index, item] of items.entries()) {
      const legend = field.itemLabel(index);
      const itemXpath = `xpath=.//fieldset[${legendIs(label)}]//fieldset[${legendIs(legend)}]`;
      if (!this.wanted(`${field.pointer}/${index}`)) continue;
      if ((await scope.locator(itemXpath).count()) === 0) {
        await clickAndLoad(this.page, this.addButton(itemTitle));
      }
      let itemFieldset = await fieldset(await fieldset(scope, label), legend);
      // An item showing no questions at all (only "Remove"): ask for another to get them.
      if ((await itemFieldset.locator(questionControls).count()) === 0) {
        await clickAndLoad(this.page, this.addButton(itemTitle));
        itemFieldset = await fieldset(await fieldset(scope, label), legend);
      }
      const itemField = field.itemField(index);
      if (!(itemField instanceof ObjectField)) throw new Error(`${legend} is not a group`);
      await this.object(itemFieldset, itemField, item);
    }
  }
}

function titleOf(field: Field, choices: readonly Choice[], value: unknown): string {
  const choice = choices.find((item) => item.value === value);
  if (!choice) throw new Error(`${field.pointer}: ${JSON.stringify(value)} is not a choice`);
  return choice.title;
}

/**
 * Answers the question page the browser shows from `answers`, finding every control by its
 * visible label as a person would (choice titles, "Yes"/"No", date parts, "Add another"),
 * and uploading a small PDF for each document. Does not press Continue.
 *
 * A question revealed by a choice that is not on the page at all is left out and its pointer
 * returned, so the caller can press Continue and answer it once the service asks
 * (pass the pointers back as `only`).
 */
export async function fillPageByLabel(
  page: Page,
  form: FormModel,
  answers: Answers,
  only?: ReadonlySet<string>,
): Promise<string[]> {
  const pageId = pageIdOfUrl(page.url());
  const shown = form.pruneHidden(answers);
  const filler = new PageFiller(page, form, only);
  const scope = page.locator('main form[method="post"]').last();
  for (const field of form.fieldsFor(pageId, shown)) {
    const value = ownValue(shown, field.pointer.slice(1));
    if (value === undefined) continue;
    await filler.question(scope, field, value, true);
  }
  return filler.missing;
}
