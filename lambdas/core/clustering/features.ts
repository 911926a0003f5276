/** The account fields clustering needs; a `ClassifiedAccount` satisfies it. */
export interface ClusterInput {
  readonly accountId: string;
  readonly revenueT12m: number;
  readonly invoicesT12m: number;
  readonly recencyDays: number | null;
  readonly growthYoy: number | null;
  readonly tenureDays: number | null;
  /**
   * Engagement 0..1 from the activities input (issue 8); when any account has one, it is a sixth feature
   * (an account without one counts as 0). Absent without that input.
   */
  readonly engagementScore?: number | null;
}

/** Feature names in vector order. */
export const FEATURE_NAMES = ['revenue', 'frequency', 'recency', 'growth', 'tenure'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
/** The optional sixth feature, after FEATURE_NAMES, when the run has engagement. */
export const ENGAGEMENT_FEATURE = 'engagement';

/** Range YoY growth is clipped to before standardizing, so one account tripling does not stretch the axis. */
export interface GrowthClip {
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_GROWTH_CLIP: GrowthClip = { min: -1, max: 3 };

/**
 * Raw feature vector of one account, in FEATURE_NAMES order: log1p revenue T12M, log1p invoices T12M,
 * recency days, YoY growth clipped to `clip` (null counts as 0: no change), tenure days; then, when
 * `withEngagement`, the engagement score (null counts as 0).
 */
export function featureVector(
  account: ClusterInput,
  clip: GrowthClip = DEFAULT_GROWTH_CLIP,
  withEngagement = false,
): number[] {
  const growth = account.growthYoy ?? 0;
  return [
    Math.log1p(Math.max(0, account.revenueT12m)),
    Math.log1p(Math.max(0, account.invoicesT12m)),
    account.recencyDays ?? 0,
    Math.min(clip.max, Math.max(clip.min, growth)),
    account.tenureDays ?? 0,
    ...(withEngagement ? [account.engagementScore ?? 0] : []),
  ];
}

/** Column means and standard deviations used to standardize feature vectors. */
export interface Standardization {
  readonly means: readonly number[];
  /** Population standard deviation per column; a constant column keeps 1 so it standardizes to 0. */
  readonly sds: readonly number[];
}

/** Z-scores every column of `rows` (population sd); returns the scaled rows and the scaling used. */
export function standardize(rows: readonly (readonly number[])[]): {
  scaled: number[][];
  scaling: Standardization;
} {
  const dims = rows[0]?.length ?? 0;
  const means = new Array<number>(dims).fill(0);
  const sds = new Array<number>(dims).fill(0);
  for (const row of rows) for (let j = 0; j < dims; j++) means[j] = (means[j] ?? 0) + (row[j] ?? 0);
  for (let j = 0; j < dims; j++) means[j] = (means[j] ?? 0) / rows.length;
  for (const row of rows) {
    for (let j = 0; j < dims; j++) sds[j] = (sds[j] ?? 0) + ((row[j] ?? 0) - (means[j] ?? 0)) ** 2;
  }
  for (let j = 0; j < dims; j++) {
    const sd = Math.sqrt((sds[j] ?? 0) / rows.length);
    sds[j] = sd > 1e-12 ? sd : 1;
  }
  const scaled = rows.map((row) => row.map((v, j) => (v - (means[j] ?? 0)) / (sds[j] ?? 1)));
  return { scaled, scaling: { means, sds } };
}
