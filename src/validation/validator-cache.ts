import type { ValidateFunction } from 'ajv';
import type { Ajv } from './create-ajv.js';
import { toValidationSchema } from './to-validation-schema.js';

type Schema = Record<string, unknown>;

/**
 * Compiled validators, keyed by form version so a form is compiled once per definition and a
 * republished form never reuses a stale validator.
 */
export class ValidatorCache {
  readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(ajv: Ajv) {
    this.ajv = ajv;
  }

  /** The validator of a form's whole schema. Throws Ajv's error when the schema is not valid. */
  validatorFor(version: string, schema: Schema): ValidateFunction {
    return this.cached(version, () => this.ajv.compile(toValidationSchema(schema)));
  }

  /**
   * The validator of one subschema (an `if`) at `schemaPointer` in a form's schema. It is
   * compiled with the root's `$defs` (and draft-07 `definitions`) so `#/$defs/...` resolves, and with `dataType` because
   * strict mode wants a type where the subschema alone has none.
   */
  subschemaValidator(
    version: string,
    schemaPointer: string,
    subschema: Schema | boolean,
    root: Schema,
    dataType?: string,
  ): ValidateFunction {
    return this.cached(`${version}#${schemaPointer}`, () => {
      if (typeof subschema === 'boolean') return this.ajv.compile(subschema);
      const wrapped: Schema = toValidationSchema(subschema);
      if (root.$defs !== undefined) wrapped.$defs = root.$defs;
      if (root.definitions !== undefined) wrapped.definitions = root.definitions;
      if (dataType !== undefined && wrapped.type === undefined) wrapped.type = dataType;
      // the wrapper has no $id, so nothing is registered in Ajv under its name
      return this.ajv.compile(wrapped);
    });
  }

  private cached(key: string, compile: () => ValidateFunction): ValidateFunction {
    let validator = this.validators.get(key);
    if (!validator) {
      validator = compile();
      this.validators.set(key, validator);
    }
    return validator;
  }
}
