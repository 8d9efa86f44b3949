import { checkDefinition } from '../check-definition.js';
import type { FormCatalog } from '../form-catalog.js';
import { defaultReferencePrefix, type RawFormDefinition } from '../form-definition.js';
import type { FormModel } from '../form-model.js';
import { toFormVersion } from '../load-forms.js';

/** One thing wrong with a definition being edited: where (a JSON pointer) and what. */
export interface CandidateProblem {
  pointer: string;
  message: string;
}

/** A definition checked as `formwork forms check` checks a file, and what it would be stored as. */
export interface CheckedCandidate {
  problems: CandidateProblem[];
  /** The version it would be published as. */
  version: string;
  /** Its model, when it has no problem. */
  model?: FormModel;
}

/** The text a definition is stored and exported as (its version is the sha256 of this text). */
export function toDefinitionText(definition: unknown): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/**
 * Checks a parsed definition with the checks `formwork forms check` runs on a file (the
 * meta-schema, the schema, pages, sections, retention; a unique id and reference prefix), and
 * that it builds. `formId`, when given, is the form it must stay.
 */
export function checkFormCandidate(
  parsed: unknown,
  catalog: FormCatalog,
  formId?: string,
): CheckedCandidate {
  const label =
    typeof parsed === 'object' && parsed !== null && 'version' in parsed
      ? (parsed as { version?: unknown }).version
      : undefined;
  const version = toFormVersion(
    typeof label === 'string' ? label : undefined,
    toDefinitionText(parsed),
  );
  const problems: CandidateProblem[] = checkDefinition(parsed, version, catalog.validatorCache);
  if (problems.length > 0) return { problems, version };
  const raw = parsed as RawFormDefinition;
  if (formId !== undefined && raw.id !== formId) {
    problems.push({ pointer: '/id', message: `must stay "${formId}": a form keeps its id` });
  }
  const prefix = raw.referencePrefix ?? defaultReferencePrefix(raw.id);
  for (const other of catalog.list()) {
    if (other.definition.id !== raw.id && other.definition.referencePrefix === prefix) {
      problems.push({
        pointer: raw.referencePrefix === undefined ? '/id' : '/referencePrefix',
        message: `the reference prefix "${prefix}" is also used by the form "${other.definition.id}": set a different "referencePrefix"`,
      });
    }
  }
  if (problems.length > 0) return { problems, version };
  try {
    return { problems, version, model: catalog.toModel(raw, version) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { problems: [{ pointer: '/schema', message: `cannot be used: ${detail}` }], version };
  }
}
