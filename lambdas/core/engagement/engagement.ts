import type { ChurnRisk, RiskLevel } from '../models/churn-risk.ts';

/** Name of the optional activities input (issue 8). */
export const ACTIVITIES_TABLE = 'activities';
/** Columns the `activities` input must have; `count` is optional per row (empty = one event). */
export const ACTIVITY_COLUMNS = ['account_id', 'occurred_on', 'kind', 'count'] as const;
/** Shown wherever a number needs the activities input and the run had none. */
export const ENGAGEMENT_NOT_AVAILABLE = `not available: needs ${ACTIVITIES_TABLE}`;

/** One account's activity at the period end, as `sql/account_activity.sql` returns it. */
export interface AccountActivity {
  readonly accountId: string;
  /** Events in the 3 months ending at the period end. */
  readonly recentEvents: number;
  /** Events in the 12 months before those 3. */
  readonly baselineEvents: number;
}

export type EngagementLevel = 'high' | 'medium' | 'low' | 'none';

/** An account's engagement: recent activity against its own history and against its segment, in words. */
export interface AccountEngagement {
  readonly accountId: string;
  readonly segment: string;
  readonly recentEvents: number;
  /** Baseline events per quarter: the 12 months before the recent quarter, divided by 4. */
  readonly baselinePerQuarter: number;
  /** Recent / baseline per quarter; null without a baseline. */
  readonly trend: number | null;
  /** Median recent events of the accounts in the same segment (accounts without activity count as 0). */
  readonly segmentMedian: number;
  /** Mid-rank percentile of recent events within the segment, 0..1. */
  readonly segmentPercentile: number;
  /** 0..1: half from the trend (1x = 0.5, 2x or more = 1), half from the segment percentile. */
  readonly score: number;
  readonly level: EngagementLevel;
  /** True when recent activity is at most half of the account's own usual quarter (with a usual >= 2 events). */
  readonly falling: boolean;
  readonly reason: string;
}

/** Engagement of every account of a run, by account id. */
export type EngagementByAccount = ReadonlyMap<string, AccountEngagement>;

