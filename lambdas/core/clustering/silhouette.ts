/**
 * Mean silhouette coefficient of a labelling (Rousseeuw 1987) with Euclidean distance.
 * For each point, a = mean distance to the other members of its cluster, b = the smallest mean distance
 * to the members of another cluster, s = (b - a) / max(a, b); a point alone in its cluster scores 0
 * (the scikit-learn convention). Returns null when there are fewer than two clusters or all points coincide.
 * O(n^2): pass a sample for large inputs.
 */
export function silhouetteScore(
  points: readonly (readonly number[])[],
  labels: readonly number[],
): number | null {
  if (points.length !== labels.length) {
    throw new RangeError(`silhouette: ${points.length} points but ${labels.length} labels`);
  }
  const clusterIds = [...new Set(labels)];
  if (clusterIds.length < 2) return null;
  const slot = new Map(clusterIds.map((id, i) => [id, i]));
  const sizes = new Array<number>(clusterIds.length).fill(0);
  for (const label of labels) sizes[slot.get(label) as number] = (sizes[slot.get(label) as number] ?? 0) + 1;

  let total = 0;
  const sums = new Array<number>(clusterIds.length);
  for (let i = 0; i < points.length; i++) {
    sums.fill(0);
    const p = points[i] as readonly number[];
    for (let j = 0; j < points.length; j++) {
      if (j === i) continue;
      const q = points[j] as readonly number[];
      let d2 = 0;
      for (let f = 0; f < p.length; f++) d2 += ((p[f] as number) - (q[f] as number)) ** 2;
      const s = slot.get(labels[j] as number) as number;
      sums[s] = (sums[s] as number) + Math.sqrt(d2);
    }
    const own = slot.get(labels[i] as number) as number;
    const ownSize = sizes[own] as number;
    if (ownSize < 2) continue;
    const a = (sums[own] as number) / (ownSize - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < clusterIds.length; c++) {
      if (c !== own) b = Math.min(b, (sums[c] as number) / (sizes[c] as number));
    }
    const denominator = Math.max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / points.length;
}
