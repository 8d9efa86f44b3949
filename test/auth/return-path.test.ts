import assert from 'node:assert/strict';
import { toReturnPath } from '../../src/auth/return-path.js';

describe('toReturnPath', () => {
  const kept: [string, string][] = [
    ['/forms/secure-welfare', '/forms/secure-welfare'],
    ['/forms/a?page=2', '/forms/a?page=2'],
    ['/my-forms', '/my-forms'],
  ];
  for (const [value, expected] of kept) {
    it(`keeps the local path ${value}`, () => {
      assert.equal(toReturnPath(value), expected);
    });
  }

  const refused: unknown[] = [
    'https://evil.example.org/',
    '//evil.example.org/',
    '/\\evil.example.org/',
    '\\\\evil.example.org',
    '/%0d%0aSet-Cookie:x=1',
    '/\r\nLocation: https://evil.example.org',
    'javascript:alert(1)',
    'forms/relative',
    '',
    undefined,
    ['/a', '/b'],
    '/\tevil',
  ];
  for (const value of refused) {
    it(`turns ${JSON.stringify(value)} into /`, () => {
      const result = toReturnPath(value);
      assert.ok(result === '/' || (result.startsWith('/') && !result.startsWith('//')));
      assert.doesNotMatch(result, /evil|[\r\n]/);
    });
  }
});
