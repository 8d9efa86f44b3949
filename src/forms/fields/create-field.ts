import type { Field, FieldOptions } from '../field.js';
import { BooleanField } from './boolean-field.js';
import { CheckboxesField } from './checkboxes-field.js';
import { ChoiceField } from './choice-field.js';
import { DateField } from './date-field.js';
import { DocumentField } from './document-field.js';
import { NumberField } from './number-field.js';
import { KeyValueField } from './key-value-field.js';
import { ListField } from './list-field.js';
import { ObjectField } from './object-field.js';
import { ReadOnlyField } from './read-only-field.js';
import { RepeatingGroupField } from './repeating-group-field.js';
import { TextField } from './text-field.js';
import { TextareaField } from './textarea-field.js';
import { TupleField } from './tuple-field.js';
import { isWriteOnly, WriteOnlyField } from './write-only-field.js';

/** A field type: recognises the questions it asks and builds their field. */
export interface FieldType {
  matches(options: FieldOptions): boolean;
  new (options: FieldOptions): Field;
}

/** Most specific first; the first that matches builds the field. A new type is a new entry. */
export const fieldTypes: readonly FieldType[] = [
  ReadOnlyField,
  DocumentField,
  TupleField,
  ListField,
  RepeatingGroupField,
  CheckboxesField,
  KeyValueField,
  ObjectField,
  ChoiceField,
  BooleanField,
  NumberField,
  DateField,
  TextareaField,
  TextField,
];

/** Builds the field for one question, chosen by its schema and `ui.widget` (docs/form-definition.md). */
export function createField(options: FieldOptions): Field {
  const type = fieldTypes.find((candidate) => candidate.matches(options)) ?? TextField;
  const field = new type(options);
  // any type of question can be a secret: asked as its type, never shown back
  return isWriteOnly(options.schema) ? new WriteOnlyField(field) : field;
}
