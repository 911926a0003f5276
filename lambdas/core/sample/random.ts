import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** SplitMix32-style finaliser: spreads nearby seeds apart so that seeds 1 and 2 give unrelated streams. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * A seeded random source (pure-rand's xoroshiro128+) with the few distributions the sample book needs.
 * The same seed and stream always give the same sequence, on every platform.
 */
export class SampleRandom {
  private readonly rng: RandomGenerator;
  private spareNormal: number | undefined;

  /** @param stream separates independent sequences drawn from one seed (accounts, lines, ...). */
  constructor(seed: number, stream = 0) {
    this.rng = xoroshiro128plus(mix32(mix32(seed) ^ Math.imul(stream + 1, 0x27d4eb2d)));
    // The first outputs of a freshly seeded xoroshiro still show the seed's bit pattern.
    for (let i = 0; i < 16; i++) this.rng.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma^2)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Poisson count by inversion; meant for the small means used here (a few events at most). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    let k = 0;
    let p = Math.exp(-mean);
    let cumulative = p;
    const u = this.float();
    while (u > cumulative && k < 1000) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An index drawn with probability proportional to `weights[i]` (weights need not sum to 1). */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}
