import type { RevenueBridge } from '../types.ts';
import { fromCents } from './money.ts';

/** One line of a revenue bridge. */
export type BridgeComponent = keyof RevenueBridge;

/** One account as the revenue bridge sees it (amounts in cents). */
export interface BridgeInput {
  /** Segment that holds the account's previous T12M (see `openingSegmentOf`). */
  readonly openingSegment: string;
  /** Segment of the account now. */
  readonly closingSegment: string;
  readonly previousCents: number;
  readonly currentCents: number;
  /** Which line revenue appearing from nothing goes to (the account's movement). */
  readonly entry: 'new' | 'reactivation';
}

/** Receives one amount (cents) for one line of one segment's bridge. */
export type BridgePost = (segment: string, component: BridgeComponent, cents: number) => void;

function postChange(post: BridgePost, segment: string, cents: number): void {
  if (cents > 0) post(segment, 'expansion', cents);
  else if (cents < 0) post(segment, 'contraction', cents);
}

/**
 * Posts one account's contribution to the bridges of its segments, so that for every segment
 * `opening + new + expansion + contraction + churn + reactivation + transfersIn + transfersOut = closing`
 * holds exactly (integer cents) and every line keeps its sign.
 *
 * - The previous T12M opens in `openingSegment`, the current T12M closes in `closingSegment`.
 * - Positive revenue at both ends: when the segment changed, the previous T12M moves as a transfer
 *   (out of the old, into the new); the difference is expansion or contraction in the new segment.
 * - Positive revenue lost: churn of the whole previous T12M, in the opening segment (a churned account
 *   stays in the segment of its last revenue; it is not a transfer to the inactive segment).
 * - Positive revenue from nothing: new or reactivation of the whole current T12M, in the closing segment.
 * - Credit balances (a T12M below zero, from credit notes only) never enter churn, new, reactivation
 *   or transfers: a credit that appears counts as contraction where the account closes, one that
 *   disappears as expansion where it opened, and a change to a credit that stays (same segment) as
 *   expansion or contraction there. So an account going from -50 to 200 shows expansion 50 in its old
 *   segment and new 200 in its new one.
 */
export function postBridge(input: BridgeInput, post: BridgePost): void {
  const { openingSegment: from, closingSegment: to, previousCents: previous, currentCents: current } = input;
  post(from, 'opening', previous);
  post(to, 'closing', current);
  const previousPositive = Math.max(previous, 0);
  const currentPositive = Math.max(current, 0);
  if (previousPositive > 0 && currentPositive > 0) {
    if (from !== to) {
      post(from, 'transfersOut', -previousPositive);
      post(to, 'transfersIn', previousPositive);
    }
    postChange(post, to, currentPositive - previousPositive);
  } else if (previousPositive > 0) {
    post(from, 'churn', -previousPositive);
  } else if (currentPositive > 0) {
    post(to, input.entry, currentPositive);
  }
  const previousCredit = Math.min(previous, 0);
  const currentCredit = Math.min(current, 0);
  if (from === to) {
    postChange(post, from, currentCredit - previousCredit);
  } else {
    postChange(post, from, -previousCredit);
    postChange(post, to, currentCredit);
  }
}

/** A bridge in integer cents, line by line. */
export type BridgeCents = Record<BridgeComponent, number>;

/** A bridge with every line at zero. */
export function emptyBridgeCents(): BridgeCents {
  return {
    opening: 0,
    new: 0,
    expansion: 0,
    contraction: 0,
    churn: 0,
    reactivation: 0,
    transfersIn: 0,
    transfersOut: 0,
    closing: 0,
  };
}

/** Converts a bridge in cents to the reporting currency. */
export function bridgeFromCents(cents: BridgeCents): RevenueBridge {
  return {
    opening: fromCents(cents.opening),
    new: fromCents(cents.new),
    expansion: fromCents(cents.expansion),
    contraction: fromCents(cents.contraction),
    churn: fromCents(cents.churn),
    reactivation: fromCents(cents.reactivation),
    transfersIn: fromCents(cents.transfersIn),
    transfersOut: fromCents(cents.transfersOut),
    closing: fromCents(cents.closing),
  };
}

/**
 * The portfolio bridge: the sum of the segment bridges, except that transfers between segments cancel
 * out and are reported as zero; the identity still holds because they summed to zero.
 */
export function portfolioBridgeCents(segments: Iterable<BridgeCents>): BridgeCents {
  const total = emptyBridgeCents();
  for (const bridge of segments) {
    for (const key of Object.keys(total) as BridgeComponent[]) total[key] += bridge[key];
  }
  total.transfersIn = 0;
  total.transfersOut = 0;
  return total;
}

/** Accumulates bridge postings per segment. */
export class BridgeLedger {
  readonly #bridges = new Map<string, BridgeCents>();

  /** The `BridgePost` to hand to `postBridge`. */
  readonly post: BridgePost = (segment, component, cents) => {
    let bridge = this.#bridges.get(segment);
    if (!bridge) {
      bridge = emptyBridgeCents();
      this.#bridges.set(segment, bridge);
    }
    bridge[component] += cents;
  };

  /** The bridge of one segment in cents (all zero when nothing was posted to it). */
  segment(name: string): BridgeCents {
    return { ...(this.#bridges.get(name) ?? emptyBridgeCents()) };
  }
}
