import assert from 'node:assert/strict';
import { findUnknownProperties } from '../../src/validation/find-unknown-properties.js';

describe('findUnknownProperties', () => {
  describe('when the schema lists its properties', () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, child: { type: 'object', properties: { age: {} } } },
    };
    it('names an unknown top-level property by its pointer', () => {
      assert.deepEqual(findUnknownProperties(schema, { name: 'A', nickname: 'B' }), ['/nickname']);
    });
    it('names an unknown nested property', () => {
      assert.deepEqual(findUnknownProperties(schema, { child: { age: 3, shoe: 2 } }), [
        '/child/shoe',
      ]);
    });
    it('escapes / and ~ in the pointer', () => {
      assert.deepEqual(findUnknownProperties(schema, { 'a/b~c': 1 }), ['/a~1b~0c']);
    });
    it('finds nothing in known data', () => {
      assert.deepEqual(findUnknownProperties(schema, { name: 'A', child: { age: 1 } }), []);
    });
  });

  describe('when the schema allows additional properties', () => {
    it('accepts any name with additionalProperties: true', () => {
      const schema = { properties: { a: {} }, additionalProperties: true };
      assert.deepEqual(findUnknownProperties(schema, { a: 1, b: 2 }), []);
    });
    it('follows an additionalProperties schema into the values', () => {
      const schema = {
        properties: { a: {} },
        additionalProperties: { type: 'object', properties: { x: {} } },
      };
      assert.deepEqual(findUnknownProperties(schema, { b: { x: 1, y: 2 } }), ['/b/y']);
    });
    it('treats an object schema declaring no properties as open', () => {
      const schema = { properties: { notes: { type: 'object' } } };
      assert.deepEqual(findUnknownProperties(schema, { notes: { anything: 1 } }), []);
    });
    it('refuses what additionalProperties: false refuses', () => {
      const schema = { properties: { a: {} }, additionalProperties: false };
      assert.deepEqual(findUnknownProperties(schema, { b: 1 }), ['/b']);
    });
  });

  describe('when names match patternProperties', () => {
    const schema = {
      properties: { id: {} },
      patternProperties: { '^day-[0-9]+$': { type: 'object', properties: { hours: {} } } },
    };
    it('accepts matching names and checks their values', () => {
      assert.deepEqual(findUnknownProperties(schema, { 'day-1': { hours: 2, mins: 3 }, x: 1 }), [
        '/day-1/mins',
        '/x',
      ]);
    });
  });

  describe('when properties come from branches', () => {
    it('follows local $ref into $defs and definitions', () => {
      const schema = {
        properties: { home: { $ref: '#/$defs/address' }, work: { $ref: '#/definitions/address' } },
        $defs: { address: { properties: { postcode: {} } } },
        definitions: { address: { properties: { postcode: {} } } },
      };
      assert.deepEqual(
        findUnknownProperties(schema, { home: { postcode: 'X', flat: 1 }, work: { town: 'Y' } }),
        ['/home/flat', '/work/town'],
      );
    });
    it('counts properties declared in allOf, anyOf, oneOf and if/then/else', () => {
      const schema = {
        properties: { kind: {} },
        allOf: [{ properties: { a: {} } }],
        anyOf: [{ properties: { b: {} } }],
        oneOf: [{ properties: { c: {} } }, { properties: { d: {} } }],
        if: { properties: { kind: { const: 'x' } } },
        then: { properties: { e: {} } },
        else: { properties: { f: {} } },
      };
      const data = { kind: 'x', a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 };
      assert.deepEqual(findUnknownProperties(schema, data), ['/g']);
    });
    it('counts dependentSchemas and draft-07 dependencies', () => {
      const schema = {
        properties: { card: {} },
        dependentSchemas: { card: { properties: { billing: {} } } },
        dependencies: { card: { properties: { expiry: {} } }, other: ['card'] },
      };
      assert.deepEqual(findUnknownProperties(schema, { card: 1, billing: 1, expiry: 1, z: 1 }), [
        '/z',
      ]);
    });
    it('stops at a recursive $ref', () => {
      const schema = {
        $ref: '#/$defs/node',
        $defs: { node: { properties: { next: { $ref: '#/$defs/node' }, value: {} } } },
      };
      assert.deepEqual(
        findUnknownProperties(schema, { value: 1, next: { value: 2, next: { bad: 3 } } }),
        ['/next/next/bad'],
      );
    });
  });

  describe('when the data holds arrays', () => {
    it('follows items, prefixItems and array-form items with additionalItems', () => {
      const item = { type: 'object', properties: { n: {} } };
      const schema = {
        properties: {
          list: { type: 'array', items: item },
          tuple: { type: 'array', prefixItems: [item], items: { properties: { m: {} } } },
          old: { type: 'array', items: [item], additionalItems: { properties: { k: {} } } },
        },
      };
      const data = {
        list: [{ n: 1 }, { q: 1 }],
        tuple: [
          { n: 1, q: 1 },
          { m: 1, q: 1 },
        ],
        old: [{ n: 1 }, { k: 1, q: 1 }],
      };
      assert.deepEqual(findUnknownProperties(schema, data), [
        '/list/1/q',
        '/tuple/0/q',
        '/tuple/1/q',
        '/old/1/q',
      ]);
    });
  });
});
