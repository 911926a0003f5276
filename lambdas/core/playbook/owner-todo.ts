import type { Period } from '../period.ts';
import type { Playbook } from './playbook-config.ts';
import { type ReviewDue, type ReviewHistory, reviewDue } from './review-due.ts';

/** The account fields an owner's to-do list needs; risk and opportunity come from the models when available. */
export interface TodoAccount extends ReviewHistory {
  readonly accountName: string;
  readonly segment: string;
  readonly previousSegment: string | null;
  readonly revenueT12m: number;
  /** Why the account is at risk; absent or null when it is not flagged. */
  readonly atRiskReason?: string | null;
  /** Why the account can grow; absent or null when it is not flagged. */
  readonly growthReason?: string | null;
}

/** What the playbook says to do with an account's segment. */
export interface TodoGuidance {
  readonly pitchApproach: string;
  readonly keyElements: readonly string[];
  readonly services: readonly string[];
}

export interface TodoItem {
  readonly accountId: string;
  readonly accountName: string;
  readonly segment: string;
  readonly revenueT12m: number;
  /** Why the item is on the list, in plain words. */
  readonly reason: string;
  /** Null when the segment has no playbook entry. */
  readonly guidance: TodoGuidance | null;
  /** Set on review items. */
  readonly review: ReviewDue | null;
}

/** Low-value accounts of one segment summed instead of listed. */
export interface TodoGroup {
  readonly segment: string;
  readonly accounts: number;
  readonly revenueT12m: number;
  readonly guidance: TodoGuidance | null;
}

export interface TodoSection {
  /** Highest revenue first. */
  readonly items: readonly TodoItem[];
  readonly groups: readonly TodoGroup[];
}

/** One owner's to-do list for a period. */
export interface OwnerTodo {
  readonly ownerEmail: string;
  readonly periodId: string;
  readonly reviewsDue: TodoSection;
  readonly atRisk: TodoSection;
  readonly growthOpportunities: TodoSection;
  readonly movedSegment: TodoSection;
  /** True when the owner has more low-value accounts than `maxListedLowValue`, so they are grouped. */
  readonly lowValueGrouped: boolean;
}

export interface OwnerTodoOptions {
  /** Segments whose accounts are grouped when an owner has many (e.g. the lowest bracket and Inactive). */
  readonly lowValueSegments: readonly string[];
  /** Low-value accounts are listed one by one up to this many per owner, grouped above. @default 10 */
  readonly maxListedLowValue?: number;
}

function guidanceFor(playbook: Playbook, segment: string): TodoGuidance | null {
  const entry = playbook[segment];
  if (!entry) return null;
  return { pitchApproach: entry.pitchApproach, keyElements: entry.keyElements, services: entry.services };
}

function reviewReason(due: ReviewDue): string {
  const basis = due.basis === 'last-review' ? `last review ${due.from}` : `anniversary of ${due.from}`;
  return due.overdue
    ? `${due.cadence} review overdue since ${due.dueOn} (${basis})`
    : `${due.cadence} review due ${due.dueOn} (${basis})`;
}

function section(items: TodoItem[], group: (item: TodoItem) => boolean, playbook: Playbook): TodoSection {
  const listed: TodoItem[] = [];
  const groups = new Map<string, { segment: string; accounts: number; revenueT12m: number }>();
  for (const item of items) {
    if (!group(item)) {
      listed.push(item);
      continue;
    }
    const g = groups.get(item.segment) ?? { segment: item.segment, accounts: 0, revenueT12m: 0 };
    g.accounts += 1;
    g.revenueT12m += item.revenueT12m;
    groups.set(item.segment, g);
  }
  listed.sort((a, b) => b.revenueT12m - a.revenueT12m || a.accountId.localeCompare(b.accountId));
  return {
    items: listed,
    groups: [...groups.values()].map((g) => ({ ...g, guidance: guidanceFor(playbook, g.segment) })),
  };
}

/**
 * Builds one owner's to-do list: reviews due this period (by the segment's cadence, see `reviewDue`),
 * at-risk accounts, growth opportunities and accounts that moved segment, each with the playbook's pitch
 * approach, key elements and services for its segment. When the owner has more low-value accounts than
 * `maxListedLowValue`, those are summed per segment (count and revenue) in reviews, risks and moves; growth
 * opportunities stay listed, since a small account worth growing is the point of that list.
 */
export function buildOwnerTodo(
  ownerEmail: string,
  accounts: readonly TodoAccount[],
  playbook: Playbook,
  period: Period,
  options: OwnerTodoOptions,
): OwnerTodo {
  const lowValue = new Set(options.lowValueSegments);
  const lowValueCount = accounts.filter((a) => lowValue.has(a.segment)).length;
  const lowValueGrouped = lowValueCount > (options.maxListedLowValue ?? 10);
  const grouped = (item: TodoItem) => lowValueGrouped && lowValue.has(item.segment);
  const neverGrouped = () => false;

  const item = (a: TodoAccount, reason: string, review: ReviewDue | null = null): TodoItem => ({
    accountId: a.accountId,
    accountName: a.accountName,
    segment: a.segment,
    revenueT12m: a.revenueT12m,
    reason,
    guidance: guidanceFor(playbook, a.segment),
    review,
  });

  const reviews: TodoItem[] = [];
  const risks: TodoItem[] = [];
  const growth: TodoItem[] = [];
  const moves: TodoItem[] = [];
  for (const a of accounts) {
    const cadence = playbook[a.segment]?.reviewCadence;
    const due = cadence ? reviewDue(a, cadence, period) : null;
    if (due) reviews.push(item(a, reviewReason(due), due));
    if (a.atRiskReason) risks.push(item(a, a.atRiskReason));
    if (a.growthReason) growth.push(item(a, a.growthReason));
    if (a.previousSegment !== null && a.previousSegment !== a.segment) {
      moves.push(item(a, `moved from ${a.previousSegment} to ${a.segment}`));
    }
  }
  return {
    ownerEmail,
    periodId: period.id,
    reviewsDue: section(reviews, grouped, playbook),
    atRisk: section(risks, grouped, playbook),
    growthOpportunities: section(growth, neverGrouped, playbook),
    movedSegment: section(moves, grouped, playbook),
    lowValueGrouped,
  };
}
