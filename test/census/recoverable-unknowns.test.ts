import assert from 'node:assert/strict';
import { recoverableUnknowns, type Equation } from './recoverable-unknowns.js';

// a + b = total, a + c = other: the oracle the published-statistics tests rely on
const equations: Equation[] = [
  [
    ['a', 1],
    ['b', 1],
    ['total', -1],
  ],
  [
    ['a', 1],
    ['c', 1],
    ['other', -1],
  ],
];

describe('recoverableUnknowns (the test oracle)', () => {
  it('finds a hidden figure that its line gives away', () => {
    assert.deepEqual(recoverableUnknowns(equations, new Set(['b', 'c', 'total', 'other'])), ['a']);
  });

  it('finds none when every line has two hidden figures', () => {
    assert.deepEqual(recoverableUnknowns(equations, new Set(['total', 'other'])), []);
  });

  it('finds hidden counts that must be 0 because their line adds up to 0', () => {
    const values = new Map([
      ['c', 4],
      ['total', 0],
      ['other', 4],
    ]);
    assert.deepEqual(
      recoverableUnknowns(equations, new Set(['c', 'total', 'other']), values).sort(),
      ['a', 'b'],
    );
  });
});
