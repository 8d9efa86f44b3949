import assert from 'node:assert/strict';
import { buildForm } from './build-form.js';

describe('FormModel reviewSummary', () => {
  const form = buildForm({
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', title: 'Your full name', 'x-reviewTitle': "Referrer's full name" },
        contacts: {
          type: 'array',
          title: 'Contacts',
          items: {
            type: 'object',
            title: 'Contact',
            properties: {
              phone: { type: 'string', title: 'Your phone', 'x-reviewTitle': 'Contact’s phone' },
            },
          },
        },
        town: { type: 'string', title: 'Town' },
      },
    },
  });
  const answers = { name: 'Sam Example', contacts: [{ phone: '0100' }], town: 'Exampleton' };
  const keys = (sections: { rows: { key: string }[] }[]) =>
    sections.flatMap((section) => section.rows.map((row) => row.key));

  describe('when a question has an x-reviewTitle', () => {
    it('labels its answer with it, also inside a repeating group', () => {
      const reviewKeys = keys(form.reviewSummary(answers));
      assert.ok(reviewKeys.includes("Referrer's full name"), reviewKeys.join(', '));
      assert.ok(
        reviewKeys.some((key) => key.includes('Contact’s phone')),
        reviewKeys.join(', '),
      );
      assert.ok(!reviewKeys.some((key) => key.startsWith('Your')), reviewKeys.join(', '));
    });

    it('leaves the check-your-answers labels for the person filling in the form', () => {
      assert.ok(keys(form.summary(answers)).includes('Your full name'));
    });
  });

  describe('when a question has none', () => {
    it('keeps its title', () => {
      assert.ok(keys(form.reviewSummary(answers)).includes('Town'));
    });
  });
});
