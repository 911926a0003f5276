import type { Period } from '../period.ts';
import type { Playbook, ReviewCadence } from './playbook-config.ts';
import { type ReviewDue, type ReviewHistory, reviewDue } from './review-due.ts';
import type { TeamCapacity } from './team-capacity.ts';

/** The account fields the resource plan needs; a `ClassifiedAccount` (plus an optional last review) satisfies it. */
export interface PlanAccount extends ReviewHistory {
  readonly ownerEmail: string;
  readonly ownerName?: string;
  readonly segment: string;
}

/** Time and reviews planned for one segment. */
export interface SegmentPlan {
  readonly segment: string;
  /** Percent of team time from the playbook. */
  readonly salesTimeShare: number;
  readonly supportLevel: string;
  readonly reviewCadence: ReviewCadence;
  readonly accounts: number;
  /** Team capacity x share. */
  readonly hoursPerMonth: number;
  /** Null when the segment has no accounts (its hours are unallocated). */
  readonly hoursPerAccountPerMonth: number | null;
  /** Per account over the whole period (x the period's months). */
  readonly hoursPerAccountInPeriod: number | null;
  readonly reviewsDue: number;
}

/** One owner's planned load against their capacity. */
export interface OwnerPlan {
  /** Lower-cased. */
  readonly ownerEmail: string;
  readonly ownerName: string | null;
  readonly capacityHoursPerMonth: number;
  /** `configured` when listed in the capacity config, `default` when only found in the accounts. */
  readonly capacitySource: 'configured' | 'default';
  readonly accounts: number;
  /** Sum of the hours per account of the owner's accounts. */
  readonly plannedHoursPerMonth: number;
  /** Planned / capacity. */
  readonly utilisation: number;
  readonly overloaded: boolean;
  readonly reviewsDue: number;
}

/** A review due this period, with whom and in which segment. */
export interface PlannedReview extends ReviewDue {
  readonly accountId: string;
  readonly ownerEmail: string;
  readonly segment: string;
}

/** How the team's time is spread over segments, owners and this period's reviews. */
export interface ResourcePlan {
  readonly periodId: string;
  readonly teamHoursPerMonth: number;
  /** Playbook order. */
  readonly segments: readonly SegmentPlan[];
  /** Highest utilisation first. */
  readonly owners: readonly OwnerPlan[];
  /** Emails of overloaded owners, highest utilisation first. */
  readonly overloadedOwners: readonly string[];
  /** Hours of segments without accounts. */
  readonly unallocatedHoursPerMonth: number;
  /** Accounts with no owner email: their hours are planned but nobody carries them. */
  readonly unownedAccounts: number;
  readonly unownedHoursPerMonth: number;
  /** Ordered by due date, then account id. */
  readonly reviewsDue: readonly PlannedReview[];
}

function ownerKey(email: string): string {
  return email.trim().toLowerCase();
}

/** How far above an assumed (default) capacity an owner's planned load must be to count as overloaded. */
export const ASSUMED_CAPACITY_SLACK = 1.5;

/**
 * Builds the resource plan for a period.
 *
 * Steps: team capacity = configured owners' hours plus `defaultHoursPerOwner` for every other owner found
 * in the accounts; each playbook segment gets capacity x its sales-time share, split evenly over its
 * accounts (hours per account); an owner's planned load is the sum over their accounts, flagged as
 * overloaded above their capacity; segments without a playbook entry get no hours and no reviews; reviews
 * due this period follow `reviewDue` with the segment's cadence.
 */
