import assert from 'node:assert/strict';
import { parseFormBody } from '../../src/forms/form-body.js';
import { buildForm } from './build-form.js';

const referral = {
  type: 'object',
  properties: {
    referrerName: { type: 'string', title: 'Your name' },
    referrerEmail: { type: 'string', format: 'email', title: 'Your email address' },
    child: {
      type: 'object',
      title: 'About the child',
      properties: {
        firstName: { type: 'string', title: 'First name' },
        dateOfBirth: { type: 'string', format: 'date', title: 'Date of birth', past: true },
        underThirteen: { type: 'boolean', title: 'Is the child under 13?' },
      },
      required: ['firstName', 'dateOfBirth'],
    },
    notes: { type: 'string', title: 'Notes' },
  },
  required: ['referrerName', 'child'],
  if: {
    properties: {
      child: {
        type: 'object',
        properties: { underThirteen: { const: true } },
        required: ['underThirteen'],
      },
    },
    required: ['child'],
  },
  then: {
    properties: {
      approval: {
        type: 'object',
        title: 'Approval',
        properties: { reference: { type: 'string', title: 'Approval reference' } },
      },
    },
  },
};

describe('FormModel', () => {
  describe('when the definition has no pages', () => {
    const form = buildForm({ title: 'Refer a child', schema: referral });

    it('asks each top-level object on its own page and groups consecutive scalars', () => {
      assert.deepEqual(form.pages, [
        {
          id: 'referrer-name',
          title: 'Refer a child',
          properties: ['referrerName', 'referrerEmail'],
        },
        { id: 'child', title: 'About the child', properties: ['child'] },
        { id: 'notes', title: 'Refer a child', properties: ['notes'] },
        { id: 'approval', title: 'Approval', properties: ['approval'] },
      ]);
    });

    it('applies the other defaults', () => {
      assert.equal(form.definition.access, 'signed-in');
      assert.equal(form.definition.organisation, 'default');
      assert.equal(form.definition.referencePrefix, 'TF');
    });
  });

  describe('page navigation', () => {
    const form = buildForm({
      schema: {
        type: 'object',
        properties: {
          child: {
            type: 'object',
            title: 'Child',
            properties: { underThirteen: { type: 'boolean' } },
          },
          contact: { type: 'object', title: 'Contact', properties: { name: { type: 'string' } } },
        },
        if: {
          properties: {
            child: {
              type: 'object',
              properties: { underThirteen: { const: true } },
              required: ['underThirteen'],
            },
          },
          required: ['child'],
        },
        then: {
          properties: {
            approval: {
              type: 'object',
              title: 'Approval',
              properties: { date: { type: 'string', format: 'date' } },
            },
          },
        },
      },
      pages: [
        { id: 'child', title: 'Child', properties: ['child'] },
        { id: 'approval', title: 'Approval', properties: ['approval'] },
        { id: 'contact', title: 'Contact', properties: ['contact'] },
      ],
    });

    it('skips a page whose every question is hidden', () => {
      const older = { child: { underThirteen: false } };
      assert.deepEqual(
        form.pagesShown(older).map((page) => page.id),
        ['child', 'contact'],
      );
      assert.equal(form.nextPageId('child', older), 'contact');
      assert.equal(form.previousPageId('contact', older), 'child');
    });

    it('asks the page once its condition holds', () => {
      const younger = { child: { underThirteen: true } };
      assert.equal(form.nextPageId('child', younger), 'approval');
      assert.equal(form.previousPageId('contact', younger), 'approval');
      assert.equal(form.nextPageId('contact', younger), undefined);
      assert.equal(form.previousPageId('child', younger), undefined);
    });

    it('refuses an unknown page', () => {
      assert.throws(() => form.fieldsFor('nowhere', {}), { code: 'ERR_FORM_PAGE_NOT_FOUND' });
    });
  });

  describe('parsePage', () => {
    const form = buildForm({
      schema: referral,
      ui: { '/child/firstName': { width: 20 } },
    });

    it('merges the page into the answers and keeps other pages', () => {
      const body = parseFormBody(
        'child.firstName=Sam&child.dateOfBirth-day=1&child.dateOfBirth-month=2&child.dateOfBirth-year=2015&child.underThirteen=true',
      );
      const parsed = form.parsePage('child', body, { referrerName: 'Jo Example' });
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(parsed.answers, {
        referrerName: 'Jo Example',
        child: { firstName: 'Sam', dateOfBirth: '2015-02-01', underThirteen: true },
      });
      assert.deepEqual(form.validatePage('child', parsed.answers), []);
    });

    it('returns conversion errors and keeps what was typed', () => {
      const body = parseFormBody(
        'child.firstName=&child.dateOfBirth-day=31&child.dateOfBirth-month=2&child.dateOfBirth-year=2015',
      );
      const parsed = form.parsePage('child', body, {});
      assert.equal(parsed.errors.length, 1);
      assert.equal(parsed.errors[0]!.path, '/child/dateOfBirth');
      assert.deepEqual(parsed.raw['/child'], {
        dateOfBirth: { day: '31', month: '2', year: '2015' },
      });
      const schemaErrors = form.validatePage('child', parsed.answers);
      assert.deepEqual(schemaErrors[0], {
        path: '/child/firstName',
        href: '#child-firstName',
        text: 'Enter first name',
      });
    });

    it('only reports errors for its own page', () => {
      assert.deepEqual(
        form.validatePage('referrer-name', { child: {} }).map((error) => error.path),
        ['/referrerName'],
      );
    });

    it('gives fields their ui options and required flags', () => {
      const [child] = form.fieldsFor('child', {});
      assert.equal(child!.pointer, '/child');
      assert.equal(child!.label, 'About the child');
    });

    it('discards answers a page hides', () => {
      const body = parseFormBody('child.firstName=Sam&child.underThirteen=false');
      const parsed = form.parsePage('child', body, { approval: { reference: 'A1' } });
      assert.equal(parsed.answers.approval, undefined);
    });
  });

  describe('validate', () => {
    const form = buildForm({ schema: referral });

    it('accepts a complete submission and returns the pruned data', () => {
      const result = form.validate({
        referrerName: 'Jo Example',
        child: { firstName: 'Sam', dateOfBirth: '2015-02-01', underThirteen: false },
        approval: { reference: 'gone' },
      });
      assert.equal(result.valid, true);
      assert.deepEqual(result.errors, []);
      assert.equal(result.data.approval, undefined);
    });

    it('reports every error in question order', () => {
      const result = form.validate({ referrerEmail: 'nope', child: { dateOfBirth: '2030-01-01' } });
      assert.equal(result.valid, false);
      assert.deepEqual(
        result.errors.map((error) => error.text),
        [
          'Enter your name',
          'Enter a valid email address, like name@example.org',
          'Enter first name',
          'Date of birth must be in the past',
        ],
      );
    });
  });

  describe('summary', () => {
    const form = buildForm({ schema: referral });

    it('lists shown pages with their answers', () => {
      const sections = form.summary({
        referrerName: 'Jo Example',
        child: { firstName: 'Sam', dateOfBirth: '2015-02-01', underThirteen: false },
      });
      assert.deepEqual(
        sections.map((section) => section.pageId),
        ['referrer-name', 'child', 'notes'],
      );
      const keys = sections[0]!.rows.map((row) => row.key);
      assert.deepEqual(keys, ['Your name', 'Your email address']);
      assert.match(sections[0]!.rows[0]!.valueHtml, /Jo Example/);
    });
  });

  describe('retainUntil', () => {
    it('keeps a submission 7 years from submission by default', () => {
      const form = buildForm({ schema: referral });
      assert.equal(form.retainUntil({}, new Date('2026-03-15T10:00:00Z')), '2033-03-15');
    });

    it('counts from a date answer when the definition says so', () => {
      const form = buildForm({
        schema: referral,
        retention: { years: 75, from: '/child/dateOfBirth' },
      });
      const answers = { child: { dateOfBirth: '2012-02-29' } };
      assert.equal(form.retainUntil(answers, new Date('2026-03-15T10:00:00Z')), '2087-03-01');
    });
  });

  describe('examples', () => {
    it('returns the schema root examples', () => {
      const example = {
        referrerName: 'Jo Example',
        child: { firstName: 'Sam', dateOfBirth: '2015-02-01' },
      };
      const form = buildForm({ schema: { ...referral, examples: [example] } });
      assert.deepEqual(form.examples(), [example]);
      assert.equal(form.validate(example).valid, true);
    });
  });
});

describe('FormModel.shownQuestionPointers with a repeating group', () => {
  const form = buildForm({
    schema: {
      type: 'object',
      properties: {
        contacts: {
          type: 'array',
          title: 'Contacts',
          items: {
            type: 'object',
            title: 'Contact',
            properties: {
              name: { type: 'string', title: 'Name' },
              letter: { type: 'string', title: 'Letter', format: 'document' },
            },
          },
        },
      },
    },
    pages: [{ id: 'contacts', title: 'Contacts', properties: ['contacts'] }],
  });

  it('follows the answers into each item and its questions', () => {
    assert.deepEqual(
      form.shownQuestionPointers('contacts', { contacts: [{ name: 'A' }, { name: 'B' }] }),
      [
        '/contacts',
        '/contacts/0',
        '/contacts/0/name',
        '/contacts/0/letter',
        '/contacts/1',
        '/contacts/1/name',
        '/contacts/1/letter',
      ],
    );
  });

  it('finds an upload inside an item, so its file is kept when the form is sent', () => {
    assert.deepEqual(form.documentPointers('contacts', { contacts: [{ name: 'A' }] }), [
      '/contacts/0/letter',
    ]);
  });
});
