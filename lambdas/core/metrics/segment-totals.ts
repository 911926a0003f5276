import { fromCents, ratioOrNull } from './money.ts';
import { growthRate } from './movement.ts';

/** Running totals of a group of accounts (a segment or the portfolio); money in cents. */
export class SegmentTotals {
  accounts = 0;
  /** Accounts with T12M > 0. */
  activeAccounts = 0;
  revenueCents = 0;
  priorCents = 0;
  periodCents = 0;
  invoices = 0;

  /** Adds one account. */
  add(revenueCents: number, priorCents: number, periodCents: number, invoicesT12m: number): void {
    this.accounts += 1;
    if (revenueCents > 0) this.activeAccounts += 1;
    this.revenueCents += revenueCents;
    this.priorCents += priorCents;
    this.periodCents += periodCents;
    this.invoices += invoicesT12m;
  }
}

/** The averages and growth of a group, each null when undefined (never NaN or Infinity). */
export interface GroupAverages {
  /** T12M / active accounts. */
  readonly arpa: number | null;
  /** Invoices in T12M / accounts. */
  readonly avgFrequency: number | null;
  /** T12M / invoices in T12M. */
  readonly avgTransaction: number | null;
  /** (T12M - prior T12M) / prior T12M; null when prior T12M <= 0. */
  readonly growthYoy: number | null;
}

/** Averages and YoY growth of a group from its totals. */
export function groupAverages(totals: SegmentTotals): GroupAverages {
  const revenue = fromCents(totals.revenueCents);
  return {
    arpa: ratioOrNull(revenue, totals.activeAccounts),
    avgFrequency: ratioOrNull(totals.invoices, totals.accounts),
    avgTransaction: ratioOrNull(revenue, totals.invoices),
    growthYoy: growthRate(totals.revenueCents, totals.priorCents),
  };
}
