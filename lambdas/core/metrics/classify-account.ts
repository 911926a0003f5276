import type { SegmentsConfig } from '../config.ts';
import type { AccountFeatures, ClassifiedAccount, PreviousSegment } from '../types.ts';
import { assignSegment } from './assign-segment.ts';
import { fromCents, toCents } from './money.ts';
import { classifyMovement, growthRate } from './movement.ts';
import { type PeriodWindows, sumRange } from './period-windows.ts';

/** What classifying one account needs besides its features. */
export interface ClassifyContext {
  readonly windows: PeriodWindows;
  readonly segments: SegmentsConfig;
  /** Configured segment names, to tell a stale snapshot label from a current one. */
  readonly segmentNames: ReadonlySet<string>;
  /** Previous snapshot's segments; undefined when previous segments are derived from the data. */
  readonly previous?: ReadonlyMap<string, PreviousSegment>;
}

/**
 * Previous segment of an account. From the snapshot: its label there, null when the account is missing
 * from it. Derived: the segment of the previous T12M, null for an account whose first invoice came after
 * the previous period's end (a customer new since then).
 */
export function previousSegmentOf(
  features: AccountFeatures,
  previousCents: number,
  context: ClassifyContext,
): string | null {
  if (context.previous) return context.previous.get(features.accountId)?.segment ?? null;
  const firstInvoiceOn = features.firstInvoiceOn;
  if (previousCents === 0 && firstInvoiceOn !== null && firstInvoiceOn > context.windows.previousEnd) {
    return null;
  }
  return assignSegment(fromCents(previousCents), context.segments);
}

/**
 * Segment that holds an account's previous T12M in the revenue bridge: its previous segment when that is
 * configured; otherwise (missing from the snapshot, or a label no longer configured) the segment of its
 * previous T12M, so every account's opening revenue is counted exactly once.
 */
export function openingSegmentOf(
  previousSegment: string | null,
  previousCents: number,
  context: ClassifyContext,
): string {
  if (previousSegment !== null && context.segmentNames.has(previousSegment)) return previousSegment;
  return assignSegment(fromCents(previousCents), context.segments);
}

/**
 * Adds segment, previous segment, period revenue, growth and revenue movement to one account's features.
 * Revenue is taken to the cent first, so the segment, the movement and the bridge all see the same amounts.
 */
export function classifyAccount(features: AccountFeatures, context: ClassifyContext): ClassifiedAccount {
  const { windows, segments } = context;
  const monthly = features.monthlyRevenue;
  const currentCents = toCents(features.revenueT12m);
  const previousCents = toCents(sumRange(monthly, windows.previousT12mFrom, windows.previousT12mTo));
  const segment = assignSegment(fromCents(currentCents), segments);
  const previousSegment = previousSegmentOf(features, previousCents, context);
  const movement = classifyMovement(
    { previousCents, currentCents, firstInvoiceOn: features.firstInvoiceOn },
    windows.t12mStart,
  );
  // Listing the fields (instead of spreading) gives every account one object shape; spreading 200k
  // objects was several times slower.
  return {
    accountId: features.accountId,
    accountName: features.accountName,
    ownerEmail: features.ownerEmail,
    ownerName: features.ownerName,
    industry: features.industry,
    country: features.country,
    employeeCount: features.employeeCount,
    createdOn: features.createdOn,
    lastReviewOn: features.lastReviewOn ?? null,
    revenueT12m: features.revenueT12m,
    revenuePriorT12m: features.revenuePriorT12m,
    invoicesT12m: features.invoicesT12m,
    invoicesPriorT12m: features.invoicesPriorT12m,
    firstInvoiceOn: features.firstInvoiceOn,
    lastInvoiceOn: features.lastInvoiceOn,
    recencyDays: features.recencyDays,
    tenureDays: features.tenureDays,
    monthlyRevenue: features.monthlyRevenue,
    segment,
    previousSegment,
    previousRevenueT12m: fromCents(previousCents),
    revenuePeriod: fromCents(toCents(sumRange(monthly, windows.periodFrom, monthly.length))),
    growthYoy: growthRate(features.revenueT12m, features.revenuePriorT12m),
    movement,
    movementAmount: fromCents(currentCents - previousCents),
    bridgeSegment: movement === 'churn' ? openingSegmentOf(previousSegment, previousCents, context) : segment,
  };
}
