import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** Clustering settings; meant to sit under `clustering` in the run config. */
export const clusteringConfigSchema = z
  .object({
    /** Smallest number of clusters tried. @default 3 */
    kMin: z.number().int().min(2).max(20).default(3),
    /** Largest number of clusters tried. @default 6 */
    kMax: z.number().int().min(2).max(20).default(6),
    /** Seed of the k-means++ starts and of the samples; the same seed gives the same clusters. @default 42 */
    seed: z.number().int().min(0).max(2_147_483_647).default(42),
    /** k-means++ starts per k; the lowest inertia wins. @default 5 */
    restarts: z.number().int().min(1).max(50).default(5),
    /** At most this many accounts score the silhouette (it is O(n^2)). @default 2000 */
    silhouetteSample: z.number().int().min(50).max(10_000).default(2000),
    /** k is chosen on at most this many accounts; the winner is then refined on all. @default 20000 */
    fitSample: z.number().int().min(100).default(20_000),
    /** YoY growth is clipped to this range before standardizing. @default { min: -1, max: 3 } */
    growthClip: z
      .object({ min: z.number().default(-1), max: z.number().default(3) })
      .default({ min: -1, max: 3 })
      .refine((c) => c.min < c.max, { message: 'growthClip.min must be below growthClip.max' }),
    /** A centroid this many sd from the mean earns a word in the cluster's label. @default 0.5 */
    labelThreshold: z.number().positive().max(5).default(0.5),
  })
  .superRefine((c, ctx) => {
    if (c.kMin > c.kMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['kMin'],
        message: `kMin (${c.kMin}) must not exceed kMax (${c.kMax})`,
      });
    }
  });

export type ClusteringConfig = z.infer<typeof clusteringConfigSchema>;

/** Parses clustering settings, reporting every problem with its path. */
export function parseClusteringConfig(input: unknown, source = 'clustering'): ClusteringConfig {
  const result = clusteringConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[source, ...i.path].join('.')}: ${i.message}`);
  throw new ConfigError(`${source} config is invalid:\n  - ${problems.join('\n  - ')}`);
}
