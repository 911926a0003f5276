import type { RevenueMovement } from '../types.ts';

/** What decides an account's revenue movement between the previous period's end and this one's. */
export interface MovementInput {
  /** T12M at the previous period's end, in cents. */
  readonly previousCents: number;
  /** T12M at this period's end, in cents. */
  readonly currentCents: number;
  /** First invoice date (ISO), null when none. */
  readonly firstInvoiceOn: string | null;
}

/**
 * Classifies how an account's T12M moved. With revenue at both ends: expansion, contraction or
 * unchanged (to the cent). Revenue lost: churn. Revenue gained from nothing (previous T12M <= 0):
 * `new` when the first invoice falls inside the current T12M window (starting `t12mStart`), else
 * `reactivation`. Nothing at either end: inactive.
 */
export function classifyMovement(input: MovementInput, t12mStart: string): RevenueMovement {
  const { previousCents, currentCents } = input;
  if (previousCents > 0) {
    if (currentCents <= 0) return 'churn';
    if (currentCents > previousCents) return 'expansion';
    return currentCents < previousCents ? 'contraction' : 'unchanged';
  }
  if (currentCents <= 0) return 'inactive';
  return input.firstInvoiceOn === null || input.firstInvoiceOn >= t12mStart ? 'new' : 'reactivation';
}

/** Year-over-year growth (current - prior) / prior; null when prior <= 0, where growth is undefined. */
export function growthRate(current: number, prior: number): number | null {
  return prior > 0 ? (current - prior) / prior : null;
}
