import betaRandom from '@stdlib/random-base-beta';
import gammaRandom from '@stdlib/random-base-gamma';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { BgNbdParams } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';
import type { RfmObservation } from './rfm.ts';

/** What to simulate; times are in one (unstated) time unit shared by the parameters and ages. */
export interface SimulationSpec {
  readonly accounts: number;
  readonly bgNbd: BgNbdParams;
  /** When given, each repeat customer also gets an average transaction value. */
  readonly gammaGamma?: GammaGammaParams;
  /** Ages T are drawn uniformly from [minAge, maxAge] (accounts acquired at different times). */
  readonly minAge: number;
  readonly maxAge: number;
  /** Length of a hold-out window after T in which future transactions are also counted. @default 0 */
  readonly holdout?: number;
  readonly seed: number;
}

/** A simulated account: its observed summary plus the truth the model cannot see. */
export interface SimulatedAccount extends RfmObservation {
  /** Mean repeat transaction value (0 without repeats or without a spend model). */
  readonly averageValue: number;
  /** Transactions in the hold-out window (T, T + holdout]. */
  readonly holdoutTransactions: number;
  /** Whether the account was still alive at T. */
  readonly aliveAtEnd: boolean;
}

/**
 * Draws accounts from BG/NBD (and optionally Gamma-Gamma) with a seeded generator: purchase rate
 * lambda ~ Gamma(r, alpha), dropout p ~ Beta(a, b); after each repeat purchase the account drops out
 * with probability p. Reproducible for a given spec (same seed, same accounts).
 */
export function simulateAccounts(spec: SimulationSpec): SimulatedAccount[] {
  const rng = xoroshiro128plus(spec.seed);
  const uniform = (): number => uniformFloat64(rng);
  const gamma = gammaRandom.factory({ prng: uniform });
  const beta = betaRandom.factory({ prng: uniform });
  const exponential = (rate: number): number => -Math.log1p(-uniform()) / rate;
  const { r, alpha, a, b } = spec.bgNbd;
  const holdout = spec.holdout ?? 0;
  const out: SimulatedAccount[] = [];
  for (let i = 0; i < spec.accounts; i++) {
    const age = spec.minAge + (spec.maxAge - spec.minAge) * uniform();
    const lambda = gamma(r, alpha);
    const dropout = beta(a, b);
    let time = 0;
    let frequency = 0;
    let recency = 0;
    let holdoutTransactions = 0;
    let alive = true;
    let aliveAtEnd = true;
    while (alive) {
      time += exponential(lambda);
      if (time > age + holdout) break;
      if (time <= age) {
        frequency++;
        recency = time;
      } else holdoutTransactions++;
      if (uniform() < dropout) {
        alive = false;
        if (time <= age) aliveAtEnd = false;
      }
    }
    let averageValue = 0;
    if (spec.gammaGamma && frequency > 0) {
      const { p, q, v } = spec.gammaGamma;
      const nu = gamma(q, v);
      averageValue = gamma(p * frequency, nu * frequency);
    }
    out.push({
      accountId: `sim-${i + 1}`,
      frequency,
      recency,
      age,
      averageValue,
      holdoutTransactions,
      aliveAtEnd,
    });
  }
  return out;
}
