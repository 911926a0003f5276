import type { SegmentsConfig } from '../config.ts';
import type { PortfolioAnalysis, RevenueBridge } from '../types.ts';
import type { ReportFormatter } from './format.ts';
import { countOf } from './labels.ts';

type BridgeMovement = 'new' | 'expansion' | 'reactivation' | 'contraction' | 'churn';

const BRIDGE_MOVEMENTS: readonly BridgeMovement[] = [
  'new',
  'expansion',
  'reactivation',
  'contraction',
  'churn',
];

/** One segment's amount for one kind of movement, with the number of accounts behind it. */
export interface BridgeDriver {
  readonly segment: string;
  readonly movement: BridgeMovement;
  /** From the segment's bridge; positive for new/expansion/reactivation, negative for contraction/churn. */
  readonly amount: number;
  readonly accounts: number;
}

/** Every non-zero (segment, movement) amount of the per-segment bridges, in report order. */
export function bridgeDrivers(analysis: PortfolioAnalysis): BridgeDriver[] {
  const counts = new Map<string, number>();
  for (const a of analysis.accounts) {
    const key = `${a.bridgeSegment}\u0000${a.movement}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const segments = [...analysis.segments].sort((a, b) => a.rank - b.rank);
  return segments.flatMap((s) =>
    BRIDGE_MOVEMENTS.map((movement) => ({
      segment: s.segment,
      movement,
      amount: s.bridge[movement satisfies keyof RevenueBridge],
      accounts: counts.get(`${s.segment}\u0000${movement}`) ?? 0,
    })).filter((d) => d.amount !== 0),
  );
}

function driverPhrase(d: BridgeDriver, fmt: ReportFormatter): string {
  const accounts = countOf(d.accounts, 'account', fmt.number(d.accounts));
  switch (d.movement) {
    case 'new':
      return `${countOf(d.accounts, 'new account', fmt.number(d.accounts))} in ${d.segment} added ${fmt.moneyCompact(d.amount)}`;
    case 'expansion':
      return `expansion in ${d.segment} added ${fmt.moneyCompact(d.amount)} (${accounts})`;
    case 'reactivation':
      return `${countOf(d.accounts, 'reactivated account', fmt.number(d.accounts))} in ${d.segment} added ${fmt.moneyCompact(d.amount)}`;
    case 'contraction':
      return `${accounts} contracted in ${d.segment} (${fmt.moneyDelta(d.amount)})`;
    case 'churn':
      return `${accounts} churned in ${d.segment} (${fmt.moneyDelta(d.amount)})`;
  }
}

/**
 * One plain-words sentence of what changed most since the previous period: the largest gain and the
 * largest loss of the per-segment revenue bridges, and the most common move between revenue segments.
 * e.g. "Expansion in High added $1.2M (4 accounts); 3 accounts churned in Medium (-$240K)."
 */
export function whatChangedMost(
  analysis: PortfolioAnalysis,
  segments: SegmentsConfig,
  fmt: ReportFormatter,
): string {
  const drivers = bridgeDrivers(analysis);
  const gain = drivers
    .filter((d) => d.amount > 0)
    .reduce<BridgeDriver | undefined>((best, d) => (!best || d.amount > best.amount ? d : best), undefined);
  const loss = drivers
    .filter((d) => d.amount < 0)
    .reduce<BridgeDriver | undefined>(
      (worst, d) => (!worst || d.amount < worst.amount ? d : worst),
      undefined,
    );
  const revenueSegments = new Set(segments.brackets.map((b) => b.name));
  // Moves into the inactive segment are churn, already told by the bridge; moves from unknown
  // previous segments (new accounts) are not migrations.
  const move = analysis.migrations
    .filter(
      (m) =>
        m.fromSegment !== m.toSegment &&
        m.accounts > 0 &&
        revenueSegments.has(m.fromSegment) &&
        revenueSegments.has(m.toSegment),
    )
    .reduce<(typeof analysis.migrations)[number] | undefined>(
      (best, m) =>
        !best ||
        m.accounts > best.accounts ||
        (m.accounts === best.accounts && m.previousRevenueT12m > best.previousRevenueT12m)
          ? m
          : best,
      undefined,
    );
  const clauses = [
    ...(gain ? [driverPhrase(gain, fmt)] : []),
    ...(loss ? [driverPhrase(loss, fmt)] : []),
    ...(move
      ? [
          `${countOf(move.accounts, 'account', fmt.number(move.accounts))} moved from ${move.fromSegment} to ${move.toSegment}`,
        ]
      : []),
  ];
  if (clauses.length === 0) return 'No account’s revenue moved since the previous period.';
  const sentence = clauses.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** The previous period's headline retention, read from its snapshot, to show how NRR and GRR changed. */
export interface PreviousPortfolioKpis {
  readonly periodId: string;
  readonly nrr: number | null;
  readonly grr: number | null;
}

/**
 * `107.2% → 109.7% (+2.5 pts) since Q2 2026` for a ratio with its previous value; says plainly when the
 * previous period has no snapshot or did not measure it, never inventing a change.
 */
export function ratioChange(
  current: number | null,
  previous: PreviousPortfolioKpis | undefined,
  pick: (p: PreviousPortfolioKpis) => number | null,
  previousLabel: string,
  fmt: ReportFormatter,
): string {
  if (previous === undefined) return `change not available: no snapshot of ${previousLabel}`;
  const before = pick(previous);
  if (before === null) return `not measured in ${previousLabel}`;
  if (current === null) return `${fmt.percent(before)} in ${previousLabel}, not measured now`;
  return `${fmt.percent(before)} → ${fmt.percent(current)} (${fmt.pointsDelta(current, before)}) since ${previousLabel}`;
}
