import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { type BgNbdModel, expectedTransactionsIfAlive, probabilityAlive } from './bgnbd.ts';
import type { RfmObservation } from './rfm.ts';

/** How CLV is computed; parse with {@link parseClvOptions}. */
export const clvOptionsSchema = z.object({
  /** Months ahead. @default 12 */
  horizonMonths: z.number().int().min(1).max(120).default(12),
  /** Gross margin as a share of revenue, 0..1. @default 1 (revenue, not profit) */
  grossMargin: z.number().min(0).max(1).default(1),
  /** Discount rate per month (e.g. 0.01 for about 12.7% a year). @default 0.01 */
  monthlyDiscountRate: z.number().min(0).max(1).default(0.01),
});

export type ClvOptions = z.infer<typeof clvOptionsSchema>;

/** Parses CLV options; the error names the field and the bad value. */
export function parseClvOptions(input: unknown, source = 'clv options'): ClvOptions {
  const result = clvOptionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** An account's expected value over the horizon. */
export interface ClvEstimate {
  readonly accountId: string;
  /** Expected transactions over the whole horizon (undiscounted). */
  readonly expectedTransactions: number;
  /** Sum over months of discounted expected transactions x expected spend x margin. */
  readonly clv: number;
  readonly horizonMonths: number;
}

/**
 * CLV = sum over months m = 1..H of (E[X(m)] - E[X(m-1)]) x spend x margin / (1 + d)^m, where E[X(m)]
 * is the BG/NBD conditional expectation over the first m months and each month's value is discounted
 * at its end.
 * @param expectedSpend Gamma-Gamma expected average transaction value of the account.
 */
export function customerLifetimeValue(
  model: BgNbdModel,
  history: RfmObservation,
  expectedSpend: number,
  options: ClvOptions,
): ClvEstimate {
  const ifAlive = Array.from({ length: options.horizonMonths }, (_, i) =>
    expectedTransactionsIfAlive(model, history, { value: i + 1, unit: 'months' }),
  );
  const { expectedTransactions, discounted } = discountedTransactions(
    ifAlive,
    probabilityAlive(model, history),
    options.monthlyDiscountRate,
  );
  return {
    accountId: history.accountId,
    expectedTransactions,
    clv: discounted * expectedSpend * options.grossMargin,
    horizonMonths: options.horizonMonths,
  };
}

/**
 * The CLV sum without spend and margin: with E[X(m)] = `ifAlive[m - 1]` x `alive` (the BG/NBD expectation
 * over the first m months), the sum over m of (E[X(m)] - E[X(m-1)]) / (1 + d)^m, and E[X(H)].
 * Split out so that callers can compute `ifAlive` once per (x, T) and share it between accounts.
 */
export function discountedTransactions(
  ifAlive: ArrayLike<number>,
  alive: number,
  monthlyDiscountRate: number,
): { expectedTransactions: number; discounted: number } {
  let previous = 0;
  let discounted = 0;
  for (let m = 1; m <= ifAlive.length; m++) {
    const cumulative = (ifAlive[m - 1] ?? 0) * alive;
    discounted += (cumulative - previous) / (1 + monthlyDiscountRate) ** m;
    previous = cumulative;
  }
  return { expectedTransactions: previous, discounted };
}
