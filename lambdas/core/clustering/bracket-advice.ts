import { ckmeans } from 'simple-statistics';
import type { Bracket, SegmentsConfig } from '../config.ts';
import { assignSegment } from '../metrics/assign-segment.ts';

/** The account fields bracket advice needs; a `ClassifiedAccount` satisfies it. */
export interface BracketInput {
  readonly accountId: string;
  readonly revenueT12m: number;
}

/** Accounts and revenue of one segment under the configured and the advised brackets. */
export interface BracketComparison {
  readonly segment: string;
  readonly configuredAccounts: number;
  readonly configuredRevenueT12m: number;
  readonly advisedAccounts: number;
  readonly advisedRevenueT12m: number;
}

/** Accounts that would change segment if the advice were adopted, per (from, to) pair. */
export interface BracketMove {
  readonly fromSegment: string;
  readonly toSegment: string;
  readonly accounts: number;
  readonly revenueT12m: number;
}

/** Natural-breaks advice on the revenue brackets; never applied by itself. */
export interface BracketAdvice {
  readonly status: 'advised' | 'insufficient-data';
  readonly reason: string | null;
  readonly configured: readonly Bracket[];
  /** Same names as configured, highest first; thresholds rounded to 2 significant figures. Empty when skipped. */
  readonly advised: readonly Bracket[];
  /** Every segment (brackets, then inactive), in report order. */
  readonly comparison: readonly BracketComparison[];
  /** Non-empty cells only, largest revenue first. */
  readonly moves: readonly BracketMove[];
  readonly accountsMoving: number;
  readonly revenueMoving: number;
}

/** `x` rounded to `digits` significant figures (2 by default), so 123,456 becomes 120,000. */
export function roundSignificant(x: number, digits = 2): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/**
 * Upper-bracket thresholds from natural breaks: the geometric midpoint between the largest revenue of one
 * class and the smallest of the next, rounded to `digits` significant figures; more digits are used when
 * rounding would merge two thresholds. Returned highest first.
 */
function thresholdsFromClasses(classes: readonly number[][]): number[] {
  const exact: number[] = [];
  for (let c = classes.length - 1; c > 0; c--) {
    const upper = Math.exp(classes[c]?.[0] as number);
    const lower = Math.exp(classes[c - 1]?.at(-1) as number);
    exact.push(Math.sqrt(upper * lower));
  }
  for (let digits = 2; digits <= 15; digits++) {
    const rounded = exact.map((t) => roundSignificant(t, digits));
    if (rounded.every((t, i) => i === 0 || t < (rounded[i - 1] as number))) return rounded;
  }
  return exact;
}

/**
 * Advises revenue brackets by natural breaks (Ckmeans, optimal 1-D k-means from simple-statistics) on the
 * natural log of T12M revenue of active accounts, into as many classes as there are configured brackets,
 * and shows what would move if the advice were adopted. The lowest bracket keeps its configured floor;
 * advised upper brackets include their threshold. Advice only: nothing is reclassified.
 */
export function adviseBrackets(accounts: readonly BracketInput[], segments: SegmentsConfig): BracketAdvice {
  const configured = segments.brackets;
  const classes = configured.length;
  const logs = accounts.filter((a) => a.revenueT12m > 0).map((a) => Math.log(a.revenueT12m));
  const distinct = new Set(logs).size;
  if (classes < 2 || distinct < classes) {
    return {
      status: 'insufficient-data',
      reason:
        classes < 2
          ? 'only one bracket is configured: there is no threshold to advise on'
          : `${distinct} distinct revenue values among active accounts; ${classes} brackets need at least ${classes}`,
      configured,
      advised: [],
      comparison: compare(accounts, segments, configured),
      moves: [],
      accountsMoving: 0,
      revenueMoving: 0,
    };
  }
  const thresholds = thresholdsFromClasses(ckmeans(logs, classes));
  const advised: Bracket[] = configured.map((b, i) =>
    i < thresholds.length ? { name: b.name, min: thresholds[i] as number, minInclusive: true } : { ...b },
  );

  const advisedSegments: SegmentsConfig = { brackets: advised, inactiveName: segments.inactiveName };
  const moves = new Map<
    string,
    { fromSegment: string; toSegment: string; accounts: number; revenueT12m: number }
  >();
  for (const a of accounts) {
    const from = assignSegment(a.revenueT12m, segments);
    const to = assignSegment(a.revenueT12m, advisedSegments);
    if (from === to) continue;
    const key = `${from}\u0000${to}`;
    const cell = moves.get(key) ?? { fromSegment: from, toSegment: to, accounts: 0, revenueT12m: 0 };
    cell.accounts += 1;
    cell.revenueT12m += a.revenueT12m;
    moves.set(key, cell);
  }
  const moveList = [...moves.values()].sort((a, b) => b.revenueT12m - a.revenueT12m);
  return {
    status: 'advised',
    reason: null,
    configured,
    advised,
    comparison: compare(accounts, segments, advised),
    moves: moveList,
    accountsMoving: moveList.reduce((s, m) => s + m.accounts, 0),
    revenueMoving: moveList.reduce((s, m) => s + m.revenueT12m, 0),
  };
}

function compare(
  accounts: readonly BracketInput[],
  segments: SegmentsConfig,
  advised: readonly Bracket[],
): BracketComparison[] {
  const advisedSegments: SegmentsConfig = { brackets: [...advised], inactiveName: segments.inactiveName };
  const names = [...segments.brackets.map((b) => b.name), segments.inactiveName];
  const rows = new Map(
    names.map((segment) => [
      segment,
      { segment, configuredAccounts: 0, configuredRevenueT12m: 0, advisedAccounts: 0, advisedRevenueT12m: 0 },
    ]),
  );
  for (const a of accounts) {
    const before = rows.get(assignSegment(a.revenueT12m, segments));
    const after = rows.get(assignSegment(a.revenueT12m, advisedSegments));
    if (before) {
      before.configuredAccounts += 1;
      before.configuredRevenueT12m += a.revenueT12m;
    }
    if (after) {
      after.advisedAccounts += 1;
      after.advisedRevenueT12m += a.revenueT12m;
    }
  }
  return [...rows.values()];
}
