import assert from 'node:assert/strict';
import { toJsonLines } from '../../../src/forms/json-lines.js';

describe('toJsonLines', () => {
  const text = [
    '{',
    '  "id": "a",',
    '  "schema": {',
    '    "properties": {',
    '      "x/y": { "type": "strin" },',
    '      "list": [',
    '        1,',
    '        { "k": "v" }',
    '      ]',
    '    }',
    '  }',
    '}',
  ].join('\n');

  describe('when the text is JSON', () => {
    it('gives the line each key is on, escaped pointers included', () => {
      const parsed = toJsonLines(text);
      assert.ok(parsed.ok);
      assert.equal(parsed.lineOf(''), 1);
      assert.equal(parsed.lineOf('/id'), 2);
      assert.equal(parsed.lineOf('/schema/properties/x~1y/type'), 5);
      assert.equal(parsed.lineOf('/schema/properties/list/1/k'), 8);
    });

    it('gives a missing key the line of the nearest value that holds it', () => {
      const parsed = toJsonLines(text);
      assert.ok(parsed.ok);
      assert.equal(parsed.lineOf('/schema/properties/x~1y/title'), 5);
      assert.equal(parsed.lineOf('/nothing'), 1);
    });
  });

  describe('when the text is not JSON', () => {
    it('gives the line and column of the syntax error', () => {
      const parsed = toJsonLines('{\n  "id": "a"\n  "title": "b"\n}');
      assert.deepEqual(parsed.ok ? 'parsed' : [parsed.line, parsed.column], [3, 3]);
    });
  });
});
