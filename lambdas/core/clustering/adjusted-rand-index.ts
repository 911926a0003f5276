function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Adjusted Rand index of two labellings of the same items (Hubert and Arabie 1985): 1 for identical
 * partitions (up to renaming), about 0 for chance agreement. From the contingency table n_ij with row sums
 * a_i and column sums b_j: (sum C(n_ij,2) - E) / (0.5 (sum C(a_i,2) + sum C(b_j,2)) - E),
 * with E = sum C(a_i,2) sum C(b_j,2) / C(n,2). Returns 1 when both labellings are trivial (the index is 0/0).
 */
export function adjustedRandIndex(truth: readonly number[], predicted: readonly number[]): number {
  if (truth.length !== predicted.length) {
    throw new RangeError(
      `adjusted Rand index: ${truth.length} true labels but ${predicted.length} predicted`,
    );
  }
  if (truth.length < 2) return 1;
  const cells = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    const key = `${t}\u0000${p}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(p, (cols.get(p) ?? 0) + 1);
  });
  let index = 0;
  for (const n of cells.values()) index += pairs(n);
  let rowPairs = 0;
  for (const n of rows.values()) rowPairs += pairs(n);
  let colPairs = 0;
  for (const n of cols.values()) colPairs += pairs(n);
  const expected = (rowPairs * colPairs) / pairs(truth.length);
  const max = (rowPairs + colPairs) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
