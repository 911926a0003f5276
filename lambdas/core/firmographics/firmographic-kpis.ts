import { analyzePortfolio } from '../analyze-portfolio.ts';
import type { SegmentsConfig } from '../config.ts';
import { assignSegment } from '../metrics/assign-segment.ts';
import { fromCents, ratioOrNull, toCents } from '../metrics/money.ts';
import type { SegmentOverride } from '../overrides/segment-overrides.ts';
import type {
  ClassifiedAccount,
  PortfolioAnalysis,
  PreviousSegment,
  Retention,
  RevenueBridge,
} from '../types.ts';
import type { FirmographicsConfig } from './firmographics-config.ts';
import { regionOf } from './region.ts';
import { sizeBandOf, UNKNOWN } from './size-band.ts';

/** The firmographics every segment KPI is broken down by, in report order. */
export const FIRMOGRAPHIC_DIMENSIONS = ['industry', 'region', 'country', 'size_band'] as const;
export type FirmographicDimension = (typeof FIRMOGRAPHIC_DIMENSIONS)[number];

/** The segment KPIs of one firmographic group (e.g. industry = Retail), for one segment or all of them. */
export interface FirmographicKpi {
  readonly dimension: FirmographicDimension;
  /** The group's value, e.g. `Retail`, `Europe`, `DE`, `Mid-market (50-249)`; `Unknown` when not known. */
  readonly value: string;
  /** The segment, or null for the row of the whole group (all segments). */
  readonly segment: string | null;
  /** The segment's report order (0 = highest bracket); null for the whole-group row. */
  readonly rank: number | null;
  readonly accounts: number;
  readonly activeAccounts: number;
  readonly revenueT12m: number;
  readonly revenuePriorT12m: number;
  readonly revenuePeriod: number;
  /** Share of the group's T12M (the segment mix of the group); 1 for the whole-group row with revenue. */
  readonly revenueShare: number | null;
  /** Share of the segment's T12M across the portfolio (of the portfolio's T12M for the whole-group row). */
  readonly shareOfSegment: number | null;
  readonly arpa: number | null;
  readonly avgFrequency: number | null;
  readonly avgTransaction: number | null;
  readonly growthYoy: number | null;
  readonly retention: Retention;
  readonly bridge: RevenueBridge;
  /** Accounts that moved into / out of the segment; null for the whole-group row. */
  readonly accountsIn: number | null;
  readonly accountsOut: number | null;
}

/** The group an account falls in along one dimension. */
export function firmographicValue(
  account: Pick<ClassifiedAccount, 'industry' | 'country' | 'employeeCount'>,
  dimension: FirmographicDimension,
  config: FirmographicsConfig,
): string {
  switch (dimension) {
    case 'industry':
      return account.industry?.trim() || UNKNOWN;
    case 'country':
      return account.country?.trim().toUpperCase() || UNKNOWN;
    case 'region':
      return regionOf(account.country, config.regions);
    case 'size_band':
      return sizeBandOf(account.employeeCount, config.sizeBands);
  }
}

/** The previous segments the analysis was made with, so a group is classified exactly as the portfolio was. */
function previousSegments(analysis: PortfolioAnalysis): Map<string, PreviousSegment> | undefined {
  if (analysis.migrationBasis !== 'snapshot') return undefined;
  const previous = new Map<string, PreviousSegment>();
  for (const a of analysis.accounts) {
    if (a.previousSegment !== null) {
      previous.set(a.accountId, { segment: a.previousSegment, revenueT12m: a.previousRevenueT12m });
    }
  }
  return previous;
}

/**
 * Accounts whose segment is not the one their revenue gives (sales-team overrides), pinned to it, so a
 * group is analysed with the effective segments the portfolio was.
 */
function pinnedSegments(
  analysis: PortfolioAnalysis,
  segments: SegmentsConfig,
): Map<string, SegmentOverride> | undefined {
  const pinned = new Map<string, SegmentOverride>();
  for (const a of analysis.accounts) {
    if (a.segment === assignSegment(fromCents(toCents(a.revenueT12m)), segments)) continue;
    pinned.set(a.accountId, {
      accountId: a.accountId,
      segment: a.segment,
      reason: 'effective segment of the portfolio analysis',
      setBy: 'revenue-segments',
      expiresOn: analysis.period.end,
    });
  }
  return pinned.size > 0 ? pinned : undefined;
}

