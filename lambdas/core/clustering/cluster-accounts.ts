import { type ClusteringConfig, parseClusteringConfig } from './clustering-config.ts';
import { describeCluster } from './describe-cluster.ts';
import { deterministicSample } from './deterministic-sample.ts';
import {
  type ClusterInput,
  ENGAGEMENT_FEATURE,
  FEATURE_NAMES,
  type FeatureName,
  featureVector,
  standardize,
} from './features.ts';
import { fitKMeans, type KMeansFit, refineKMeans } from './kmeans.ts';
import { silhouetteScore } from './silhouette.ts';

/** The cluster of one account; null for accounts that were not clustered (no positive T12M revenue). */
export interface ClusterAssignment {
  readonly accountId: string;
  readonly clusterId: number | null;
  readonly clusterLabel: string | null;
}

/** One cluster described for people: its size, revenue, mean features and centroid. */
export interface ClusterProfile {
  /** 0 = the cluster with the highest mean revenue. */
  readonly clusterId: number;
  /** Plain words from the centroid, e.g. "large, frequent, growing". */
  readonly label: string;
  readonly accounts: number;
  readonly revenueT12m: number;
  /** Share of the clustered accounts' revenue. */
  readonly revenueShare: number;
  readonly meanRevenueT12m: number;
  readonly meanInvoicesT12m: number;
  readonly meanRecencyDays: number;
  /** Mean of the clipped YoY growth over members that have one; null when none has. */
  readonly meanGrowthYoy: number | null;
  readonly meanTenureDays: number;
  /** Centroid in standard deviations from the mean of all clustered accounts. */
  readonly centroid: Readonly<Record<FeatureName, number>>;
  /** Mean engagement score (0..1) of the members; null or absent when engagement was not a feature. */
  readonly meanEngagement?: number | null;
  /** Engagement centroid in standard deviations; null or absent when engagement was not a feature. */
  readonly centroidEngagement?: number | null;
}

/** Outcome of clustering a book of business. */
export interface ClusteringResult {
  readonly status: 'clustered' | 'insufficient-data';
  /** Why clustering was skipped; null when clustered. */
  readonly reason: string | null;
  /** Chosen number of clusters; 0 when skipped. */
  readonly k: number;
  /** Silhouette of the chosen k on the silhouette sample. */
  readonly silhouette: number | null;
  readonly silhouetteByK: readonly { readonly k: number; readonly silhouette: number | null }[];
  readonly seed: number;
  readonly clusteredAccounts: number;
  /** Accounts k was chosen on, and the subset the silhouette was scored on. */
  readonly fitSampleSize: number;
  readonly silhouetteSampleSize: number;
  /** One per input account, in input order. */
  readonly assignments: readonly ClusterAssignment[];
  /** Highest mean revenue first. */
  readonly profiles: readonly ClusterProfile[];
  /** The features clustered on, in vector order (FEATURE_NAMES, then engagement when the run had it). */
  readonly features?: readonly string[];
}

function skipped(accounts: readonly ClusterInput[], config: ClusteringConfig, reason: string, n: number) {
  const result: ClusteringResult = {
    status: 'insufficient-data',
    reason,
    k: 0,
    silhouette: null,
    silhouetteByK: [],
    seed: config.seed,
    clusteredAccounts: 0,
    fitSampleSize: n,
    silhouetteSampleSize: 0,
    assignments: accounts.map((a) => ({ accountId: a.accountId, clusterId: null, clusterLabel: null })),
    profiles: [],
  };
  return result;
}

function distinctRows(rows: readonly (readonly number[])[]): number {
  return new Set(rows.map((r) => r.join(','))).size;
}

interface KChoice {
  readonly fit: KMeansFit;
  readonly silhouetteByK: { k: number; silhouette: number | null }[];
  readonly silhouette: number | null;
}

