import assert from 'node:assert/strict';
import { redactPersonalData } from '../../src/logging/redact-personal-data.js';

describe('redactPersonalData', () => {
  const cases: [string, string][] = [
    ['mail to sam.example@example.org failed', 'mail to [email] failed'],
    ['near AB1 2CD and sw1a1aa', 'near [postcode] and [postcode]'],
    ['call 07700 900123 or +44 (0)20 7946 0000', 'call [number] or [number]'],
    ['lives at 12 Fictional Road, Exampletown', 'lives at [address], Exampletown'],
    [
      'invalid input syntax for type uuid: "session:abc"',
      'invalid input syntax for type uuid: "[redacted]"',
    ],
    ['Cannot read properties of undefined', 'Cannot read properties of undefined'],
  ];
  for (const [text, expected] of cases) {
    it(`turns ${JSON.stringify(text)} into ${JSON.stringify(expected)}`, () => {
      assert.equal(redactPersonalData(text), expected);
    });
  }

  it("removes the request's own answers, the longest first", () => {
    assert.equal(
      redactPersonalData('no row for Łucja Wiśniewska (Łucja)', ['Łucja', 'Łucja Wiśniewska']),
      'no row for [answer] ([answer])',
    );
  });
});
