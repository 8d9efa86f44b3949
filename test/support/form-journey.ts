import type { FormModel } from '../../src/forms/form-model.js';
import { toFieldName } from '../../src/forms/field-names.js';
import { valueAt } from '../../src/forms/value-at.js';
import { answersToFields, pick } from './answers-to-fields.js';
import type { Page, WebClient } from './web-client.js';
import { errorSummary } from './web-client.js';

/** A small real PDF, for document questions. */
export const samplePdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The page id a journey page URL names (`/forms/{form}/{draft}/{page}`). */
export function pageIdOf(page: Page): string {
  return new URL(page.url).pathname.split('/')[4] ?? '';
}

/**
 * On a task list, follows the first task that is not completed (the way the service leads a
 * person through its sections), or "Check your answers and send" once all are.
 */
export async function followTaskList(client: WebClient, page: Page): Promise<Page> {
  const tasks = page.$('.govuk-task-list__item--with-link').toArray();
  const open = tasks.find(
    (task) => page.$(task).find('.govuk-task-list__status').text().trim() !== 'Completed',
  );
  const href = open ? page.$(open).find('a').attr('href') : undefined;
  if (!href) throw new Error('the task list has nothing left to do');
  return client.get(href);
}

/**
 * Answers one question page from `answers`, uploading a sample PDF for each document asked.
 * On a task list, follows it to the next task instead (and answers nothing).
 */
export async function answerPage(
  client: WebClient,
  form: FormModel,
  shown: Page,
  answers: Record<string, unknown>,
): Promise<Page> {
  // On a task list there is nothing to answer: go on to the next task, as a person would.
  if (pageIdOf(shown) === 'task-list') return followTaskList(client, shown);
  const page = shown;
  const pageId = pageIdOf(page);
  const definition = form.page(pageId);
  const fields = answersToFields(
    pick(answers, definition.properties),
    '',
    (pointer) => form.describe(pointer).kind,
  );
  const action =
    page.$('main form[method="post"]').last().attr('action') ?? new URL(page.url).pathname;
  const documents = form.documentPointers(pageId, answers);
  if (documents.length === 0) {
    return client.post(action, [...fields, ['_action', 'continue']]);
  }
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  // As many files as the answers have documents there.
  for (const pointer of documents) {
    const count = [valueAt(answers, pointer) ?? []].flat().length;
    for (let index = 0; index < count; index += 1) {
      const file = new Blob([samplePdf], { type: 'application/pdf' });
      body.append(toFieldName(pointer), file, `document-${index + 1}.pdf`);
    }
  }
  body.append('_action', 'continue');
  return client.postMultipart(action, body);
}

/**
 * Fills in a whole form from `answers`, page by page as the service leads, and sends it.
 * Returns the confirmation page and the ids of the pages visited.
 */
export async function completeForm(
  client: WebClient,
  form: FormModel,
  answers: Record<string, unknown>,
): Promise<{ confirmation: Page; visited: string[]; checkAnswers: Page }> {
  let page = await client.post(`/forms/${form.definition.id}/start`, {});
  const visited: string[] = [];
  while (!page.url.endsWith('/check-answers')) {
    if (pageIdOf(page) === 'task-list') page = await followTaskList(client, page);
    if (page.url.endsWith('/check-answers')) break;
    const pageId = pageIdOf(page);
    if (visited.length > 30) throw new Error(`journey does not end; stuck at ${pageId}`);
    visited.push(pageId);
    const next = await answerPage(client, form, page, answers);
    if (pageIdOf(next) === pageId) {
      throw new Error(`page ${pageId} refused the answers: ${errorSummary(next).join('; ')}`);
    }
    page = next;
  }
  const checkAnswers = page;
  const confirmation = await client.submit(checkAnswers, {}, 'send');
  return { confirmation, visited, checkAnswers };
}