/** A falling account's trend is at most this share of its own usual quarter. */
export const FALLING_TREND = 0.5;
/** Below this many baseline events a quarter, a fall is noise, not a signal. */
const MIN_BASELINE_FOR_FALL = 2;

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** How many values of ascending `sorted` are below `value` (`orEqual`: at most `value`), by binary search. */
function countBelow(sorted: readonly number[], value: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v < value || (orEqual && v === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Mid-rank percentile of `value` in ascending `sorted`: (below + equal / 2) / n. */
function percentile(sorted: readonly number[], value: number): number {
  if (sorted.length === 0) return 0;
  const below = countBelow(sorted, value, false);
  const equal = countBelow(sorted, value, true) - below;
  return (below + equal / 2) / sorted.length;
}

function levelOf(score: number, hasActivity: boolean): EngagementLevel {
  if (!hasActivity) return 'none';
  if (score >= 2 / 3) return 'high';
  return score >= 1 / 3 ? 'medium' : 'low';
}

function round1(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * Engagement per account (issue 8): recent activity (3 months) against the account's own usual quarter
 * (the 12 months before, / 4) and against the other accounts of its segment. The score is half trend
 * (recent / usual, mapped 0..2x onto 0..1; an account with activity but no history scores 1, one with
 * neither 0) and half the account's mid-rank percentile of recent activity in its segment. Levels: high
 * from 2/3, medium from 1/3, low below, none without any activity in 15 months. Every account of
 * `accounts` gets an entry (no activity = zeros).
 */
export function assessEngagement(
  accounts: readonly { readonly accountId: string; readonly segment: string }[],
  activity: readonly AccountActivity[],
): Map<string, AccountEngagement> {
  const byId = new Map(activity.map((a) => [a.accountId, a]));
  const recentBySegment = new Map<string, number[]>();
  for (const account of accounts) {
    const list = recentBySegment.get(account.segment) ?? [];
    list.push(byId.get(account.accountId)?.recentEvents ?? 0);
    recentBySegment.set(account.segment, list);
  }
  const medians = new Map<string, number>();
  for (const [segment, list] of recentBySegment) {
    list.sort((a, b) => a - b);
    medians.set(segment, median(list));
  }

  const result = new Map<string, AccountEngagement>();
  for (const account of accounts) {
    const a = byId.get(account.accountId);
    const recent = a?.recentEvents ?? 0;
    const baseline = (a?.baselineEvents ?? 0) / 4;
    const trend = baseline > 0 ? recent / baseline : null;
    const trendScore = trend === null ? (recent > 0 ? 1 : 0) : Math.min(1, trend / 2);
    const peers = recentBySegment.get(account.segment) ?? [];
    const segmentMedian = medians.get(account.segment) ?? 0;
    const segmentPercentile = percentile(peers, recent);
    const score = 0.5 * trendScore + 0.5 * segmentPercentile;
    const falling = trend !== null && baseline >= MIN_BASELINE_FOR_FALL && trend <= FALLING_TREND;
    const own =
      trend === null
        ? recent > 0
          ? 'no activity in the year before'
          : 'no activity in 15 months'
        : `usually ${round1(baseline)} a quarter (${trend >= 1 ? `${round1(trend)}x` : `down ${Math.round((1 - trend) * 100)}%`})`;
    result.set(account.accountId, {
      accountId: account.accountId,
      segment: account.segment,
      recentEvents: recent,
      baselinePerQuarter: baseline,
      trend,
      segmentMedian,
      segmentPercentile,
      score,
      level: levelOf(score, recent > 0 || baseline > 0),
      falling,
      reason: `${recent} activities in the last 3 months, ${own}; ${account.segment} median ${round1(segmentMedian)}`,
    });
  }
  return result;
}

const STEP_UP: Readonly<Record<RiskLevel, RiskLevel>> = {
  none: 'low',
  low: 'medium',
  medium: 'high',
  high: 'high',
};

/** An account's engagement in words, level first: `low engagement: 1 activities in the last 3 months, ...`. */
export function describeEngagement(engagement: AccountEngagement): string {
  return `${engagement.level} engagement: ${engagement.reason}`;
}

/**
 * Adds engagement to an account's churn risk. When the account still has revenue and its recent activity
 * fell to at most half its usual quarter, the level goes one step up (none to low ... medium to high) and the
 * reason says so in words. An account at risk for other reasons gets its engagement level added to the reason,
 * so whoever acts on it sees how engaged the account still is. Otherwise the risk is returned unchanged.
 */
export function withEngagementRisk(
  risk: ChurnRisk,
  engagement: AccountEngagement | undefined,
  revenueT12m: number,
): ChurnRisk {
  if (!engagement || revenueT12m <= 0) return risk;
  if (engagement.falling && engagement.trend !== null) {
    const text = `engagement down ${Math.round((1 - engagement.trend) * 100)}% (${engagement.recentEvents} activities in the last 3 months, usually ${round1(engagement.baselinePerQuarter)})`;
    return {
      ...risk,
      level: STEP_UP[risk.level],
      reason: risk.signals.length > 0 ? `${risk.reason}; ${text}` : text,
      revenueAtRisk: revenueT12m,
    };
  }
  if (risk.level === 'none') return risk;
  return { ...risk, reason: `${risk.reason}; ${describeEngagement(engagement)}` };
}

/** Engagement of one segment: accounts per level, those falling and their revenue. */
export interface SegmentEngagement {
  readonly segment: string;
  readonly accounts: number;
  readonly levels: Readonly<Record<EngagementLevel, number>>;
  /** Accounts with revenue whose recent activity fell to at most half their usual quarter. */
  readonly falling: number;
  readonly fallingRevenueT12m: number;
  /** Median recent (3-month) activities of the segment's accounts, those without activity as 0. */
  readonly medianRecentEvents: number;
}

/**
 * Engagement per segment in `order` (segments not in `order` follow in order of appearance): how many
 * accounts are at each level, how many with revenue are falling and the T12M revenue they carry.
 */
export function summarizeEngagement(
  accounts: readonly { readonly accountId: string; readonly segment: string; readonly revenueT12m: number }[],
  engagement: EngagementByAccount,
  order: readonly string[],
): SegmentEngagement[] {
  const bySegment = new Map<string, (typeof accounts)[number][]>(order.map((s) => [s, []]));
  for (const a of accounts) {
    const members = bySegment.get(a.segment);
    if (members) members.push(a);
    else bySegment.set(a.segment, [a]);
  }
  return [...bySegment].map(([segment, members]) => {
    const levels: Record<EngagementLevel, number> = { high: 0, medium: 0, low: 0, none: 0 };
    let falling = 0;
    let fallingCents = 0;
    const recent: number[] = [];
    for (const a of members) {
      const e = engagement.get(a.accountId);
      levels[e?.level ?? 'none'] += 1;
      recent.push(e?.recentEvents ?? 0);
      if (e?.falling && a.revenueT12m > 0) {
        falling += 1;
        fallingCents += Math.round(a.revenueT12m * 100);
      }
    }
    return {
      segment,
      accounts: members.length,
      levels,
      falling,
      fallingRevenueT12m: fallingCents / 100,
      medianRecentEvents: median(recent.sort((x, y) => x - y)),
    };
  });
}

/**
 * The accounts with their engagement score (0..1) beside them, for clustering: `engagementScore` is null for an
 * account without an entry. Without engagement (the activities input absent) the accounts are returned as is.
 */
export function withEngagementScores<A extends { readonly accountId: string }>(
  accounts: readonly A[],
  engagement: EngagementByAccount | undefined,
): (A & { readonly engagementScore?: number | null })[] {
  if (!engagement) return [...accounts];
  return accounts.map((a) => ({ ...a, engagementScore: engagement.get(a.accountId)?.score ?? null }));
}
