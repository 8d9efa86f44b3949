/** A linear equation over named figures: the sum of `terms` (figure and coefficient) is known. */
export type Equation = readonly (readonly [name: string, coefficient: number])[];

/**
 * The unknown figures that a reader could work out exactly from `equations`, given the
 * published figures (`known`). Plain linear algebra, independent of how the tables were
 * suppressed: the known figures move to the right-hand side; an unknown is determined exactly
 * when its unit vector is in the row space of what is left, that is when the reduced row
 * echelon form has a row with that unknown alone.
 */
export function recoverableUnknowns(
  equations: readonly Equation[],
  knownFigures: ReadonlySet<string>,
  values?: ReadonlyMap<string, number>,
): string[] {
  const known = new Set(knownFigures);
  const zeros = values ? findForcedZeros(equations, known, values) : [];
  for (const name of zeros) known.add(name);
  const unknowns = [...new Set(equations.flatMap((terms) => terms.map(([name]) => name)))].filter(
    (name) => !known.has(name),
  );
  const index = new Map(unknowns.map((name, i) => [name, i]));
  const m = equations
    .map((terms) => {
      const row = unknowns.map(() => 0);
      for (const [name, coefficient] of terms) {
        const at = index.get(name);
        if (at !== undefined) row[at] = (row[at] ?? 0) + coefficient;
      }
      return row;
    })
    .filter((row) => row.some((value) => Math.abs(value) > 1e-9));
  const width = unknowns.length;
  let rank = 0;
  for (let column = 0; column < width && rank < m.length; column += 1) {
    let pivot = rank;
    for (let r = rank + 1; r < m.length; r += 1)
      if (Math.abs(m[r]?.[column] ?? 0) > Math.abs(m[pivot]?.[column] ?? 0)) pivot = r;
    if (Math.abs(m[pivot]?.[column] ?? 0) < 1e-9) continue;
    [m[rank], m[pivot]] = [m[pivot] as number[], m[rank] as number[]];
    const top = m[rank] as number[];
    const lead = top[column] ?? 1;
    for (let c = 0; c < width; c += 1) top[c] = (top[c] ?? 0) / lead;
    for (let r = 0; r < m.length; r += 1) {
      if (r === rank) continue;
      const row = m[r] as number[];
      const factor = row[column] ?? 0;
      if (Math.abs(factor) < 1e-12) continue;
      for (let c = 0; c < width; c += 1) row[c] = (row[c] ?? 0) - factor * (top[c] ?? 0);
    }
    rank += 1;
  }
  return [
    ...zeros,
    ...m.slice(0, rank).flatMap((row) => {
      const nonZero = row.flatMap((value, c) => (Math.abs(value) > 1e-9 ? [c] : []));
      return nonZero.length === 1 ? [unknowns[nonZero[0] as number] as string] : [];
    }),
  ];
}

/**
 * Counts are never negative: when the hidden counts of a line add up to 0 (its total less its
 * published counts), each of them is 0, and a reader knows it. Repeated until nothing changes.
 */
function findForcedZeros(
  equations: readonly Equation[],
  known: Set<string>,
  values: ReadonlyMap<string, number>,
): string[] {
  const zeros: string[] = [];
  const valueOf = (name: string) => values.get(name) ?? (zeros.includes(name) ? 0 : NaN);
  for (let changed = true; changed;) {
    changed = false;
    for (const terms of equations) {
      const hidden = terms.filter(([name]) => !known.has(name));
      if (hidden.length === 0 || hidden.some(([, coefficient]) => coefficient !== 1)) continue;
      const rest = terms
        .filter(([name]) => known.has(name))
        .reduce((sum, [name, coefficient]) => sum + coefficient * valueOf(name), 0);
      if (Math.abs(rest) < 1e-9) {
        for (const [name] of hidden) {
          known.add(name);
          zeros.push(name);
        }
        changed = true;
      }
    }
  }
  return zeros;
}
