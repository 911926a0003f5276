import { sum } from 'simple-statistics';
import type { Concentration, LorenzPoint } from '../types.ts';

/** Account shares (0..1) at which the Lorenz curve is sampled: every 5% of accounts. */
export const LORENZ_STEPS = 20;

function topShare(prefix: Float64Array, percent: number, total: number): number {
  const n = prefix.length - 1;
  // n * percent is an exact integer, so ceil sees no floating-point residue (30 x 0.1 would).
  const k = Math.min(n, Math.max(1, Math.ceil((n * percent) / 100)));
  return ((prefix[n] ?? 0) - (prefix[n - k] ?? 0)) / total;
}

/**
 * Revenue concentration over accounts with positive revenue (others are ignored): share of the top 1%,
 * 10% and 20% of accounts (ceil(n x pct) accounts, at least one), Gini coefficient, HHI on revenue
 * shares, and the Lorenz curve at 0, 5, ..., 100% of accounts (poorest first), interpolated linearly
 * between accounts. With no positive revenue, shares, Gini and HHI are 0 and the curve is the line of
 * equality.
 */
export function concentration(revenues: Iterable<number>): Concentration {
  const positive: number[] = [];
  for (const r of revenues) if (r > 0) positive.push(r);
  const ascending = Float64Array.from(positive).sort();
  const n = ascending.length;
  const total = n > 0 ? sum(positive) : 0;
  if (n === 0 || total <= 0) {
    return {
      top1Share: 0,
      top10Share: 0,
      top20Share: 0,
      gini: 0,
      hhi: 0,
      lorenz: Array.from({ length: LORENZ_STEPS + 1 }, (_, i) => ({
        accountShare: i / LORENZ_STEPS,
        revenueShare: i / LORENZ_STEPS,
      })),
    };
  }
  const prefix = new Float64Array(n + 1);
  let weighted = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = ascending[i] ?? 0;
    prefix[i + 1] = (prefix[i] ?? 0) + x;
    weighted += (2 * (i + 1) - n - 1) * x;
    squares += (x / total) ** 2;
  }
  const lorenz: LorenzPoint[] = [];
  for (let step = 0; step <= LORENZ_STEPS; step++) {
    const accounts = (step / LORENZ_STEPS) * n;
    const whole = Math.floor(accounts);
    const partial = whole < n ? (accounts - whole) * (ascending[whole] ?? 0) : 0;
    lorenz.push({
      accountShare: step / LORENZ_STEPS,
      revenueShare: step === LORENZ_STEPS ? 1 : ((prefix[whole] ?? 0) + partial) / total,
    });
  }
  return {
    top1Share: topShare(prefix, 1, total),
    top10Share: topShare(prefix, 10, total),
    top20Share: topShare(prefix, 20, total),
    gini: weighted / (n * total),
    hhi: squares,
    lorenz,
  };
}
