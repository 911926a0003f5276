/** One account's model outputs for the next period. */
export interface AccountForecastInput {
  readonly segment: string;
  /** BG/NBD expected transactions in the next period. */
  readonly expectedTransactions: number;
  /** Gamma-Gamma expected average transaction value; null when the spend model has none. */
  readonly expectedSpend: number | null;
}

/** Forecast next-period revenue of one segment. */
export interface SegmentForecast {
  readonly segment: string;
  readonly accounts: number;
  readonly expectedTransactions: number;
  /** Sum of expected transactions x expected spend over accounts with a spend estimate. */
  readonly expectedRevenue: number;
  /** Accounts left out of expectedRevenue for lack of a spend estimate. */
  readonly accountsWithoutSpend: number;
}

/**
 * Next-period revenue per segment: the sum over its accounts of expected transactions x expected spend.
 * Segments come out in `order` when given (others after, alphabetically), else alphabetically.
 */
export function forecastRevenueBySegment(
  accounts: readonly AccountForecastInput[],
  order: readonly string[] = [],
): SegmentForecast[] {
  const bySegment = new Map<string, { accounts: number; tx: number; revenue: number; missing: number }>();
  for (const a of accounts) {
    const s = bySegment.get(a.segment) ?? { accounts: 0, tx: 0, revenue: 0, missing: 0 };
    s.accounts++;
    s.tx += a.expectedTransactions;
    if (a.expectedSpend === null) s.missing++;
    else s.revenue += a.expectedTransactions * a.expectedSpend;
    bySegment.set(a.segment, s);
  }
  const rank = (segment: string): number => {
    const i = order.indexOf(segment);
    return i < 0 ? order.length : i;
  };
  return [...bySegment.entries()]
    .sort(([p], [q]) => rank(p) - rank(q) || p.localeCompare(q))
    .map(([segment, s]) => ({
      segment,
      accounts: s.accounts,
      expectedTransactions: s.tx,
      expectedRevenue: s.revenue,
      accountsWithoutSpend: s.missing,
    }));
}
