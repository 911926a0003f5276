import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Up to `size` distinct indices of `0..n-1`, chosen uniformly with a seeded generator and returned in
 * ascending order; all indices when `n <= size`. Same (n, size, seed), same sample.
 */
export function deterministicSample(n: number, size: number, seed: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  const rng = xoroshiro128plus(seed);
  const pool = Array.from({ length: n }, (_, i) => i);
  // Partial Fisher-Yates: the first `size` slots end up a uniform sample without replacement.
  for (let i = 0; i < size; i++) {
    const j = uniformInt(rng, i, n - 1);
    const picked = pool[j] as number;
    pool[j] = pool[i] as number;
    pool[i] = picked;
  }
  return pool.slice(0, size).sort((a, b) => a - b);
}
