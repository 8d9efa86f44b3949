import type { ErrorObject } from 'ajv';

// `…/oneOf/2/…` in a schema path: the alternative an error came from
const branchPattern = /\/(?:oneOf|anyOf)\/(\d+)(?=\/)/g;

function branchesOf(error: ErrorObject): [string, number][] {
  const found: [string, number][] = [];
  for (const match of error.schemaPath.matchAll(branchPattern)) {
    found.push([error.schemaPath.slice(0, match.index), Number(match[1])]);
  }
  return found;
}

function isMismatch(error: ErrorObject): boolean {
  return error.keyword === 'const' || error.keyword === 'enum';
}

/**
 * Of the errors under a `oneOf`/`anyOf` that no alternative passed, keeps those of the one
 * alternative the person meant: one whose choosing answer (a `const`) matched, with the fewest
 * errors. The other alternatives' errors are about questions that were never asked.
 */
export function pickBranchErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const tally = new Map<string, Map<number, { count: number; mismatches: number }>>();
  for (const error of errors) {
    for (const [combinator, branch] of branchesOf(error)) {
      const branches =
        tally.get(combinator) ?? new Map<number, { count: number; mismatches: number }>();
      const entry = branches.get(branch) ?? { count: 0, mismatches: 0 };
      entry.count += 1;
      if (isMismatch(error)) entry.mismatches += 1;
      branches.set(branch, entry);
      tally.set(combinator, branches);
    }
  }
  const chosen = new Map<string, number>();
  for (const [combinator, branches] of tally) {
    const ranked = [...branches].sort(
      ([, a], [, b]) => Number(a.mismatches > 0) - Number(b.mismatches > 0) || a.count - b.count,
    );
    const best = ranked[0];
    if (best) chosen.set(combinator, best[0]);
  }
  return errors.filter((error) => {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      // the alternatives' own errors say it better, when there are any
      return !tally.has(error.schemaPath.slice(0, -error.keyword.length - 1));
    }
    return branchesOf(error).every(([combinator, branch]) => chosen.get(combinator) === branch);
  });
}
