import { toSectionStates, type SectionStatus } from '../forms/form-sections.js';
import type { Answers, FormModel } from '../forms/form-model.js';

/** One task, in the GOV.UK task-list macro's `items` shape. */
export interface TaskListItem {
  title: { text: string };
  href?: string;
  status: { text?: string; tag?: { text: string; classes: string }; classes?: string };
}

/** What `views/pages/task-list.ejs` needs. */
export interface TaskListViewModel {
  /** The task-list macro's params (`govukTaskList`), ready for `component('task-list', …)`. */
  taskList: { idPrefix: string; items: TaskListItem[] };
  completedCount: number;
  sectionCount: number;
}

/** GOV.UK task list statuses: plain text when done or blocked, a tag when there is work to do. */
const statuses: Record<SectionStatus, TaskListItem['status']> = {
  completed: { text: 'Completed' },
  'in-progress': { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } },
  'not-started': { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } },
  'cannot-start': {
    text: 'Cannot start yet',
    classes: 'govuk-task-list__status--cannot-start-yet',
  },
};

/**
 * The task list of a form with sections: one task per section, linked unless it cannot start
 * yet, then "Check your answers and send", which can start once every section is completed.
 */
export function toTaskListView(
  form: FormModel,
  answers: Answers,
  completedPages: readonly string[],
  basePath: string,
): TaskListViewModel {
  const states = toSectionStates(form, answers, completedPages);
  const items: TaskListItem[] = states.map((state) => ({
    title: { text: state.section.title },
    ...(state.status === 'cannot-start' ? {} : { href: `${basePath}/${state.pageId}` }),
    status: statuses[state.status],
  }));
  const completedCount = states.filter((state) => state.status === 'completed').length;
  const allDone = completedCount === states.length;
  items.push({
    title: { text: 'Check your answers and send' },
    ...(allDone ? { href: `${basePath}/check-answers` } : {}),
    status: allDone ? statuses['not-started'] : statuses['cannot-start'],
  });
  return {
    taskList: { idPrefix: 'sections', items },
    completedCount,
    sectionCount: states.length,
  };
}
