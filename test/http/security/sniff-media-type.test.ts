import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { sniffMediaType } from '../../../src/http/middleware/sniff-media-type.js';
import { officeFile } from '../../support/office-files.js';

describe('sniffMediaType', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'formwork-sniff-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: [string, Uint8Array, string | undefined][] = [
    ['a PDF', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf'],
    [
      'a PNG',
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        Buffer.from('IHDR'),
        Buffer.alloc(17),
      ]),
      'image/png',
    ],
    [
      'a JPEG',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]),
      'image/jpeg',
    ],
    [
      'a Word document',
      officeFile('docx'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    [
      'an Excel spreadsheet',
      officeFile('xlsx'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    ['a zip that is not an Office document', zipSync({ 'notes.txt': strToU8('hello') }), undefined],
    [
      'a zip naming word/ parts without Office content types',
      zipSync({ 'word/x.txt': strToU8('x'), 'a.txt': strToU8('y') }),
      undefined,
    ],
    ['UTF-8 text', Buffer.from('Café notes – week 1\n'), 'text/plain'],
    [
      'an HTML page',
      Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'),
      undefined,
    ],
    ['an SVG image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), undefined],
    ['an XML document', Buffer.from('<?xml version="1.0"?><a/>'), undefined],
    ['text with a NUL', Buffer.from('abc\u0000def'), undefined],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28]), undefined],
    ['an empty file', Buffer.alloc(0), undefined],
    [
      'an executable',
      Buffer.concat([Buffer.from('MZ\u0090\u0000', 'latin1'), Buffer.alloc(64)]),
      undefined,
    ],
  ];
  cases.forEach(([what, bytes, expected], index) => {
    it(`judges ${what} as ${String(expected)}`, async () => {
      const path = join(dir, String(index));
      await writeFile(path, bytes);
      assert.equal(await sniffMediaType(path), expected);
    });
  });
});