function chooseK(points: number[][], ks: readonly number[], config: ClusteringConfig): KChoice {
  const scoreIdx = deterministicSample(points.length, config.silhouetteSample, config.seed + 1);
  const scorePoints = scoreIdx.map((i) => points[i] as number[]);
  const silhouetteByK: { k: number; silhouette: number | null }[] = [];
  let best: { fit: KMeansFit; silhouette: number | null } | null = null;
  for (const k of ks) {
    const fit = fitKMeans(points, k, { seed: config.seed, restarts: config.restarts });
    const silhouette = silhouetteScore(
      scorePoints,
      scoreIdx.map((i) => fit.labels[i] as number),
    );
    silhouetteByK.push({ k, silhouette });
    // Strictly better only, so ties keep the smaller k.
    if (!best || (silhouette ?? Number.NEGATIVE_INFINITY) > (best.silhouette ?? Number.NEGATIVE_INFINITY)) {
      best = { fit, silhouette };
    }
  }
  if (!best) throw new RangeError('chooseK needs at least one candidate k');
  return { ...best, silhouetteByK };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Clusters the accounts with positive T12M revenue by k-means on standardized features (log1p revenue,
 * log1p invoices, recency, clipped YoY growth, tenure) and describes each cluster in plain words.
 *
 * Steps: standardize over the active accounts; for each k in kMin..kMax fit k-means (seeded k-means++,
 * `restarts` starts) on a deterministic sample of at most `fitSample` accounts and score the silhouette on
 * a sample of at most `silhouetteSample` of those; keep the best k (ties: smaller k); when the book is larger
 * than the fit sample, refine the winner with Lloyd iterations on every active account; order clusters by
 * mean revenue and label them from their centroids. Deterministic for a given seed.
 */
export function clusterAccounts(
  accounts: readonly ClusterInput[],
  config: ClusteringConfig = parseClusteringConfig({}),
): ClusteringResult {
  const activeIdx = accounts.flatMap((a, i) => (a.revenueT12m > 0 ? [i] : []));
  const active = activeIdx.map((i) => accounts[i] as ClusterInput);
  if (active.length <= config.kMin) {
    return skipped(
      accounts,
      config,
      `${active.length} accounts with revenue; clustering into at least ${config.kMin} clusters needs more than ${config.kMin}`,
      active.length,
    );
  }
  const withEngagement = active.some((a) => a.engagementScore !== undefined && a.engagementScore !== null);
  const features = withEngagement ? [...FEATURE_NAMES, ENGAGEMENT_FEATURE] : [...FEATURE_NAMES];
  const raw = active.map((a) => featureVector(a, config.growthClip, withEngagement));
  const { scaled } = standardize(raw);

  const fitIdx = deterministicSample(scaled.length, config.fitSample, config.seed);
  const fitPoints = fitIdx.map((i) => scaled[i] as number[]);
  const maxK = Math.min(config.kMax, distinctRows(fitPoints), fitPoints.length - 1);
  if (maxK < config.kMin) {
    return skipped(
      accounts,
      config,
      `only ${distinctRows(fitPoints)} distinct feature profiles among ${active.length} accounts; need at least ${config.kMin}`,
      fitPoints.length,
    );
  }
  const ks = Array.from({ length: maxK - config.kMin + 1 }, (_, i) => config.kMin + i);
  const choice = chooseK(fitPoints, ks, config);
  const final = fitIdx.length === scaled.length ? choice.fit : refineKMeans(scaled, choice.fit.centroids);

  const members = new Map<number, number[]>();
  final.labels.forEach((label, i) => {
    const list = members.get(label) ?? [];
    list.push(i);
    members.set(label, list);
  });
  const totalRevenue = active.reduce((s, a) => s + a.revenueT12m, 0);
  const unordered = [...members.values()].map((idx) => {
    const growths = idx.flatMap((i) => (active[i]?.growthYoy == null ? [] : [raw[i]?.[3] as number]));
    const meanGrowthYoy = growths.length > 0 ? mean(growths) : null;
    const centroid = Object.fromEntries(
      FEATURE_NAMES.map((name, f) => [name, mean(idx.map((i) => scaled[i]?.[f] as number))]),
    ) as Record<FeatureName, number>;
    const revenueT12m = idx.reduce((s, i) => s + (active[i] as ClusterInput).revenueT12m, 0);
    const engagementAt = FEATURE_NAMES.length;
    const centroidEngagement = withEngagement
      ? mean(idx.map((i) => scaled[i]?.[engagementAt] as number))
      : null;
    return {
      idx,
      label: describeCluster(centroid, meanGrowthYoy ?? 0, config.labelThreshold, centroidEngagement),
      accounts: idx.length,
      revenueT12m,
      revenueShare: totalRevenue > 0 ? revenueT12m / totalRevenue : 0,
      meanRevenueT12m: revenueT12m / idx.length,
      meanInvoicesT12m: mean(idx.map((i) => (active[i] as ClusterInput).invoicesT12m)),
      meanRecencyDays: mean(idx.map((i) => raw[i]?.[2] as number)),
      meanGrowthYoy,
      meanTenureDays: mean(idx.map((i) => raw[i]?.[4] as number)),
      centroid,
      ...(withEngagement
        ? { meanEngagement: mean(idx.map((i) => raw[i]?.[engagementAt] as number)), centroidEngagement }
        : {}),
    };
  });
  unordered.sort((a, b) => b.meanRevenueT12m - a.meanRevenueT12m);

  const assignments: ClusterAssignment[] = accounts.map((a) => ({
    accountId: a.accountId,
    clusterId: null,
    clusterLabel: null,
  }));
  const profiles: ClusterProfile[] = unordered.map(({ idx, ...profile }, clusterId) => {
    for (const i of idx) {
      const at = activeIdx[i] as number;
      assignments[at] = { accountId: active[i]?.accountId as string, clusterId, clusterLabel: profile.label };
    }
    return { clusterId, ...profile };
  });

  return {
    status: 'clustered',
    reason: null,
    k: profiles.length,
    silhouette: choice.silhouette,
    silhouetteByK: choice.silhouetteByK,
    seed: config.seed,
    clusteredAccounts: active.length,
    fitSampleSize: fitPoints.length,
    silhouetteSampleSize: Math.min(fitPoints.length, config.silhouetteSample),
    assignments,
    profiles,
    features,
  };
}
