import type { Page } from 'playwright-core';
import type { Answers, FormModel } from '../../../src/forms/form-model.js';
import { clickAndLoad } from './click-and-load.js';
import { fillPageByLabel, pageIdOfUrl } from './fill-page-by-label.js';

/** What a browser journey saw. */
export interface BrowserJourney {
  /** The reference shown in the confirmation panel. */
  reference: string;
  /** The question pages answered, in order. */
  visited: string[];
}

/** Hooks to look at each page of a journey on the way (e.g. accessibility checks). */
export interface JourneyHooks {
  /** Called on each question page as it first appears, before it is answered. */
  onQuestionPage?: (page: Page) => Promise<void>;
  onCheckAnswers?: (page: Page) => Promise<void>;
  onConfirmation?: (page: Page) => Promise<void>;
}

/** On a task list, opens the first task not completed (or "Check your answers and send"). */
export async function followTaskList(page: Page): Promise<void> {
  const tasks = page.locator('.govuk-task-list__item--with-link');
  for (const task of await tasks.all()) {
    const status = (await task.locator('.govuk-task-list__status').innerText()).trim();
    if (status !== 'Completed') {
      await clickAndLoad(page, task.locator('a'));
      return;
    }
  }
  throw new Error('the task list has nothing left to do');
}

/** The text of every error in the page's error summary. */
export async function errorSummaryOf(page: Page): Promise<string[]> {
  return (await page.locator('.govuk-error-summary__list a').allInnerTexts()).map((text) =>
    text.trim(),
  );
}

/**
 * From a form's start page (signed in), presses "Start now", answers every page by label,
 * presses "Accept and send" on check your answers and reads the reference off the panel.
 */
export async function completeFormInBrowser(
  page: Page,
  form: FormModel,
  answers: Answers,
  hooks: JourneyHooks = {},
): Promise<BrowserJourney> {
  await clickAndLoad(page, page.getByRole('button', { name: 'Start now', exact: true }));
  const visited: string[] = [];
  while (!page.url().endsWith('/check-answers')) {
    if (pageIdOfUrl(page.url()) === 'task-list') {
      await followTaskList(page);
      continue;
    }
    const pageId = pageIdOfUrl(page.url());
    if (visited.length > 30) throw new Error(`journey does not end; stuck at ${pageId}`);
    visited.push(pageId);
    await hooks.onQuestionPage?.(page);
    const missing = await fillPageByLabel(page, form, answers);
    const pressContinue = () =>
      clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
    await pressContinue();
    if (missing.length > 0 && pageIdOfUrl(page.url()) === pageId) {
      // The service asks the questions it could not show before the choice was sent.
      await fillPageByLabel(page, form, answers, new Set(missing));
      await pressContinue();
    }
    if (pageIdOfUrl(page.url()) === pageId) {
      const errors = await errorSummaryOf(page);
      throw new Error(`page ${pageId} refused the answers: ${errors.join('; ')}`);
    }
  }
  await hooks.onCheckAnswers?.(page);
  await clickAndLoad(page, page.getByRole('button', { name: 'Accept and send', exact: true }));
  await hooks.onConfirmation?.(page);
  const panel = page.locator('.govuk-panel--confirmation');
  const reference = (await panel.locator('strong').innerText()).trim();
  return { reference, visited };
}
