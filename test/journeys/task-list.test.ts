import assert from 'node:assert/strict';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import { answerPage, pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Page } from '../support/web-client.js';

/** Each task's title and status, as the task list shows them. */
function tasksOf(page: Page): [string, string][] {
  return page
    .$('.govuk-task-list__item')
    .toArray()
    .map((item) => [
      page.$(item).find('.govuk-task-list__name-and-hint').text().trim(),
      page.$(item).find('.govuk-task-list__status').text().trim(),
    ]);
}

describe('The task list of the referral (sections)', function () {
  this.timeout(90_000);
  let app: TestApp;
  let forms: FormRegistry;

  before(async () => {
    [app, forms] = await Promise.all([startTestApp(), loadForms('forms')]);
  });
  after(() => app.stop());

  it('leads through its nine sections to check your answers, grouped by section', async () => {
    const form = forms.get('secure-welfare-referral')!;
    const example = form.examples()[0]!;
    const client = await app.signedIn('task.list@example.gov.uk', '/forms/secure-welfare-referral');
    let page = await client.post('/forms/secure-welfare-referral/start', {});
    assert.equal(pageIdOf(page), 'task-list', 'the start page after sign-in is the task list');
    assert.equal(page.$('ul.govuk-task-list').length, 1);
    const titles = form.definition.sections!.map((section) => section.title);
    assert.equal(titles.length, 9);
    assert.deepEqual(tasksOf(page), [
      ...titles.slice(0, 8).map((title): [string, string] => [title, 'Not yet started']),
      [titles[8]!, 'Cannot start yet'],
      ['Check your answers and send', 'Cannot start yet'],
    ]);
    assert.equal(page.$('.govuk-task-list__item--with-link').length, 8);

    // One section: Continue comes back to the task list, which shows it completed.
    page = await answerPage(client, form, page, example);
    assert.equal(pageIdOf(page), 'referrer', 'the first task opens its first page');
    page = await answerPage(client, form, page, example);
    assert.equal(pageIdOf(page), 'task-list');
    assert.deepEqual(tasksOf(page)[0], [titles[0], 'Completed']);
    assert.match(page.$('main').text(), /You have completed 1 of 9 sections/);

    // A section left with an error is in progress.
    const risks = page
      .$('a.govuk-task-list__link')
      .filter((_i, a) => page.$(a).text().trim() === 'Risks');
    const risksPage = await client.get(risks.attr('href')!);
    assert.equal(risksPage.$('.govuk-back-link').attr('href'), new URL(page.url).pathname);
    const refused = await client.submit(risksPage, { 'risks.absconding.level': 'none' });
    assert.equal(refused.status, 422);
    page = await client.get(new URL(page.url).pathname);
    assert.deepEqual(tasksOf(page)[4], ['Risks', 'In progress']);

    while (!page.url.endsWith('/check-answers'))
      page = await answerPage(client, form, page, example);
    const headings = page
      .$('main h2.govuk-heading-m')
      .toArray()
      .map((heading) => page.$(heading).text().trim());
    assert.deepEqual(headings.slice(0, 9), titles);
    assert.match(page.$('.govuk-back-link').attr('href') ?? '', /\/task-list$/);
  });
});