function groupBy(
  accounts: readonly ClassifiedAccount[],
  key: (a: ClassifiedAccount) => string,
): Map<string, ClassifiedAccount[]> {
  const groups = new Map<string, ClassifiedAccount[]>();
  for (const a of accounts) {
    const k = key(a);
    const group = groups.get(k);
    if (group) group.push(a);
    else groups.set(k, [a]);
  }
  return groups;
}

/**
 * Every segment KPI of DESIGN §5 (accounts, revenue, share, ARPA, frequency, average transaction, YoY,
 * NRR/GRR/logo retention, revenue bridge, accounts in and out) for each industry, region, country and
 * company size band: one whole-group row, then one row per segment with accounts, in report order.
 * Each group is analysed with the same rules and previous segments as the portfolio, so a group's rows
 * add up to the portfolio's. Groups come largest T12M first (ties by name), `Unknown` last.
 */
export function firmographicKpis(
  analysis: PortfolioAnalysis,
  segments: SegmentsConfig,
  config: FirmographicsConfig,
): FirmographicKpi[] {
  const previous = previousSegments(analysis);
  const pinned = pinnedSegments(analysis, segments);
  const segmentCents = new Map(analysis.segments.map((s) => [s.segment, toCents(s.revenueT12m)]));
  const portfolioCents = toCents(analysis.portfolio.revenueT12m);
  const rows: FirmographicKpi[] = [];
  for (const dimension of FIRMOGRAPHIC_DIMENSIONS) {
    const groups = groupBy(analysis.accounts, (a) => firmographicValue(a, dimension, config));
    const analysed = [...groups].map(([value, accounts]) => ({
      value,
      result: analyzePortfolio(accounts, analysis.period, segments, previous, pinned),
    }));
    analysed.sort(
      (a, b) =>
        Number(a.value === UNKNOWN) - Number(b.value === UNKNOWN) ||
        b.result.portfolio.revenueT12m - a.result.portfolio.revenueT12m ||
        a.value.localeCompare(b.value),
    );
    for (const { value, result } of analysed) {
      const p = result.portfolio;
      const invoices = result.accounts.reduce((n, a) => n + a.invoicesT12m, 0);
      const activeBySegment = new Map<string, number>();
      for (const a of result.accounts) {
        if (a.revenueT12m > 0) activeBySegment.set(a.segment, (activeBySegment.get(a.segment) ?? 0) + 1);
      }
      rows.push({
        dimension,
        value,
        segment: null,
        rank: null,
        accounts: p.accounts,
        activeAccounts: p.activeAccounts,
        revenueT12m: p.revenueT12m,
        revenuePriorT12m: p.revenuePriorT12m,
        revenuePeriod: p.revenuePeriod,
        revenueShare: p.revenueT12m === 0 ? null : 1,
        shareOfSegment: ratioOrNull(toCents(p.revenueT12m), portfolioCents),
        arpa: p.arpa,
        avgFrequency: ratioOrNull(invoices, p.accounts),
        avgTransaction: ratioOrNull(p.revenueT12m, invoices),
        growthYoy: p.growthYoy,
        retention: p.retention,
        bridge: p.bridge,
        accountsIn: null,
        accountsOut: null,
      });
      for (const s of result.segments) {
        if (s.accounts === 0) continue;
        rows.push({
          dimension,
          value,
          segment: s.segment,
          rank: s.rank,
          accounts: s.accounts,
          activeAccounts: activeBySegment.get(s.segment) ?? 0,
          revenueT12m: s.revenueT12m,
          revenuePriorT12m: s.revenuePriorT12m,
          revenuePeriod: s.revenuePeriod,
          revenueShare: p.revenueT12m === 0 ? null : s.revenueShare,
          shareOfSegment: ratioOrNull(toCents(s.revenueT12m), segmentCents.get(s.segment) ?? 0),
          arpa: s.arpa,
          avgFrequency: s.avgFrequency,
          avgTransaction: s.avgTransaction,
          growthYoy: s.growthYoy,
          retention: s.retention,
          bridge: s.bridge,
          accountsIn: s.accountsIn,
          accountsOut: s.accountsOut,
        });
      }
    }
  }
  return rows;
}
