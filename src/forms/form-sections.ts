import { toSegments } from './field-names.js';
import type { SectionDefinition } from './form-definition.js';
import type { Answers, FormModel } from './form-model.js';

/** A task's status on the GOV.UK task list. */
export type SectionStatus = 'not-started' | 'in-progress' | 'completed' | 'cannot-start';

/** One section of a form for these answers. */
export interface SectionState {
  section: SectionDefinition;
  status: SectionStatus;
  /** Where its link goes: its first page not yet completed, else its first page. */
  pageId: string;
}

/** The section that holds `pageId`, if the form has sections. */
export function sectionOfPage(form: FormModel, pageId: string): SectionDefinition | undefined {
  return form.definition.sections?.find((section) => section.pages.includes(pageId));
}

/**
 * The sections to list for these answers, with their status: completed when every shown page
 * was completed and none has an error; in progress once a page was completed or answered; cannot
 * start yet while a section it depends on is not completed. A section with no page shown is left
 * out.
 */
export function toSectionStates(
  form: FormModel,
  answers: Answers,
  completedPages: readonly string[],
): SectionState[] {
  const sections = form.definition.sections ?? [];
  const shown = form.pagesShown(answers);
  const errorTops = new Set(form.validate(answers).errors.map((e) => toSegments(e.path)[0]));
  const statusOf = new Map<string, SectionStatus>();
  const states: SectionState[] = [];
  for (const section of sections) {
    const pages = shown.filter((page) => section.pages.includes(page.id));
    const first = pages[0];
    if (!first) continue;
    const done = pages.filter((page) => completedPages.includes(page.id));
    const faulty = pages.some((page) => page.properties.some((name) => errorTops.has(name)));
    const answered = pages.some((page) =>
      page.properties.some((name) => answers[name] !== undefined),
    );
    const blocked = (section.dependsOn ?? []).some((id) => statusOf.get(id) !== 'completed');
    let status: SectionStatus =
      done.length === pages.length && !faulty
        ? 'completed'
        : done.length > 0 || answered
          ? 'in-progress'
          : 'not-started';
    if (status === 'not-started' && blocked) status = 'cannot-start';
    statusOf.set(section.id, status);
    const next = pages.find((page) => !completedPages.includes(page.id)) ?? first;
    states.push({ section, status, pageId: next.id });
  }
  return states;
}

/** With sections, the page after `pageId` only within its section (then the task list). */
export function nextPageInSection(
  form: FormModel,
  pageId: string,
  answers: Answers,
): string | undefined {
  const next = form.nextPageId(pageId, answers);
  const section = sectionOfPage(form, pageId);
  if (!section || next === undefined) return next;
  return section.pages.includes(next) ? next : undefined;
}

/** Whether `pageId` is the first shown page of its section (its Back link is the task list). */
export function isFirstPageOfSection(form: FormModel, pageId: string, answers: Answers): boolean {
  const section = sectionOfPage(form, pageId);
  if (!section) return false;
  const previous = form.previousPageId(pageId, answers);
  return previous === undefined || !section.pages.includes(previous);
}

/** Check-your-answers groups of pages, one per section (or per page without sections). */
export function groupBySection<T>(
  form: FormModel,
  groups: readonly { pageId: string; title: string; rows: T[] }[],
): { title: string; rows: T[] }[] {
  const sections = form.definition.sections;
  if (!sections) return groups.map(({ title, rows }) => ({ title, rows }));
  return sections
    .map((section) => ({
      title: section.title,
      rows: groups.filter((group) => section.pages.includes(group.pageId)).flatMap((g) => g.rows),
    }))
    .filter((section) => section.rows.length > 0);
}
