import assert from 'node:assert/strict';
import { sniffMediaType } from '../../../src/http/middleware/sniff-media-type.js';

const docx = Buffer.concat([
  Buffer.from('PK\u0003\u0004', 'latin1'),
  Buffer.alloc(26),
  Buffer.from('[Content_Types].xml', 'latin1'),
  Buffer.alloc(40),
  Buffer.from('PK\u0003\u0004word/document.xml', 'latin1'),
]);
const plainZip = Buffer.concat([
  Buffer.from('PK\u0003\u0004', 'latin1'),
  Buffer.alloc(26),
  Buffer.from('a.txt'),
]);

describe('sniffMediaType', () => {
  const cases: [string, Buffer, string | undefined][] = [
    ['a PDF', Buffer.from('%PDF-1.4\n'), 'application/pdf'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['a DOCX', docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['a zip that is not a Word document', plainZip, undefined],
    ['UTF-8 text', Buffer.from('Café notes – week 1\n'), 'text/plain'],
    ['text with a NUL', Buffer.from('abc\u0000def'), undefined],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28]), undefined],
    ['an empty file', Buffer.alloc(0), undefined],
    ['an executable', Buffer.from('MZ\u0090\u0000', 'latin1'), undefined],
  ];
  for (const [what, bytes, expected] of cases) {
    it(`judges ${what} as ${String(expected)}`, () => {
      assert.equal(sniffMediaType(bytes), expected);
    });
  }
});
