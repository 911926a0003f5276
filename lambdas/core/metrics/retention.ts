import type { Retention } from '../types.ts';
import { fromCents, ratioOrNull, toCents } from './money.ts';

/** Adds up NRR, GRR and logo retention over the accounts active in the prior window (amounts in cents). */
export class RetentionAccumulator {
  #baseAccounts = 0;
  #retainedAccounts = 0;
  #baseCents = 0;
  #currentCents = 0;
  #grossRetainedCents = 0;

  /** Adds one account; it joins the base only when its prior-window revenue is positive. */
  add(priorCents: number, currentCents: number): void {
    if (priorCents <= 0) return;
    this.#baseAccounts += 1;
    this.#baseCents += priorCents;
    this.#currentCents += currentCents;
    this.#grossRetainedCents += Math.min(Math.max(currentCents, 0), priorCents);
    if (currentCents > 0) this.#retainedAccounts += 1;
  }

  /**
   * NRR = their T12M / their prior T12M; GRR = sum of min(max(T12M, 0), prior T12M) / prior T12M;
   * logo retention = share of them with T12M > 0. All null when the base is empty.
   */
  result(): Retention {
    return {
      nrr: ratioOrNull(this.#currentCents, this.#baseCents),
      grr: ratioOrNull(this.#grossRetainedCents, this.#baseCents),
      logoRetention: ratioOrNull(this.#retainedAccounts, this.#baseAccounts),
      baseAccounts: this.#baseAccounts,
      baseRevenue: fromCents(this.#baseCents),
    };
  }
}

/** Retention (DESIGN §5) of a set of accounts: the base is those with positive prior-window revenue. */
export function retention(
  accounts: Iterable<{ readonly revenuePriorT12m: number; readonly revenueT12m: number }>,
): Retention {
  const accumulator = new RetentionAccumulator();
  for (const a of accounts) accumulator.add(toCents(a.revenuePriorT12m), toCents(a.revenueT12m));
  return accumulator.result();
}
