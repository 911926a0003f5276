import { quantileSorted } from 'simple-statistics';
import { ratioOrNull } from '../metrics/money.ts';
import { daysBetween } from '../period.ts';
import type { Opportunity } from './opportunities.ts';

/** A window of whole days, both ends inclusive (ISO dates). */
export interface DateWindow {
  readonly start: string;
  readonly end: string;
}

/** Conversion, sales cycle and pipeline of a group of opportunities over one window. */
export interface OpportunityMetrics {
  /** Opportunities won / lost with `closedOn` in the window. */
  readonly won: number;
  readonly lost: number;
  /** won / (won + lost); null when none closed in the window. */
  readonly conversionRate: number | null;
  /** Sum of the amounts won in the window. */
  readonly wonAmount: number;
  /** Median and 75th percentile of the days from created_on to closed_on of the opportunities won in the window. */
  readonly cycleMedianDays: number | null;
  readonly cycleP75Days: number | null;
  /** Opportunities open at the window's end (created by then, not won or lost by then) and their amounts. */
  readonly openCount: number;
  readonly openAmount: number;
}

/** Whether `date` falls in the window. */
export function inWindow(date: string | null, window: DateWindow): boolean {
  return date !== null && date >= window.start && date <= window.end;
}

/** Whether the opportunity was open at the end of `date`: created by then and not won or lost by then. */
export function isOpenAt(o: Opportunity, date: string): boolean {
  return o.createdOn <= date && (o.stage === 'open' || o.closedOn === null || o.closedOn > date);
}

/**
 * The p-quantile of the values with linear interpolation between order statistics (Hyndman-Fan type 7, the
 * default of R and NumPy; simple-statistics' `quantileSorted`); null for no values.
 */
export function quantileType7(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/**
 * Conversion rate (won / closed), sales cycle (median and p75 days, won) and open pipeline of `opportunities`
 * over `window`. An opportunity counts as closed in the window when it is won or lost with `closedOn` in it;
 * it is open at the window's end when it was created by then and is still open, or was won or lost after it
 * (so a rerun of a past period sees the pipeline as it was). Money is summed in cents.
 */
export function opportunityMetrics(
  opportunities: readonly Opportunity[],
  window: DateWindow,
): OpportunityMetrics {
  let won = 0;
  let lost = 0;
  let wonCents = 0;
  let openCount = 0;
  let openCents = 0;
  const cycles: number[] = [];
  for (const o of opportunities) {
    if (o.createdOn > window.end) continue;
    if (isOpenAt(o, window.end)) {
      openCount += 1;
      openCents += Math.round(o.amount * 100);
      continue;
    }
    if (!inWindow(o.closedOn, window)) continue;
    if (o.stage === 'won') {
      won += 1;
      wonCents += Math.round(o.amount * 100);
      cycles.push(daysBetween(o.createdOn, o.closedOn as string));
    } else {
      lost += 1;
    }
  }
  return {
    won,
    lost,
    conversionRate: ratioOrNull(won, won + lost),
    wonAmount: wonCents / 100,
    cycleMedianDays: quantileType7(cycles, 0.5),
    cycleP75Days: quantileType7(cycles, 0.75),
    openCount,
    openAmount: openCents / 100,
  };
}

/** What the cost metrics of one segment over one window are computed from. */
export interface SegmentEconomicsInput {
  /** Net revenue of the segment's accounts in the window. */
  readonly revenue: number;
  /** Acquisition and service costs in the window (the segment's own and its accounts'). */
  readonly acquisitionCost: number;
  readonly costToServe: number;
  /** Accounts of the segment whose first invoice falls in the window. */
  readonly newAccounts: number;
  /** T12M revenue, service costs and active accounts (T12M > 0) of the segment, the basis of CAC payback. */
  readonly revenueT12m: number;
  readonly costToServeT12m: number;
  readonly activeAccounts: number;
  /** Gross margin as a share of revenue, 0..1 (config `models.clv.grossMargin`). */
  readonly grossMargin: number;
}

/** CAC, cost to serve, gross profit, profitability, ROI and CAC payback of one segment over one window. */
export interface SegmentEconomics {
  readonly revenue: number;
  readonly newAccounts: number;
  readonly acquisitionCost: number;
  /** acquisitionCost / newAccounts; null without new accounts. */
  readonly cac: number | null;
  readonly costToServe: number;
  /** revenue x grossMargin. */
  readonly grossProfit: number;
  /** grossProfit - costToServe - acquisitionCost: what the segment earns after the costs it causes. */
  readonly profit: number;
  /** profit / revenue; null without revenue. */
  readonly profitMargin: number | null;
  /** profit / (costToServe + acquisitionCost); null without costs. */
  readonly roi: number | null;
  /**
   * Months of a typical account's gross profit after service costs that pay back the CAC:
   * cac / ((revenueT12m x grossMargin - costToServeT12m) / activeAccounts / 12). Null without a CAC, and
   * null when an account's monthly gross profit after service costs is not positive (it never pays back).
   */
  readonly cacPaybackMonths: number | null;
}

/** The cost metrics of one segment over one window (see `SegmentEconomics` for each definition). */
export function segmentEconomics(input: SegmentEconomicsInput): SegmentEconomics {
  const grossProfit = input.revenue * input.grossMargin;
  const profit = grossProfit - input.costToServe - input.acquisitionCost;
  const cac = ratioOrNull(input.acquisitionCost, input.newAccounts);
  const monthlyContribution = ratioOrNull(
    input.revenueT12m * input.grossMargin - input.costToServeT12m,
    input.activeAccounts * 12,
  );
  return {
    revenue: input.revenue,
    newAccounts: input.newAccounts,
    acquisitionCost: input.acquisitionCost,
    cac,
    costToServe: input.costToServe,
    grossProfit,
    profit,
    profitMargin: ratioOrNull(profit, input.revenue),
    roi: ratioOrNull(profit, input.costToServe + input.acquisitionCost),
    cacPaybackMonths:
      cac !== null && monthlyContribution !== null && monthlyContribution > 0
        ? cac / monthlyContribution
        : null,
  };
}
