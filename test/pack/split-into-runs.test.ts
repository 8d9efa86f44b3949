import assert from 'node:assert/strict';
import { splitIntoRuns, toPrintableText } from '../../src/pack/pack-fonts.js';

describe('splitIntoRuns', function () {
  it('keeps Latin, Greek and Cyrillic with their spaces and punctuation in one run', function () {
    assert.deepEqual(splitIntoRuns('Zoë Brontë-Ngũgĩ, Ελένη, Олена'), [
      { text: 'Zoë Brontë-Ngũgĩ, Ελένη, Олена', script: 'latin' },
    ]);
  });

  it('keeps a two-word Arabic name in one run so it is shaped and ordered whole', function () {
    assert.deepEqual(splitIntoRuns('Name: سارة الحربي'), [
      { text: 'Name: ', script: 'latin' },
      { text: 'سارة الحربي', script: 'arabic' },
    ]);
  });

  it('gives each script of a mixed line its own run', function () {
    assert.deepEqual(
      splitIntoRuns('Amira سارة 王小明 সুমন').map((run) => run.script),
      ['latin', 'arabic', 'latin', 'cjk', 'latin', 'bengali'],
    );
  });

  it('keeps a combining mark with the letter before it', function () {
    assert.deepEqual(splitIntoRuns('سَارة e\u0301'), [
      { text: 'سَارة', script: 'arabic' },
      { text: ' e\u0301', script: 'latin' },
    ]);
  });
});

describe('toPrintableText', function () {
  it('composes accents, drops carriage returns and turns controls into spaces', function () {
    assert.equal(toPrintableText('Zoe\u0308\r\nA\tB\u0007C'), 'Zoë\nA B C');
  });
});
