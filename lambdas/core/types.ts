import type { Period } from './period.ts';

/** Number of monthly revenue buckets the features query returns (enough for prior-period T12M of a quarter). */
export const MONTHLY_WINDOW = 24;

/** One account's features at a period's end, as computed by `sql/account_features.sql`. */
export interface AccountFeatures {
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerEmail: string;
  readonly ownerName: string;
  readonly industry: string | null;
  readonly country: string | null;
  readonly employeeCount: number | null;
  readonly createdOn: string | null;
  /**
   * When the account was last reviewed, from the optional `last_reviewed_on` column of accounts; the resource
   * plan counts the next review from it (else from the account's anniversary). Absent or null when unknown.
   */
  readonly lastReviewOn?: string | null;
  /** Net revenue over the 12 months ending at the period's end. */
  readonly revenueT12m: number;
  /** Net revenue over the 12 months before that. */
  readonly revenuePriorT12m: number;
  /** Distinct invoices in T12M / in the prior window. */
  readonly invoicesT12m: number;
  readonly invoicesPriorT12m: number;
  /** First and last invoice date on or before the period's end (ISO), null when none. */
  readonly firstInvoiceOn: string | null;
  readonly lastInvoiceOn: string | null;
  /** Days from the last invoice to the period's end. */
  readonly recencyDays: number | null;
  /** Days from the first invoice to the period's end. */
  readonly tenureDays: number | null;
  /**
   * Net revenue per calendar month for the MONTHLY_WINDOW months ending with the period's last month,
   * oldest first; a month with no invoice is 0, never missing.
   */
  readonly monthlyRevenue: readonly number[];
}

/** How an account's T12M moved from the previous period's end to this period's end. */
export type RevenueMovement =
  | 'new'
  | 'expansion'
  | 'contraction'
  | 'churn'
  | 'reactivation'
  | 'unchanged'
  | 'inactive';

export interface ClassifiedAccount extends AccountFeatures {
  /** Segment by T12M at the period's end. */
  readonly segment: string;
  /** Segment at the previous period's end (from the previous snapshot when there is one), null if unknown. */
  readonly previousSegment: string | null;
  /** T12M at the previous period's end. */
  readonly previousRevenueT12m: number;
  /** Net revenue inside the period itself (the month or the quarter). */
  readonly revenuePeriod: number;
  /** (T12M - prior T12M) / prior T12M; null when prior T12M <= 0. */
  readonly growthYoy: number | null;
  readonly movement: RevenueMovement;
  /** T12M minus previous-period T12M. */
  readonly movementAmount: number;
  /** Segment the movement is counted in: the current one, except churned accounts stay in their last revenue segment. */
  readonly bridgeSegment: string;
}

/** Revenue bridge from the previous period's T12M (opening) to this period's (closing). */
export interface RevenueBridge {
  readonly opening: number;
  readonly new: number;
  readonly expansion: number;
  /** Negative or zero. */
  readonly contraction: number;
  /** Negative or zero. */
  readonly churn: number;
  readonly reactivation: number;
  /** Revenue of accounts that moved into this segment from another (at their previous T12M). */
  readonly transfersIn: number;
  /** Revenue of accounts that moved out of this segment (at their previous T12M), negative or zero. */
  readonly transfersOut: number;
  readonly closing: number;
}

export interface Retention {
  /** Null when the base (prior-window revenue) is zero. */
  readonly nrr: number | null;
  readonly grr: number | null;
  readonly logoRetention: number | null;
  /** Accounts active in the prior window: the base of all three. */
  readonly baseAccounts: number;
  readonly baseRevenue: number;
}

export interface SegmentKpi {
  readonly segment: string;
  /** Position in report order, 0 = highest bracket. */
  readonly rank: number;
  readonly accounts: number;
  readonly revenueT12m: number;
  readonly revenuePriorT12m: number;
  readonly revenuePeriod: number;
  readonly revenueShare: number;
  /** Null for a segment without accounts. */
  readonly arpa: number | null;
  readonly avgFrequency: number | null;
  readonly avgTransaction: number | null;
  readonly growthYoy: number | null;
  /** Retention of the accounts that were in this segment a year ago (by prior T12M). */
  readonly retention: Retention;
  readonly bridge: RevenueBridge;
  readonly accountsIn: number;
  readonly accountsOut: number;
}

export interface LorenzPoint {
  readonly accountShare: number;
  readonly revenueShare: number;
}

export interface Concentration {
  readonly top1Share: number;
  readonly top10Share: number;
  readonly top20Share: number;
  readonly gini: number;
  /** Herfindahl-Hirschman index on revenue shares, 0..1 (x10,000 for the antitrust scale). */
  readonly hhi: number;
  readonly lorenz: readonly LorenzPoint[];
}

export interface SeasonalityPoint {
  /** Calendar month 1..12. */
  readonly month: number;
  /** Mean revenue in that calendar month / mean monthly revenue; 1 = average. */
  readonly index: number;
}

export interface PortfolioKpis {
  readonly accounts: number;
  readonly activeAccounts: number;
  readonly revenueT12m: number;
  readonly revenuePriorT12m: number;
  readonly revenuePeriod: number;
  readonly arpa: number | null;
  readonly growthYoy: number | null;
  readonly retention: Retention;
  readonly concentration: Concentration;
  readonly bridge: RevenueBridge;
  readonly seasonality: readonly SeasonalityPoint[];
}

export interface MigrationCell {
  readonly fromSegment: string;
  readonly toSegment: string;
  readonly accounts: number;
  readonly revenueT12m: number;
  readonly previousRevenueT12m: number;
}

/** Everything the core computes for one period, ready for the snapshot and the reports. */
export interface PortfolioAnalysis {
  readonly period: Period;
  readonly accounts: readonly ClassifiedAccount[];
  readonly segments: readonly SegmentKpi[];
  readonly portfolio: PortfolioKpis;
  readonly migrations: readonly MigrationCell[];
  /** Where previous segments came from: the previous snapshot, or derived from data when there was none. */
  readonly migrationBasis: 'snapshot' | 'derived';
}

/** Previous period's segment per account, read from its snapshot. */
export interface PreviousSegment {
  readonly segment: string;
  readonly revenueT12m: number;
}
