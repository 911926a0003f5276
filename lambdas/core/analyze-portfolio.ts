import { type SegmentsConfig, segmentOrder } from './config.ts';
import { assignSegment } from './metrics/assign-segment.ts';
import { type ClassifyContext, classifyAccount, openingSegmentOf } from './metrics/classify-account.ts';
import { concentration } from './metrics/concentration.ts';
import { migrationMatrix } from './metrics/migration-matrix.ts';
import { fromCents, ratioOrNull, toCents } from './metrics/money.ts';
import { periodWindows } from './metrics/period-windows.ts';
import { RetentionAccumulator } from './metrics/retention.ts';
import { BridgeLedger, bridgeFromCents, portfolioBridgeCents, postBridge } from './metrics/revenue-bridge.ts';
import { seasonality } from './metrics/seasonality.ts';
import { groupAverages, SegmentTotals } from './metrics/segment-totals.ts';
import { assertValidFeatures } from './metrics/validate-features.ts';
import { type SegmentOverride, withEffectiveSegment } from './overrides/segment-overrides.ts';
import type { Period } from './period.ts';
import type {
  AccountFeatures,
  ClassifiedAccount,
  PortfolioAnalysis,
  PreviousSegment,
  SegmentKpi,
} from './types.ts';

function perSegment<T>(order: readonly string[], make: () => T): Map<string, T> {
  return new Map(order.map((name) => [name, make()]));
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Segments the accounts and computes every segment and portfolio metric of DESIGN §5 for one period.
 *
 * Steps, in one pass over the accounts (plus a sort for concentration):
 * 1. check the features rows (`assertValidFeatures`);
 * 2. classify each account: segment, previous segment, previous T12M, period revenue, YoY growth and
 *    revenue movement (`classifyAccount`);
 * 3. add it to its segment's and the portfolio's totals, to the retention base of the segment it had a
 *    year ago (by prior T12M), to the revenue bridges (`postBridge`), to the accounts moving in and out
 *    of segments, and to the portfolio's revenue per month;
 * 4. build segment KPIs in report order (every configured segment, even empty), portfolio KPIs with
 *    concentration and seasonality, and the migration matrix.
 *
 * Previous segments come from `previous` (the previous snapshot; basis 'snapshot'; an account missing
 * from it has previous segment null) or, when it is undefined, from each account's previous T12M (basis
 * 'derived'). Sales-team `overrides` in force (checked by `checkSegmentOverrides`) replace the computed
 * segment with the effective one before anything is counted, so every segment KPI uses the effective
 * segment (`withEffectiveSegment`). Money is summed in integer cents, so segment revenues add up to the portfolio's and every
 * bridge reconciles to the cent. Undefined ratios are null, never NaN or Infinity.
 * @throws InputContractError when a features row breaks the contract (names the row, account and field).
 */
export function analyzePortfolio(
  features: readonly AccountFeatures[],
  period: Period,
  segments: SegmentsConfig,
  previous?: ReadonlyMap<string, PreviousSegment>,
  overrides?: ReadonlyMap<string, SegmentOverride>,
): PortfolioAnalysis {
  assertValidFeatures(features);
  const order = segmentOrder(segments);
  const windows = periodWindows(period);
  const context: ClassifyContext = { windows, segments, segmentNames: new Set(order), previous };

  const totals = perSegment(order, () => new SegmentTotals());
  const retentions = perSegment(order, () => new RetentionAccumulator());
  const portfolioTotals = new SegmentTotals();
  const portfolioRetention = new RetentionAccumulator();
  const ledger = new BridgeLedger();
  const accountsIn = new Map<string, number>();
  const accountsOut = new Map<string, number>();
  const monthlyCents = new Array<number>(windows.calendarMonths.length).fill(0);
  const positiveRevenue: number[] = [];
  const accounts: ClassifiedAccount[] = [];

  for (const f of features) {
    const classified = classifyAccount(f, context);
    const account = overrides ? withEffectiveSegment(classified, overrides.get(f.accountId)) : classified;
    accounts.push(account);
    const currentCents = toCents(account.revenueT12m);
    const priorCents = toCents(account.revenuePriorT12m);
    const previousCents = toCents(account.previousRevenueT12m);
    const periodCents = toCents(account.revenuePeriod);

    totals.get(account.segment)?.add(currentCents, priorCents, periodCents, account.invoicesT12m);
    portfolioTotals.add(currentCents, priorCents, periodCents, account.invoicesT12m);
    retentions.get(assignSegment(fromCents(priorCents), segments))?.add(priorCents, currentCents);
    portfolioRetention.add(priorCents, currentCents);
    postBridge(
      {
        openingSegment: openingSegmentOf(account.previousSegment, previousCents, context),
        closingSegment: account.segment,
        previousCents,
        currentCents,
        entry: account.movement === 'reactivation' ? 'reactivation' : 'new',
      },
      ledger.post,
    );
    if (account.previousSegment !== account.segment) {
      increment(accountsIn, account.segment);
      if (account.previousSegment !== null) increment(accountsOut, account.previousSegment);
    }
    if (currentCents > 0) positiveRevenue.push(fromCents(currentCents));
    for (let i = 0; i < monthlyCents.length; i++) {
      monthlyCents[i] = (monthlyCents[i] ?? 0) + toCents(f.monthlyRevenue[i] ?? 0);
    }
  }

  const segmentKpis: SegmentKpi[] = order.map((name, rank) => {
    const group = totals.get(name) ?? new SegmentTotals();
    return {
      segment: name,
      rank,
      accounts: group.accounts,
      revenueT12m: fromCents(group.revenueCents),
      revenuePriorT12m: fromCents(group.priorCents),
      revenuePeriod: fromCents(group.periodCents),
      revenueShare: ratioOrNull(group.revenueCents, portfolioTotals.revenueCents) ?? 0,
      ...groupAverages(group),
      retention: (retentions.get(name) ?? new RetentionAccumulator()).result(),
      bridge: bridgeFromCents(ledger.segment(name)),
      accountsIn: accountsIn.get(name) ?? 0,
      accountsOut: accountsOut.get(name) ?? 0,
    };
  });

  const { arpa, growthYoy } = groupAverages(portfolioTotals);
  return {
    period,
    accounts,
    segments: segmentKpis,
    portfolio: {
      accounts: portfolioTotals.accounts,
      activeAccounts: portfolioTotals.activeAccounts,
      revenueT12m: fromCents(portfolioTotals.revenueCents),
      revenuePriorT12m: fromCents(portfolioTotals.priorCents),
      revenuePeriod: fromCents(portfolioTotals.periodCents),
      arpa,
      growthYoy,
      retention: portfolioRetention.result(),
      concentration: concentration(positiveRevenue),
      bridge: bridgeFromCents(portfolioBridgeCents(order.map((name) => ledger.segment(name)))),
      seasonality: seasonality(monthlyCents.map(fromCents), windows.calendarMonths),
    },
    migrations: migrationMatrix(accounts, order),
    migrationBasis: previous ? 'snapshot' : 'derived',
  };
}
