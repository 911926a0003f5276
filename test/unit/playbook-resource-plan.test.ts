import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { parsePlaybook } from '../../lambdas/core/playbook/playbook-config.ts';
import { buildResourcePlan, type PlanAccount } from '../../lambdas/core/playbook/resource-plan.ts';
import { parseTeamCapacity } from '../../lambdas/core/playbook/team-capacity.ts';

const playbook = parsePlaybook(undefined, parseRunConfig({}).segments);
const march = parsePeriod('2026-03', 'monthly');

const acct = (
  accountId: string,
  ownerEmail: string,
  segment: string,
  dates: { createdOn?: string; firstInvoiceOn?: string; lastReviewOn?: string } = {},
): PlanAccount => ({
  accountId,
  ownerEmail,
  segment,
  createdOn: dates.createdOn ?? null,
  firstInvoiceOn: dates.firstInvoiceOn ?? null,
  lastReviewOn: dates.lastReviewOn ?? null,
});

// Team: a 100 h and b 60 h configured; c only in the data, so the default 40 h. Total 200 h.
// Shares 60/30/10 -> High 120 h over 2 accounts = 60; Medium 60 h over 3 = 20; Low 20 h over 4 = 5.
// a: 60 + 20 + 20 = 100 (100%); b: 60 + 5 + 5 = 70 of 60 (overloaded); c: 20 + 5 + 5 + 0 = 30 of 40.
const capacity = parseTeamCapacity({
  owners: [
    { email: 'a@x.com', name: 'Ann', hoursPerMonth: 100 },
    { email: 'b@x.com', hoursPerMonth: 60 },
  ],
  defaultHoursPerOwner: 40,
});
const accounts: PlanAccount[] = [
  acct('H1', 'a@x.com', 'High', { lastReviewOn: '2026-02-10' }), // monthly: due 2026-03-10
  acct('H2', 'B@X.com', 'High', { lastReviewOn: '2026-03-02' }), // due 2026-04-02: not this month
  acct('M1', 'a@x.com', 'Medium', { createdOn: '2025-12-05' }), // quarterly anniversary 2026-03-05
  acct('M2', 'a@x.com', 'Medium', { createdOn: '2025-11-05' }), // anniversaries 2026-02-05, 2026-05-05
  acct('M3', 'c@x.com', 'Medium', { lastReviewOn: '2025-11-20' }), // due 2026-02-20: overdue
  acct('L1', 'b@x.com', 'Low', { createdOn: '2023-03-31' }), // annual anniversary 2026-03-31
  acct('L2', 'b@x.com', 'Low', { firstInvoiceOn: '2024-04-01' }), // 2026-04-01
  acct('L3', 'c@x.com', 'Low'),
  acct('L4', 'c@x.com', 'Low'),
  acct('I1', 'c@x.com', 'Inactive', { createdOn: '2020-03-01' }), // no playbook entry: no hours, no review
];

