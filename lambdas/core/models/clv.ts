import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { type BgNbdModel, expectedTransactions } from './bgnbd.ts';
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
  let previous = 0;
  let discounted = 0;
  for (let m = 1; m <= options.horizonMonths; m++) {
    const cumulative = expectedTransactions(model, history, { value: m, unit: 'months' });
    discounted += (cumulative - previous) / (1 + options.monthlyDiscountRate) ** m;
    previous = cumulative;
  }
  return {
    accountId: history.accountId,
    expectedTransactions: previous,
    clv: discounted * expectedSpend * options.grossMargin,
    horizonMonths: options.horizonMonths,
  };
}
