import assert from 'node:assert/strict';
import { renderReferralPack, type ReferralPackInput } from '../../src/pack/render-referral-pack.js';
import { isAppError } from '../../src/errors/app-error.js';
import { readPdf } from './read-pdf.js';

function packInput(overrides: Partial<ReferralPackInput> = {}): ReferralPackInput {
  return {
    reference: 'SWR-2026-00042',
    formTitle: 'Refer a child for a secure welfare placement',
    formVersion: '1.0.0+3f9a2c',
    generatedAt: new Date('2026-03-04T09:15:00Z'),
    classification: 'OFFICIAL-SENSITIVE',
    packFormatVersion: 1,
    summary: [],
    sections: [
      {
        title: 'About the child',
        rows: [
          { key: 'First name', value: 'Alex' },
          { key: 'Last name', value: 'Example' },
          { key: 'Date of birth', value: '14 February 2012' },
          { key: 'Postcode district of the child’s home area', value: 'LS1' },
        ],
      },
      {
        title: 'Risks',
        rows: [
          { key: 'Level of risk from absconding and missing episodes', value: 'High' },
          {
            key: 'Describe the risk from absconding and missing episodes',
            value: 'Missing overnight 3 times since January',
          },
        ],
      },
    ],
    attachments: [
      { filename: 'court-order.pdf', mediaType: 'application/pdf', sizeBytes: 254_000 },
      {
        filename: 'care-plan.docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        sizeBytes: 800,
      },
    ],
    ...overrides,
  };
}

/** The pages' text without the header and footer, which pdf.js reads after each page's body. */
function bodyText(pages: string[]): string {
  const furniture =
    / ?OFFICIAL-SENSITIVE SWR-2026-00042 OFFICIAL-SENSITIVE Referral pack format 1 Page \d+ of \d+$/;
  return pages
    .map((page) => {
      assert.match(page, furniture);
      return page.replace(furniture, '');
    })
    .join(' ');
}

function longAnswer(index: number): string {
  const sentence = `Paragraph ${String(index)} records an incident, the response from staff, and what helped afterwards.`;
  return Array.from({ length: 14 }, () => sentence).join(' ');
}

