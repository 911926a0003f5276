import { analyzePortfolio } from '../analyze-portfolio.ts';
import type { SegmentsConfig } from '../config.ts';
import { assignSegment } from '../metrics/assign-segment.ts';
import { fromCents, ratioOrNull, toCents } from '../metrics/money.ts';
import { estimateWallet, type GrowthPotentialConfig } from '../models/growth-potential.ts';
import type { SegmentOverride } from '../overrides/segment-overrides.ts';
import type {
  ClassifiedAccount,
  PortfolioAnalysis,
  PreviousSegment,
  Retention,
  RevenueBridge,
} from '../types.ts';
import { industryKey, industryOf, UNKNOWN } from './firmographic-profile.ts';
import type { FirmographicsConfig } from './firmographics-config.ts';
import { regionOf } from './region.ts';
import { sizeBandOf } from './size-band.ts';

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
  /**
   * Sum of the estimated wallets (employees x spend per employee of the industry, as growth potential
   * estimates them) of the accounts with an employee count; null when none has one or no assumptions given.
   */
  readonly estimatedWallet: number | null;
  /**
   * The share of that wallet not captured yet: 1 - sum(min(T12M, wallet)) / sum(wallet) over those accounts,
   * i.e. the wallet-weighted mean of their growth-potential headroom; null with the wallet.
   */
  readonly headroom: number | null;
}

/** Wallet and headroom of some accounts (see FirmographicKpi); both null without a wallet. */
function walletOf(
  accounts: readonly ClassifiedAccount[],
  growth: GrowthPotentialConfig | undefined,
): Pick<FirmographicKpi, 'estimatedWallet' | 'headroom'> {
  if (!growth) return { estimatedWallet: null, headroom: null };
  let wallet = 0;
  let captured = 0;
  for (const a of accounts) {
    const estimate = estimateWallet(a.industry, a.employeeCount, growth);
    if (estimate === null) continue;
    wallet += estimate.wallet;
    captured += Math.min(Math.max(0, a.revenueT12m), estimate.wallet);
  }
  return wallet > 0
    ? { estimatedWallet: wallet, headroom: 1 - captured / wallet }
    : { estimatedWallet: null, headroom: null };
}

/**
 * The group an account falls in along one dimension. Industries compare case-insensitively (`industryKey`, as
 * the growth-potential wallet does): the key is lower-case here, and `firmographicKpis` labels the group with
 * its most common spelling.
 */
export function firmographicValue(
  account: Pick<ClassifiedAccount, 'industry' | 'country' | 'employeeCount'>,
  dimension: FirmographicDimension,
  config: FirmographicsConfig,
): string {
  switch (dimension) {
    case 'industry':
      return industryKey(account.industry) ?? UNKNOWN;
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

/** Each industry key's label: its most common spelling among the accounts, ties to the first alphabetically. */
function industryLabels(accounts: readonly ClassifiedAccount[]): Map<string, string> {
  const spellings = new Map<string, Map<string, number>>();
  for (const a of accounts) {
    const spelling = industryOf(a.industry);
    const key = industryKey(a.industry);
    if (spelling === null || key === null) continue;
    const counts = spellings.get(key) ?? new Map<string, number>();
    counts.set(spelling, (counts.get(spelling) ?? 0) + 1);
    spellings.set(key, counts);
  }
  const labels = new Map<string, string>();
  for (const [key, counts] of spellings) {
    const [label] = [...counts].sort((p, q) => q[1] - p[1] || p[0].localeCompare(q[0]))[0] ?? [key];
    labels.set(key, label);
  }
  return labels;
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
 * company size band: one whole-group row, then one row per segment with accounts, in report order. With
 * the growth-potential assumptions, each row also has the group's estimated wallet and headroom.
 * Each group is analysed with the same rules and previous segments as the portfolio, so a group's rows
 * add up to the portfolio's. Groups come largest T12M first (ties by name), `Unknown` last.
 */
export function firmographicKpis(
  analysis: PortfolioAnalysis,
  segments: SegmentsConfig,
  config: FirmographicsConfig,
  growth?: GrowthPotentialConfig,
): FirmographicKpi[] {
  const previous = previousSegments(analysis);
  const pinned = pinnedSegments(analysis, segments);
  const segmentCents = new Map(analysis.segments.map((s) => [s.segment, toCents(s.revenueT12m)]));
  const portfolioCents = toCents(analysis.portfolio.revenueT12m);
  const industries = industryLabels(analysis.accounts);
  const rows: FirmographicKpi[] = [];
  for (const dimension of FIRMOGRAPHIC_DIMENSIONS) {
    const groups = groupBy(analysis.accounts, (a) => firmographicValue(a, dimension, config));
    const analysed = [...groups].map(([key, accounts]) => ({
      value: dimension === 'industry' ? (industries.get(key) ?? key) : key,
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
        ...walletOf(result.accounts, growth),
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
          ...walletOf(
            result.accounts.filter((a) => a.segment === s.segment),
            growth,
          ),
        });
      }
    }
  }
  return rows;
}
