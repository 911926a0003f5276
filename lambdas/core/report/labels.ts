import { type SegmentsConfig, segmentOrder } from '../config.ts';
import type { ClassifiedAccount, RevenueMovement } from '../types.ts';
import { MISSING } from './format.ts';

const MOVEMENT_LABELS: Readonly<Record<RevenueMovement, string>> = {
  new: 'New',
  expansion: 'Expansion',
  contraction: 'Contraction',
  churn: 'Churn',
  reactivation: 'Reactivation',
  unchanged: 'Unchanged',
  inactive: 'Inactive',
};

/** A revenue movement for people: `expansion` -> `Expansion`. */
export function movementLabel(movement: RevenueMovement): string {
  return MOVEMENT_LABELS[movement] ?? movement;
}

/** `Medium → High` when the account changed segment since the previous period, otherwise '—'. */
export function segmentChange(account: ClassifiedAccount): string {
  return account.previousSegment !== null && account.previousSegment !== account.segment
    ? `${account.previousSegment} → ${account.segment}`
    : MISSING;
}

/** `Acme Corp (A-1)`: an account's name with its id, so people can find it in their CRM. */
export function accountLabel(account: Pick<ClassifiedAccount, 'accountId' | 'accountName'>): string {
  const name = account.accountName.trim();
  return name && name !== account.accountId ? `${name} (${account.accountId})` : account.accountId;
}

/** `1 account`, `3 accounts`. */
export function countOf(count: number, noun: string, formatted = String(count)): string {
  return `${formatted} ${noun}${count === 1 ? '' : 's'}`;
}

/** Segment names in report order (configured order first, then any unknown names in the order met). */
export function orderedSegmentNames(segments: SegmentsConfig, present: Iterable<string>): string[] {
  const names = segmentOrder(segments);
  for (const name of present) if (!names.includes(name)) names.push(name);
  return names;
}
