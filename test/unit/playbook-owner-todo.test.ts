import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { buildOwnerTodo, type TodoAccount } from '../../lambdas/core/playbook/owner-todo.ts';
import { parsePlaybook } from '../../lambdas/core/playbook/playbook-config.ts';

const playbook = parsePlaybook(undefined, parseRunConfig({}).segments);
const march = parsePeriod('2026-03', 'monthly');
const high = {
  pitchApproach: 'Personalized and consultative',
  keyElements: ['Long-term growth strategies', 'Custom solutions'],
  services: [
    'Custom implementation',
    'Priority technical support',
    'Quarterly business reviews',
    'Strategic planning sessions',
  ],
};
const low = {
  pitchApproach: 'Direct and simplified',
  keyElements: ['Clear benefits', 'Fast implementation'],
  services: ['Self-service onboarding', 'Knowledge base'],
};

const acct = (
  a: Partial<TodoAccount> & Pick<TodoAccount, 'accountId' | 'segment' | 'revenueT12m'>,
): TodoAccount => ({
  accountName: `${a.accountId} Ltd`,
  previousSegment: a.segment,
  createdOn: null,
  firstInvoiceOn: null,
  ...a,
});

const accounts: TodoAccount[] = [
  acct({
    accountId: 'H1',
    segment: 'High',
    revenueT12m: 200_000,
    lastReviewOn: '2026-02-10',
    atRiskReason: 'probability alive fell to 0.4',
  }),
  acct({
    accountId: 'M1',
    segment: 'Medium',
    previousSegment: 'High',
    revenueT12m: 50_000,
    growthReason: 'headroom',
  }),
  acct({ accountId: 'L1', segment: 'Low', revenueT12m: 3000, createdOn: '2025-03-15' }),
  acct({
    accountId: 'L2',
    segment: 'Low',
    previousSegment: 'Medium',
    revenueT12m: 5000,
    atRiskReason: 'revenue down 60%',
  }),
  acct({
    accountId: 'L3',
    segment: 'Low',
    revenueT12m: 1000,
    growthReason: 'hidden gem: top decile potential',
  }),
  acct({ accountId: 'N1', segment: 'Low', previousSegment: null, revenueT12m: 800 }),
];

describe('buildOwnerTodo', () => {
  it('lists reviews, risks, growth and moves with the segment playbook when there are few low-value accounts', () => {
    const todo = buildOwnerTodo('rep@x.com', accounts, playbook, march, {
      lowValueSegments: ['Low', 'Inactive'],
      maxListedLowValue: 10,
    });
    expect(todo.lowValueGrouped).toBe(false);
    expect(todo.periodId).toBe('2026-03');
    expect(todo.reviewsDue.items.map((i) => [i.accountId, i.reason])).toEqual([
      ['H1', 'monthly review due 2026-03-10 (last review 2026-02-10)'],
      ['L1', 'annual review due 2026-03-15 (anniversary of 2025-03-15)'],
    ]);
    expect(todo.reviewsDue.items[0]?.guidance).toEqual(high);
    expect(todo.reviewsDue.items[1]?.guidance).toEqual(low);
    expect(todo.atRisk.items.map((i) => [i.accountId, i.reason])).toEqual([
      ['H1', 'probability alive fell to 0.4'],
      ['L2', 'revenue down 60%'],
    ]);
    expect(todo.growthOpportunities.items.map((i) => i.accountId)).toEqual(['M1', 'L3']);
    // N1 has no previous segment (new account): not a move.
    expect(todo.movedSegment.items.map((i) => [i.accountId, i.reason])).toEqual([
      ['M1', 'moved from High to Medium'],
      ['L2', 'moved from Medium to Low'],
    ]);
    expect(
      [todo.reviewsDue, todo.atRisk, todo.growthOpportunities, todo.movedSegment].map((s) => s.groups),
    ).toEqual([[], [], [], []]);
  });

  it('groups low-value accounts (count and revenue) when the owner has more than the limit, but lists growth', () => {
    // 4 Low accounts > 2: L1's review, L2's risk and L2's move are summed; L3 stays listed as a growth opportunity.
    const todo = buildOwnerTodo('rep@x.com', accounts, playbook, march, {
      lowValueSegments: ['Low', 'Inactive'],
      maxListedLowValue: 2,
    });
    expect(todo.lowValueGrouped).toBe(true);
    expect(todo.reviewsDue.items.map((i) => i.accountId)).toEqual(['H1']);
    expect(todo.reviewsDue.groups).toEqual([
      { segment: 'Low', accounts: 1, revenueT12m: 3000, guidance: low },
    ]);
    expect(todo.atRisk.items.map((i) => i.accountId)).toEqual(['H1']);
    expect(todo.atRisk.groups).toEqual([{ segment: 'Low', accounts: 1, revenueT12m: 5000, guidance: low }]);
    expect(todo.movedSegment.items.map((i) => i.accountId)).toEqual(['M1']);
    expect(todo.movedSegment.groups).toEqual([
      { segment: 'Low', accounts: 1, revenueT12m: 5000, guidance: low },
    ]);
    expect(todo.growthOpportunities.items.map((i) => i.accountId)).toEqual(['M1', 'L3']);
  });

  it('sums several grouped accounts and gives no guidance to a segment without a playbook entry', () => {
    const many = Array.from({ length: 4 }, (_, i) =>
      acct({ accountId: `I${i}`, segment: 'Inactive', previousSegment: 'Low', revenueT12m: -i }),
    );
    const todo = buildOwnerTodo('rep@x.com', many, playbook, march, {
      lowValueSegments: ['Inactive'],
      maxListedLowValue: 3,
    });
    // revenue 0 + -1 + -2 + -3 = -6
    expect(todo.movedSegment.groups).toEqual([
      { segment: 'Inactive', accounts: 4, revenueT12m: -6, guidance: null },
    ]);
    expect(todo.reviewsDue.items).toEqual([]);
  });

  it('marks overdue reviews', () => {
    const todo = buildOwnerTodo(
      'rep@x.com',
      [acct({ accountId: 'H9', segment: 'High', revenueT12m: 150_000, lastReviewOn: '2026-01-15' })],
      playbook,
      march,
      { lowValueSegments: ['Low'] },
    );
    expect(todo.reviewsDue.items[0]?.reason).toBe(
      'monthly review overdue since 2026-02-15 (last review 2026-01-15)',
    );
    expect(todo.reviewsDue.items[0]?.review?.overdue).toBe(true);
  });
});
