import * as cheerio from 'cheerio';
import type { Field } from '../../src/forms/field.js';
import type { FormModel } from '../../src/forms/form-model.js';
import { giveFormRoles } from '../support/give-form-roles.js';
import type { TestApp } from '../support/test-app.js';
import { signInForBench } from './bench-session.js';
import { measureHttp, type HttpMeasurement, type MeasureHttpOptions } from './measure-http.js';

/** The largest page's figures. */
export interface PageBenchResult {
  pageId: string;
  questions: number;
  errorsShown: number;
  get: HttpMeasurement;
  postWithErrors: HttpMeasurement;
}

/** The questions a field asks: itself, or every question under it for groups. */
function countQuestions(field: Field): number {
  const children = (field as { children?: readonly Field[] }).children;
  if (!children || children.length === 0) return 1;
  return children.reduce((sum, child) => sum + countQuestions(child), 0);
}

/** The page of `form` with the most questions (hidden ones included: they are rendered too). */
export function largestPage(form: FormModel): { pageId: string; questions: number } {
  let best = { pageId: '', questions: -1 };
  for (const page of form.pages) {
    const questions = form
      .fieldsFor(page.id, {})
      .reduce((sum, field) => sum + countQuestions(field), 0);
    if (questions > best.questions) best = { pageId: page.id, questions };
  }
  return best;
}

/**
 * The largest page of `form`, over HTTP as a signed-in person with a draft: its GET, and a POST
 * of every answer blank, which re-renders it with every error (422).
 */
export async function benchLargestPage(
  app: TestApp,
  form: FormModel,
  load: Omit<MeasureHttpOptions, 'url'>,
): Promise<PageBenchResult> {
  const formId = form.definition.id;
  const { pageId, questions } = largestPage(form);
  const email = 'bench.worker@example.gov.uk';
  // Only the form's roles may start it, as for any journey's signed-in person.
  await giveFormRoles(app.running.db, email);
  const session = await signInForBench(app, email, `/forms/${formId}`);
  const started = await session.fetch(`/forms/${formId}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: await session.csrfOf(`/forms/${formId}`) }).toString(),
  });
  const firstPage = started.headers.get('location');
  if (started.status !== 303 || firstPage === null) {
    throw new Error(`starting a draft answered ${started.status}`);
  }
  const path = firstPage.replace(/[^/]+$/, pageId);

  // The body a browser sends for the page left blank: every text box and select, empty.
  const page = await session.fetch(path);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  const $ = cheerio.load(await page.text());
  const body = new URLSearchParams();
  $('main form[method="post"] input, main form[method="post"] textarea, main form select').each(
    (_index, element) => {
      const input = $(element);
      const name = input.attr('name');
      const type = input.attr('type') ?? 'text';
      if (!name || ['radio', 'checkbox', 'file', 'submit', 'hidden'].includes(type)) return;
      body.append(name, '');
    },
  );
  body.set('_csrf', await session.csrfOf(path));
  body.set('_action', 'continue');

  const headers = { cookie: session.cookie };
  const post = {
    method: 'POST' as const,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  };
  const refused = await session.fetch(path, post);
  const html = await refused.text();
  const errorsShown = cheerio.load(html)('.govuk-error-summary__list a').length;
  if (refused.status !== 422 || errorsShown === 0) {
    throw new Error(`posting the blank page answered ${refused.status} with ${errorsShown} errors`);
  }

  const url = new URL(path, app.url.replace('localhost', '127.0.0.1')).toString();
  return {
    pageId,
    questions,
    errorsShown,
    get: await measureHttp({ ...load, url, headers }),
    postWithErrors: await measureHttp({ ...load, url, ...post }),
  };
}