describe('buildResourcePlan', () => {
  const plan = buildResourcePlan(accounts, playbook, capacity, march);

  it('splits team hours by the sales-time shares into hours per account', () => {
    expect(plan.teamHoursPerMonth).toBe(200);
    expect(
      plan.segments.map((s) => [
        s.segment,
        s.accounts,
        s.hoursPerMonth,
        s.hoursPerAccountPerMonth,
        s.reviewsDue,
      ]),
    ).toEqual([
      ['High', 2, 120, 60, 1],
      ['Medium', 3, 60, 20, 2],
      ['Low', 4, 20, 5, 1],
    ]);
    expect(plan.segments.map((s) => s.hoursPerAccountInPeriod)).toEqual([60, 20, 5]);
    expect(plan.segments.map((s) => s.supportLevel)).toEqual([
      '24/7 dedicated support',
      'Business hours support',
      'Self-service portal',
    ]);
    expect(plan.unallocatedHoursPerMonth).toBe(0);
  });

  it("compares each owner's planned load with capacity and flags the overloaded", () => {
    expect(
      plan.owners.map((o) => [
        o.ownerEmail,
        o.capacityHoursPerMonth,
        o.capacitySource,
        o.accounts,
        o.plannedHoursPerMonth,
      ]),
    ).toEqual([
      ['b@x.com', 60, 'configured', 3, 70],
      ['a@x.com', 100, 'configured', 3, 100],
      ['c@x.com', 40, 'default', 4, 30],
    ]);
    expect(plan.owners.map((o) => o.utilisation)).toEqual([70 / 60, 1, 0.75]);
    expect(plan.owners.map((o) => o.overloaded)).toEqual([true, false, false]);
    expect(plan.overloadedOwners).toEqual(['b@x.com']);
    expect(plan.owners.find((o) => o.ownerEmail === 'a@x.com')?.ownerName).toBe('Ann');
  });

  it('lists the reviews due this period by cadence, oldest first', () => {
    expect(
      plan.reviewsDue.map((r) => [r.accountId, r.ownerEmail, r.cadence, r.dueOn, r.basis, r.overdue]),
    ).toEqual([
      ['M3', 'c@x.com', 'quarterly', '2026-02-20', 'last-review', true],
      ['M1', 'a@x.com', 'quarterly', '2026-03-05', 'anniversary', false],
      ['H1', 'a@x.com', 'monthly', '2026-03-10', 'last-review', false],
      ['L1', 'b@x.com', 'annual', '2026-03-31', 'anniversary', false],
    ]);
    expect(plan.owners.map((o) => [o.ownerEmail, o.reviewsDue])).toEqual([
      ['b@x.com', 1],
      ['a@x.com', 2],
      ['c@x.com', 1],
    ]);
  });

  it('scales hours per account to a quarter', () => {
    const quarter = buildResourcePlan(accounts, playbook, capacity, parsePeriod('2026-Q1', 'quarterly'));
    expect(quarter.segments.map((s) => s.hoursPerAccountInPeriod)).toEqual([180, 60, 15]);
  });

  it('reports hours of empty segments as unallocated and hours of unowned accounts apart', () => {
    // Only z (default 100 h): High 60 h on X; Medium 30 h with no accounts; Low 10 h on Y, which has no owner.
    const small = buildResourcePlan(
      [acct('X', 'z@x.com', 'High'), acct('Y', ' ', 'Low')],
      playbook,
      parseTeamCapacity({ defaultHoursPerOwner: 100 }),
      march,
    );
    expect(small.teamHoursPerMonth).toBe(100);
    expect(small.segments.map((s) => s.hoursPerAccountPerMonth)).toEqual([60, null, 10]);
    expect(small.unallocatedHoursPerMonth).toBe(30);
    expect([small.unownedAccounts, small.unownedHoursPerMonth]).toEqual([1, 10]);
    expect(small.owners).toEqual([
      {
        ownerEmail: 'z@x.com',
        ownerName: null,
        capacityHoursPerMonth: 100,
        capacitySource: 'default',
        accounts: 1,
        plannedHoursPerMonth: 60,
        utilisation: 0.6,
        overloaded: false,
        reviewsDue: 0,
      },
    ]);
  });

  it('keeps configured owners without accounts, at zero load', () => {
    const idle = buildResourcePlan(
      [acct('X', 'z@x.com', 'High')],
      playbook,
      parseTeamCapacity({ owners: [{ email: 'idle@x.com', hoursPerMonth: 50 }], defaultHoursPerOwner: 50 }),
      march,
    );
    // 100 h in total, 60 of them on X, all carried by z with an assumed 50 h: 1.2 times an assumed capacity,
    // the uneven split of an ordinary book, not an overload.
    expect(idle.owners.map((o) => [o.ownerEmail, o.plannedHoursPerMonth, o.overloaded])).toEqual([
      ['z@x.com', 60, false],
      ['idle@x.com', 0, false],
    ]);
    // With an assumed 30 h, the same 60 h of 80 in total (48 h on X) is flagged: 48 > 1.5 x 30.
    const busy = buildResourcePlan(
      [acct('X', 'z@x.com', 'High')],
      playbook,
      parseTeamCapacity({ owners: [{ email: 'idle@x.com', hoursPerMonth: 50 }], defaultHoursPerOwner: 30 }),
      march,
    );
    expect(busy.owners.map((o) => [o.ownerEmail, o.plannedHoursPerMonth, o.overloaded])).toEqual([
      ['z@x.com', 48, true],
      ['idle@x.com', 0, false],
    ]);
  });
});