describe('renderReferralPack', function () {
  describe('for a short referral', function () {
    it('contains the reference, every label and every answer', async function () {
      const input = packInput();
      const { pages } = await readPdf(await renderReferralPack(input));
      const all = pages.join(' ');
      assert.ok(pages[0]?.includes('SWR-2026-00042'));
      for (const section of input.sections) {
        assert.ok(all.includes(section.title), section.title);
        for (const row of section.rows) {
          assert.ok(all.includes(row.key), row.key);
          assert.ok(all.includes(row.value), row.value);
        }
      }
    });

    it('starts with a summary page of the key answers, right after the title page', async function () {
      const summary = [
        { key: 'Age', value: '14' },
        { key: 'Legal status', value: 'Section 31 care order' },
        { key: 'Bed needed by', value: '' },
      ];
      const { pages } = await readPdf(await renderReferralPack(packInput({ summary })));
      assert.match(pages[1] ?? '', /^Summary The full answers follow on the next pages\./);
      assert.match(
        pages[1] ?? '',
        /Age 14 Legal status Section 31 care order Bed needed by Not provided/,
      );
      const without = await readPdf(await renderReferralPack(packInput()));
      assert.equal(without.pages.length, pages.length - 1, 'no summary: no summary page');
    });

    it('keeps a long summary on one page', async function () {
      const summary = Array.from({ length: 40 }, (_, index) => ({
        key: `Summary question ${String(index + 1)} with a longer label`,
        value: `Answer ${String(index + 1)}, a few words long`,
      }));
      const { pages } = await readPdf(await renderReferralPack(packInput({ summary })));
      assert.ok(pages[1]?.includes('Answer 40, a few words long'), 'the last row is on the page');
      assert.doesNotMatch(pages[2] ?? '', /Summary question/);
    });

    it('marks every page OFFICIAL-SENSITIVE and numbers it "Page N of M"', async function () {
      const { pages } = await readPdf(await renderReferralPack(packInput()));
      assert.ok(pages.length >= 2);
      pages.forEach((text, index) => {
        assert.ok(text.includes('OFFICIAL-SENSITIVE'), `page ${String(index + 1)}`);
        assert.ok(text.includes(`Page ${String(index + 1)} of ${String(pages.length)}`), text);
        assert.ok(text.includes('Referral pack format 1'));
      });
      assert.ok(pages[1]?.includes(`Page 2 of ${String(pages.length)}`));
    });

    it('shows a reader no internal version string', async function () {
      const all = (await readPdf(await renderReferralPack(packInput()))).pages.join(' ');
      assert.ok(!all.includes('1.0.0+3f9a2c'), all);
      assert.ok(!all.includes('Form version'));
    });

    it('lists the attachments with their types and sizes', async function () {
      const all = (await readPdf(await renderReferralPack(packInput()))).pages.join(' ');
      assert.ok(all.includes('1. court-order.pdf (application/pdf, 248.0 KB)'), all);
      assert.ok(all.includes('2. care-plan.docx'));
      assert.ok(all.includes('800 bytes'));
    });

    it('says so when there are no attachments', async function () {
      const all = (
        await readPdf(await renderReferralPack(packInput({ attachments: [] })))
      ).pages.join(' ');
      assert.ok(all.includes('No files were attached to this referral.'));
    });

    it('titles the PDF with the reference, not the child, and records the format version', async function () {
      const { info } = await readPdf(await renderReferralPack(packInput()));
      assert.equal(info.Title, 'SWR-2026-00042');
      assert.ok(!JSON.stringify(info).includes('Alex'));
      assert.match(String(info.Keywords), /referral-pack-format-1/);
      assert.match(String(info.CreationDate), /^D:20260304091500Z/);
    });

    it('gives the same bytes for the same input', async function () {
      const first = await renderReferralPack(packInput());
      const second = await renderReferralPack(packInput());
      assert.ok(first.equals(second));
      const later = await renderReferralPack(
        packInput({ generatedAt: new Date('2026-03-05T09:15:00Z') }),
      );
      assert.ok(!first.equals(later));
    });
  });

  describe('when names are written in other scripts', function () {
    // Fictitious people. pdf.js reads text back in the order glyphs are drawn.
    const names = {
      'Latin with diacritics': 'Zoë Brontë-Ngũgĩ',
      Polish: 'Łucja Wiśniewska',
      Greek: 'Ελένη Παππά',
      Cyrillic: 'Олена Коваль',
      Arabic: 'سارة الحربي',
      Bengali: 'সুমন দাস',
      Chinese: '王小明',
      'mixed scripts': 'Amira سارة 王小明 সুমন',
    };
    const rows = Object.entries(names).map(([key, value]) => ({ key: `Name (${key})`, value }));

    it('reads every name back from the PDF text exactly', async function () {
      const input = packInput({ sections: [{ title: 'Names', rows }] });
      const all = (await readPdf(await renderReferralPack(input))).pages.join(' ');
      for (const [script, name] of Object.entries(names)) {
        assert.ok(all.includes(name), `${script}: ${name} not in ${all}`);
      }
      assert.ok(!all.includes('?'), all);
    });

    it('prints them in question labels, section titles, file names and the form title', async function () {
      const input = packInput({
        formTitle: 'Łucja Wiśniewska سارة',
        sections: [{ title: 'Über 王小明', rows: [{ key: 'সুমন দাস', value: 'Zoë' }] }],
        attachments: [
          { filename: 'Łucja-王小明.pdf', mediaType: 'application/pdf', sizeBytes: 10 },
        ],
      });
      const all = (await readPdf(await renderReferralPack(input))).pages.join(' ');
      for (const text of ['Łucja Wiśniewska سارة', 'Über 王小明', 'সুমন দাস']) {
        assert.ok(all.includes(text), `${text} not in ${all}`);
      }
      // pdf.js starts a new text item at each change of font, and readPdf joins items with a space.
      assert.ok(all.replace(/\s+/g, '').includes('1.Łucja-王小明.pdf'), all);
    });

    it('keeps OFFICIAL-SENSITIVE and "Page N of M" on every page', async function () {
      const input = packInput({ sections: [{ title: 'Names', rows }] });
      const { pages } = await readPdf(await renderReferralPack(input));
      pages.forEach((text, index) => {
        assert.ok(text.includes('OFFICIAL-SENSITIVE'), text);
        assert.ok(text.includes(`Page ${String(index + 1)} of ${String(pages.length)}`), text);
      });
    });

    it('turns control characters into spaces and drops carriage returns', async function () {
      const input = packInput({
        sections: [{ title: 'Other', rows: [{ key: 'Note', value: 'one\ttwo\r\nthree' }] }],
      });
      const all = (await readPdf(await renderReferralPack(input))).pages.join(' ');
      assert.ok(all.includes('one two three'), all);
    });
  });

  describe('when long answers run over several pages', function () {
    it('wraps and breaks pages without losing a word, numbering each page', async function () {
      const rows = Array.from({ length: 12 }, (_, index) => ({
        key: `Incident ${String(index + 1)}`,
        value: longAnswer(index + 1),
      }));
      const input = packInput({ sections: [{ title: 'Chronology', rows }] });
      const { pages } = await readPdf(await renderReferralPack(input));
      assert.ok(pages.length >= 4, `only ${String(pages.length)} pages`);
      const all = bodyText(pages);
      for (const row of rows) {
        assert.ok(all.includes(row.key));
        assert.ok(all.includes(row.value), `answer to ${row.key} is broken`);
      }
      pages.forEach((text, index) => {
        assert.ok(text.includes('OFFICIAL-SENSITIVE'));
        assert.ok(text.includes(`Page ${String(index + 1)} of ${String(pages.length)}`));
      });
    });

    it('breaks inside one very long answer', async function () {
      const value = Array.from(
        { length: 400 },
        (_, index) => `Sentence ${String(index + 1)} of a long account.`,
      ).join(' ');
      const input = packInput({
        sections: [{ title: 'History', rows: [{ key: 'Background', value }] }],
      });
      const { pages } = await readPdf(await renderReferralPack(input));
      assert.ok(pages.length >= 3);
      assert.ok(bodyText(pages).includes(value));
    });
  });

  describe('when the input is not valid', function () {
    it('refuses with ERR_PACK_INPUT_INVALID', async function () {
      for (const bad of [
        packInput({ reference: ' ' }),
        packInput({ generatedAt: new Date('nonsense') }),
        packInput({ packFormatVersion: 0 }),
        packInput({
          attachments: [{ filename: 'x.pdf', mediaType: 'application/pdf', sizeBytes: -1 }],
        }),
      ]) {
        await assert.rejects(
          renderReferralPack(bad),
          (error: unknown) => isAppError(error) && error.code === 'ERR_PACK_INPUT_INVALID',
        );
      }
    });
  });
});
