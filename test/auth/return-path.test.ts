import assert from 'node:assert/strict';
import { toReturnPath } from '../../src/auth/return-path.js';

describe('toReturnPath', () => {
  const kept: [string, string][] = [
    ['/forms/secure-welfare', '/forms/secure-welfare'],
    ['/forms/a?page=2', '/forms/a?page=2'],
    ['/my-forms', '/my-forms'],
    ['/forms/a/../b', '/forms/b'],
    ['/forms/./a', '/forms/a'],
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
    '/.//evil.example',
    '/./\\evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/a/..//evil.example',
    '/a/../..//evil.example',
    '/%2f%2fevil.example',
    '/%5cevil.example',
    '/.%2f/evil.example',
    '/\\/evil.example',
  ];
  for (const value of refused) {
    it(`turns ${JSON.stringify(value)} into /`, () => {
      assert.equal(toReturnPath(value), '/');
    });
  }
});
