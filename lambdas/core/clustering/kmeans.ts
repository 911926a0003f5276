import { kmeans } from 'ml-kmeans';

/** Options of one k-means fit with restarts. */
export interface KMeansOptions {
  /** Seed of the first restart; restart r uses `seed + r`. */
  readonly seed: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins. @default 5 */
  readonly restarts?: number;
  /** @default 100 */
  readonly maxIterations?: number;
}

/** A k-means solution. */
export interface KMeansFit {
  /** Cluster index (0..k-1) per point. */
  readonly labels: number[];
  readonly centroids: number[][];
  /** Sum of squared distances of points to their centroid. */
  readonly inertia: number;
  readonly iterations: number;
}

function squaredDistance(p: readonly number[], q: readonly number[]): number {
  let d = 0;
  for (let f = 0; f < p.length; f++) d += ((p[f] as number) - (q[f] as number)) ** 2;
  return d;
}

function inertiaOf(points: readonly (readonly number[])[], labels: readonly number[], centroids: number[][]) {
  let total = 0;
  points.forEach((p, i) => {
    total += squaredDistance(p, centroids[labels[i] as number] as number[]);
  });
  return total;
}

/**
 * k-means (Lloyd, via ml-kmeans) with seeded k-means++ initialisation and several restarts; keeps the
 * restart with the lowest inertia. Deterministic for a given seed.
 */
export function fitKMeans(points: number[][], k: number, options: KMeansOptions): KMeansFit {
  const restarts = options.restarts ?? 5;
  let best: KMeansFit | null = null;
  for (let r = 0; r < restarts; r++) {
    const fit = kmeans(points, k, {
      initialization: 'kmeans++',
      seed: options.seed + r,
      maxIterations: options.maxIterations ?? 100,
    });
    const inertia = inertiaOf(points, fit.clusters, fit.centroids);
    if (!best || inertia < best.inertia) {
      best = { labels: fit.clusters, centroids: fit.centroids, inertia, iterations: fit.iterations };
    }
  }
  if (!best) throw new RangeError(`k-means needs at least one restart, got ${restarts}`);
  return best;
}

/** Lloyd iterations on all points starting from given centroids (no restarts); used to refine a sample's fit. */
export function refineKMeans(points: number[][], centroids: number[][], maxIterations = 100): KMeansFit {
  const fit = kmeans(points, centroids.length, {
    initialization: centroids.map((c) => [...c]),
    maxIterations,
  });
  return {
    labels: fit.clusters,
    centroids: fit.centroids,
    inertia: inertiaOf(points, fit.clusters, fit.centroids),
    iterations: fit.iterations,
  };
}
