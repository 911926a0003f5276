import type { FeatureName } from './features.ts';

/**
 * Plain words for a cluster from its centroid in standard deviations from the overall mean, e.g.
 * "large, frequent, growing" or "small, lapsing". Size is always named; frequency, growth, recency and
 * tenure only when they differ from the mean by more than `threshold` sd. Growth words also need the
 * cluster's mean growth to have that sign, so a cluster shrinking less than most is never called growing.
 * With an engagement centroid (the activities input, issue 8), "engaged" or "disengaged" beyond the threshold.
 */
export function describeCluster(
  centroid: Readonly<Record<FeatureName, number>>,
  meanGrowth: number,
  threshold = 0.5,
  engagement: number | null = null,
): string {
  const words: string[] = [];
  if (centroid.revenue > threshold) words.push('large');
  else if (centroid.revenue < -threshold) words.push('small');
  else words.push('mid-sized');
  if (centroid.frequency > threshold) words.push('frequent');
  else if (centroid.frequency < -threshold) words.push('infrequent');
  if (centroid.growth > threshold && meanGrowth > 0) words.push('growing');
  else if (centroid.growth < -threshold && meanGrowth < 0) words.push('shrinking');
  if (centroid.recency > threshold) words.push('lapsing');
  if (centroid.tenure > threshold) words.push('long-standing');
  else if (centroid.tenure < -threshold) words.push('new');
  if (engagement !== null && engagement > threshold) words.push('engaged');
  else if (engagement !== null && engagement < -threshold) words.push('disengaged');
  return words.join(', ');
}
