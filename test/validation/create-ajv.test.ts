import assert from 'node:assert/strict';
import { createAjv } from '../../src/validation/create-ajv.js';
import { addYears } from '../../src/validation/keywords/local-date.js';
import { ValidatorCache } from '../../src/validation/validator-cache.js';

describe('createAjv', () => {
  let today = new Date('2026-03-15T12:00:00Z');
  const ajv = createAjv({ now: () => today });
  const validate = ajv.compile({
    type: 'object',
    properties: {
      born: { type: 'string', format: 'date', past: true, ageUnder: 13 },
      due: { type: 'string', format: 'date', future: true },
      adult: { type: 'string', format: 'date', ageAtLeast: 18 },
      file: { type: 'string', format: 'document', accept: ['application/pdf'], maxFileSize: 10 },
    },
  });

  it('reads today from the injected clock when it validates', () => {
    assert.equal(validate({ born: '2026-03-14', due: '2026-03-16' }), true);
    assert.equal(validate({ born: '2026-03-15' }), false);
    assert.equal(validate({ due: '2026-03-15' }), false);
    today = new Date('2026-03-17T12:00:00Z');
    assert.equal(validate({ due: '2026-03-16' }), false);
    today = new Date('2026-03-15T12:00:00Z');
  });

  it('checks ages on the birthday', () => {
    assert.equal(validate({ born: '2013-03-16' }), true);
    assert.equal(validate({ born: '2013-03-15' }), false);
    assert.equal(validate({ adult: '2008-03-15' }), true);
    assert.equal(validate({ adult: '2008-03-16' }), false);
  });

  it('knows document ids', () => {
    assert.equal(validate({ file: 'doc_abcdefghij0123456789' }), true);
    assert.equal(validate({ file: '../etc/passwd' }), false);
  });

  it('refuses unknown keywords (strict)', () => {
    assert.throws(() => ajv.compile({ type: 'string', maxLenght: 3 }), /unknown keyword/);
  });

  it('moves 29 February to 1 March in a year without one', () => {
    assert.equal(addYears('2012-02-29', 1), '2013-03-01');
    assert.equal(addYears('2012-02-29', 4), '2016-02-29');
  });
});

describe('ValidatorCache', () => {
  it('compiles a form once per version', () => {
    const cache = new ValidatorCache(createAjv());
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const first = cache.validatorFor('1+aaa', schema);
    assert.equal(cache.validatorFor('1+aaa', schema), first);
    const changed = { type: 'object', properties: { a: { type: 'integer' } } };
    assert.equal(cache.validatorFor('1+aaa', changed)({ a: 'x' }), true);
    assert.equal(cache.validatorFor('1+bbb', changed)({ a: 'x' }), false);
  });
});