export function buildResourcePlan(
  accounts: readonly PlanAccount[],
  playbook: Playbook,
  capacity: TeamCapacity,
  period: Period,
): ResourcePlan {
  const owners = new Map<
    string,
    { name: string | null; capacity: number; source: 'configured' | 'default' }
  >();
  for (const o of capacity.owners) {
    owners.set(ownerKey(o.email), { name: o.name ?? null, capacity: o.hoursPerMonth, source: 'configured' });
  }
  for (const a of accounts) {
    const key = ownerKey(a.ownerEmail);
    if (key && !owners.has(key)) {
      owners.set(key, {
        name: a.ownerName ?? null,
        capacity: capacity.defaultHoursPerOwner,
        source: 'default',
      });
    }
  }
  const teamHoursPerMonth = [...owners.values()].reduce((s, o) => s + o.capacity, 0);

  const counts = new Map<string, number>();
  for (const a of accounts) counts.set(a.segment, (counts.get(a.segment) ?? 0) + 1);
  const hoursPerAccount = new Map<string, number>();
  for (const [segment, entry] of Object.entries(playbook)) {
    const n = counts.get(segment) ?? 0;
    if (n > 0) hoursPerAccount.set(segment, (teamHoursPerMonth * entry.salesTimeShare) / 100 / n);
  }

  const reviews: PlannedReview[] = [];
  const load = new Map<string, { accounts: number; hours: number; reviews: number }>();
  let unownedAccounts = 0;
  let unownedHoursPerMonth = 0;
  for (const a of accounts) {
    const hours = hoursPerAccount.get(a.segment) ?? 0;
    const cadence = playbook[a.segment]?.reviewCadence;
    const due = cadence ? reviewDue(a, cadence, period) : null;
    const key = ownerKey(a.ownerEmail);
    if (due) reviews.push({ ...due, accountId: a.accountId, ownerEmail: key, segment: a.segment });
    if (!key) {
      unownedAccounts += 1;
      unownedHoursPerMonth += hours;
      continue;
    }
    const l = load.get(key) ?? { accounts: 0, hours: 0, reviews: 0 };
    l.accounts += 1;
    l.hours += hours;
    if (due) l.reviews += 1;
    load.set(key, l);
  }

  const segments: SegmentPlan[] = Object.entries(playbook).map(([segment, entry]) => {
    const perAccount = hoursPerAccount.get(segment) ?? null;
    return {
      segment,
      salesTimeShare: entry.salesTimeShare,
      supportLevel: entry.supportLevel,
      reviewCadence: entry.reviewCadence,
      accounts: counts.get(segment) ?? 0,
      hoursPerMonth: (teamHoursPerMonth * entry.salesTimeShare) / 100,
      hoursPerAccountPerMonth: perAccount,
      hoursPerAccountInPeriod: perAccount === null ? null : perAccount * period.months,
      reviewsDue: reviews.filter((r) => r.segment === segment).length,
    };
  });

  const ownerPlans: OwnerPlan[] = [...owners.entries()].map(([ownerEmail, o]) => {
    const l = load.get(ownerEmail) ?? { accounts: 0, hours: 0, reviews: 0 };
    return {
      ownerEmail,
      ownerName: o.name,
      capacityHoursPerMonth: o.capacity,
      capacitySource: o.source,
      accounts: l.accounts,
      plannedHoursPerMonth: l.hours,
      utilisation: l.hours / o.capacity,
      // Tolerance so an owner planned at exactly 100% is not flagged by rounding. An assumed (default) capacity
      // is the team's time split evenly, so a book a little above average would always be "overloaded": only a
      // load half again above it is flagged.
      overloaded: l.hours > o.capacity * (o.source === 'configured' ? 1 + 1e-9 : ASSUMED_CAPACITY_SLACK),
      reviewsDue: l.reviews,
    };
  });
  ownerPlans.sort((a, b) => b.utilisation - a.utilisation || a.ownerEmail.localeCompare(b.ownerEmail));
  reviews.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.accountId.localeCompare(b.accountId));

  return {
    periodId: period.id,
    teamHoursPerMonth,
    segments,
    owners: ownerPlans,
    overloadedOwners: ownerPlans.filter((o) => o.overloaded).map((o) => o.ownerEmail),
    unallocatedHoursPerMonth: segments
      .filter((s) => s.accounts === 0)
      .reduce((sum, s) => sum + s.hoursPerMonth, 0),
    unownedAccounts,
    unownedHoursPerMonth,
    reviewsDue: reviews,
  };
}
