import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  groupBySection,
  nextPageInSection,
  toSectionStates,
} from '../../src/forms/form-sections.js';
import { checkForms } from '../../src/forms/load-forms.js';
import { toTaskListView } from '../../src/render/task-list-view.js';
import { buildForm, fixedClock } from './build-form.js';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name' },
    phone: { type: 'string', title: 'Phone' },
    pet: { type: 'string', title: 'Pet' },
    vet: { type: 'string', title: 'Vet' },
  },
  required: ['name', 'phone', 'pet', 'vet'],
};
const pages = [
  { id: 'name', title: 'Name', properties: ['name'] },
  { id: 'phone', title: 'Phone', properties: ['phone'] },
  { id: 'pet', title: 'Pet', properties: ['pet'] },
  { id: 'vet', title: 'Vet', properties: ['vet'] },
];
const sections = [
  { id: 'you', title: 'About you', pages: ['name', 'phone'] },
  { id: 'pet', title: 'Your pet', pages: ['pet'] },
  { id: 'care', title: 'Care', pages: ['vet'], dependsOn: ['pet'] },
];
const form = buildForm({ schema, pages, sections });

/** The problems `formwork forms check` reports for a definition with these sections. */
async function problemsWith(
  sectionsValue: unknown,
): Promise<{ pointer: string; message: string }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'formwork-sections-'));
  try {
    const definition = { id: 'pets', title: 'Pets', schema, pages, sections: sectionsValue };
    await writeFile(join(dir, 'pets.json'), JSON.stringify(definition));
    return await checkForms(dir, { clock: fixedClock });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('Form sections', () => {
  describe('when checked', () => {
    it('accepts sections that hold every page once, in page order', async () => {
      assert.deepEqual(await problemsWith(sections), []);
    });

    it('refuses a page in no section, a page twice, an unknown page and a later dependency', async () => {
      const found = await problemsWith([
        { id: 'you', title: 'About you', pages: ['name', 'nope'], dependsOn: ['care'] },
        { id: 'care', title: 'Care', pages: ['pet', 'name'] },
      ]);
      const lines = found.map((problem) => `${problem.pointer}: ${problem.message}`);
      assert.ok(lines.some((line) => line.startsWith('/sections/0/pages/1: "nope" is not a page')));
      assert.ok(
        lines.some((line) =>
          line.startsWith('/sections/0/dependsOn/0: "care" is not an earlier section'),
        ),
      );
      assert.ok(lines.some((line) => line.includes('page "name" is already in section "you"')));
      assert.ok(lines.some((line) => line.includes('page "phone" is not in any section')));
    });

    it('refuses a section without a title (the meta-schema)', async () => {
      const found = await problemsWith([{ id: 'all', pages: ['name', 'phone', 'pet', 'vet'] }]);
      assert.ok(found.some((problem) => problem.pointer.startsWith('/sections/0')));
    });
  });

  describe('statuses', () => {
    const statusOf = (answers: Record<string, unknown>, completed: string[]) =>
      toSectionStates(form, answers, completed).map((state) => [state.section.id, state.status]);

    it('starts with nothing started, and a dependent section that cannot start yet', () => {
      assert.deepEqual(statusOf({}, []), [
        ['you', 'not-started'],
        ['pet', 'not-started'],
        ['care', 'cannot-start'],
      ]);
    });

    it('is in progress after one of its pages, completed after all of them', () => {
      assert.deepEqual(statusOf({ name: 'Alex' }, ['name']).slice(0, 1), [['you', 'in-progress']]);
      assert.deepEqual(statusOf({ name: 'Alex', phone: '01632 960000' }, ['name', 'phone'])[0], [
        'you',
        'completed',
      ]);
    });

    it('lets a section start once the one it depends on is completed', () => {
      assert.deepEqual(statusOf({ pet: 'Cat' }, ['pet']).slice(1), [
        ['pet', 'completed'],
        ['care', 'not-started'],
      ]);
    });

    it('is in progress, not completed, while a completed page has an error', () => {
      assert.deepEqual(statusOf({}, ['pet'])[1], ['pet', 'in-progress']);
    });

    it('links a section to its first page not yet completed', () => {
      const [you] = toSectionStates(form, { name: 'Alex' }, ['name']);
      assert.equal(you?.pageId, 'phone');
    });
  });

  describe('the journey', () => {
    it('continues within a section, then goes back to the task list', () => {
      assert.equal(nextPageInSection(form, 'name', {}), 'phone');
      assert.equal(nextPageInSection(form, 'phone', {}), undefined);
    });

    it('groups check your answers by section', () => {
      const grouped = groupBySection(form, [
        { pageId: 'name', title: 'Name', rows: ['a'] },
        { pageId: 'phone', title: 'Phone', rows: ['b'] },
        { pageId: 'pet', title: 'Pet', rows: ['c'] },
      ]);
      assert.deepEqual(grouped, [
        { title: 'About you', rows: ['a', 'b'] },
        { title: 'Your pet', rows: ['c'] },
      ]);
    });

    it('offers "Check your answers and send" only once every section is completed', () => {
      const partly = toTaskListView(form, { name: 'Alex' }, ['name'], '/f/d').taskList.items;
      assert.equal(partly.at(-1)?.href, undefined);
      assert.equal(partly.at(-1)?.status.text, 'Cannot start yet');
      assert.equal(partly[2]?.href, undefined, 'a task that cannot start has no link');
      const answers = { name: 'Alex', phone: '01632 960000', pet: 'Cat', vet: 'Vets & Co' };
      const done = toTaskListView(form, answers, ['name', 'phone', 'pet', 'vet'], '/f/d');
      assert.equal(done.completedCount, 3);
      assert.equal(done.taskList.items.at(-1)?.href, '/f/d/check-answers');
    });
  });
});
