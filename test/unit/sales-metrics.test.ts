import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lambdas/core/period.ts';
import type { CostCheck, MonthlyCost } from '../../lambdas/core/sales/costs.ts';
import type { Opportunity, OpportunityCheck } from '../../lambdas/core/sales/opportunities.ts';
import { measureSalesEfficiency, salesWindows } from '../../lambdas/core/sales/sales-efficiency.ts';
import {
  opportunityMetrics,
  quantileType7,
  segmentEconomics,
} from '../../lambdas/core/sales/sales-metrics.ts';
import type { ClassifiedAccount } from '../../lambdas/core/types.ts';

const opp = (
  opportunityId: string,
  accountId: string,
  stage: Opportunity['stage'],
  createdOn: string,
  closedOn: string | null,
  amount: number,
): Opportunity => ({ opportunityId, accountId, stage, createdOn, closedOn, amount });

describe('quantileType7 (linear interpolation between order statistics, as R type 7 and NumPy)', () => {
  it.each([
    [[30, 40, 50, 100], 0.5, 45], // (n-1)p = 1.5: 40 + 0.5 x (50 - 40)
    [[30, 40, 50, 100], 0.75, 62.5], // 2.25: 50 + 0.25 x (100 - 50)
    [[100, 30, 50, 40], 0.75, 62.5], // order of input does not matter
    [[1, 2, 3, 4, 10], 0.75, 4], // 3: the 4th value exactly
    [[7], 0.5, 7],
    [[], 0.5, null],
  ])('%j at %d is %d', (values, p, expected) => {
    expect(quantileType7(values, p)).toBe(expected);
  });
});

describe('opportunityMetrics', () => {
  // Won in T12M with cycles 30, 40, 50 and 100 days; O5 and O10 lost in T12M; O6 lost before it.
  const opportunities = [
    opp('O1', 'A', 'won', '2026-01-01', '2026-01-31', 1000),
    opp('O2', 'A', 'won', '2026-03-01', '2026-04-10', 2000),
    opp('O3', 'A', 'won', '2026-06-01', '2026-07-21', 500),
    opp('O4', 'A', 'won', '2026-07-02', '2026-10-10', 4000),
    opp('O5', 'A', 'lost', '2026-08-01', '2026-10-20', 9000),
    opp('O6', 'A', 'lost', '2025-09-01', '2025-10-15', 9000),
    opp('O7', 'A', 'won', '2026-10-01', '2026-11-05', 700), // won after the end: open at the end
    opp('O8', 'A', 'open', '2026-05-01', '2026-12-01', 300), // closed_on is the expected close
    opp('O9', 'A', 'open', '2026-11-10', null, 5000), // created after the end: not counted
    opp('O10', 'A', 'lost', '2025-09-01', '2025-12-01', 50),
  ];

  it('over T12M: 4 won of 6 closed, cycles 30/40/50/100 days, 2 open worth 1,000', () => {
    expect(opportunityMetrics(opportunities, { start: '2025-11-01', end: '2026-10-31' })).toEqual({
      won: 4,
      lost: 2,
      conversionRate: 4 / 6,
      wonAmount: 7500,
      cycleMedianDays: 45,
      cycleP75Days: 62.5,
      openCount: 2,
      openAmount: 1000,
    });
  });

  it('over the month: O4 won (100 days) and O5 lost; the pipeline is the same as at the same end', () => {
    expect(opportunityMetrics(opportunities, { start: '2026-10-01', end: '2026-10-31' })).toEqual({
      won: 1,
      lost: 1,
      conversionRate: 0.5,
      wonAmount: 4000,
      cycleMedianDays: 100,
      cycleP75Days: 100,
      openCount: 2,
      openAmount: 1000,
    });
  });

  it('a window where nothing closed has no conversion and no cycle (not 0)', () => {
    expect(opportunityMetrics(opportunities, { start: '2026-08-01', end: '2026-08-31' })).toMatchObject({
      won: 0,
      lost: 0,
      conversionRate: null,
      cycleMedianDays: null,
      cycleP75Days: null,
    });
  });
});

describe('segmentEconomics', () => {
  const base = {
    revenue: 120_000,
    acquisitionCost: 18_000,
    costToServe: 12_000,
    newAccounts: 3,
    revenueT12m: 240_000,
    costToServeT12m: 24_000,
    activeAccounts: 10,
    grossMargin: 0.6,
  };

  it('works out CAC, gross profit, profit, ROI and payback by hand', () => {
    // GP 72,000; profit 72,000 - 12,000 - 18,000 = 42,000; CAC 6,000;
    // monthly contribution (240,000 x 0.6 - 24,000) / 10 / 12 = 1,000, so payback 6 months.
    expect(segmentEconomics(base)).toEqual({
      revenue: 120_000,
      newAccounts: 3,
      acquisitionCost: 18_000,
      cac: 6_000,
      costToServe: 12_000,
      grossProfit: 72_000,
      profit: 42_000,
      profitMargin: 0.35,
      roi: 1.4,
      cacPaybackMonths: 6,
    });
  });

  it.each([
    ['no new accounts: no CAC and no payback', { newAccounts: 0 }, { cac: null, cacPaybackMonths: null }],
    [
      'service costs above gross profit: never pays back',
      { costToServeT12m: 150_000 },
      { cac: 6_000, cacPaybackMonths: null },
    ],
    [
      'no costs: no ROI',
      { acquisitionCost: 0, costToServe: 0, newAccounts: 0 },
      { roi: null, profit: 72_000 },
    ],
    [
      'no revenue: no profit margin',
      { revenue: 0 },
      { grossProfit: 0, profit: -30_000, profitMargin: null, roi: -1 },
    ],
    ['no active account: no payback', { activeAccounts: 0, revenueT12m: 0 }, { cacPaybackMonths: null }],
  ] as const)('%s', (_, change, expected) => {
    expect(segmentEconomics({ ...base, ...change })).toMatchObject(expected);
  });
});

function account(
  p: Partial<ClassifiedAccount> & Pick<ClassifiedAccount, 'accountId' | 'segment'>,
): ClassifiedAccount {
  return {
    accountName: `${p.accountId} Ltd`,
    ownerEmail: 'jane@example.com',
    ownerName: 'Jane',
    industry: null,
    country: null,
    employeeCount: null,
    createdOn: null,
    revenueT12m: 0,
    revenuePriorT12m: 0,
    invoicesT12m: 0,
    invoicesPriorT12m: 0,
    firstInvoiceOn: '2020-01-01',
    lastInvoiceOn: '2026-10-01',
    recencyDays: 30,
    tenureDays: 2000,
    monthlyRevenue: [],
    previousSegment: p.segment,
    previousRevenueT12m: 0,
    revenuePeriod: 0,
    growthYoy: null,
    movement: 'flat',
    movementAmount: 0,
    bridgeSegment: p.segment,
    ...p,
  } as ClassifiedAccount;
}

describe('measureSalesEfficiency', () => {
  const period = parsePeriod('2026-10', 'monthly');
  const accounts = [
    account({ accountId: 'H1', segment: 'High', revenueT12m: 200_000, revenuePeriod: 20_000 }),
    account({
      accountId: 'M1',
      segment: 'Medium',
      ownerEmail: ' Bob@Example.com ',
      ownerName: 'Bob',
      revenueT12m: 40_000,
      revenuePeriod: 4_000,
      firstInvoiceOn: '2026-02-15',
    }),
    account({
      accountId: 'M2',
      segment: 'Medium',
      revenueT12m: 20_000,
      revenuePeriod: 5_000,
      firstInvoiceOn: '2026-10-03',
    }),
    account({ accountId: 'L1', segment: 'Low', ownerEmail: 'not-an-email', revenueT12m: 5_000 }),
    account({
      accountId: 'I1',
      segment: 'Inactive',
      ownerEmail: 'bob@example.com',
      ownerName: 'Bob',
      firstInvoiceOn: '2024-01-01',
    }),
  ];
  const opportunities: OpportunityCheck = {
    table: 'opportunities',
    source: 'test',
    rowsChecked: 7,
    rejected: [],
    opportunities: [
      opp('o1', 'H1', 'won', '2026-01-01', '2026-01-31', 50_000),
      opp('o2', 'H1', 'lost', '2026-02-01', '2026-10-05', 10_000),
      opp('o3', 'M1', 'won', '2026-03-01', '2026-04-10', 8_000),
      opp('o4', 'M2', 'won', '2026-09-01', '2026-10-01', 6_000),
      opp('o5', 'M2', 'open', '2026-06-01', null, 3_000),
      opp('o6', 'L1', 'won', '2026-06-01', '2026-07-21', 1_000),
      opp('o7', 'I1', 'lost', '2025-01-01', '2025-06-01', 100),
    ],
  };
  const cost = (month: string, kind: MonthlyCost['kind'], target: string, amount: number): MonthlyCost => ({
    month: `${month}-01`,
    kind,
    accountId: /^[A-Z]\d$/.test(target) ? target : null,
    segment: /^[A-Z]\d$/.test(target) ? null : target,
    amount,
  });
  const costs: CostCheck = {
    table: 'costs',
    source: 'test',
    rowsChecked: 8,
    rejected: [],
    costs: [
      cost('2026-10', 'service', 'H1', 1_000),
      cost('2026-05', 'service', 'High', 2_400),
      cost('2026-10', 'acquisition', 'M2', 3_000),
      cost('2026-02', 'acquisition', 'M1', 2_000),
      cost('2026-06', 'acquisition', 'Medium', 1_000),
      cost('2025-10', 'service', 'Medium', 5_000), // before the T12M window
      cost('2026-01', 'service', 'I1', 500),
      cost('2026-03', 'service', 'M1', 600),
    ],
  };
  const names = ['High', 'Medium', 'Low', 'Inactive'];
  const sales = measureSalesEfficiency({
    period,
    accounts,
    segmentNames: names,
    grossMargin: 0.5,
    opportunities,
    costs,
  });
  const row = (segment: string, window: 'period' | 't12m') =>
    sales.segments.find((s) => s.segment === segment && s.window.name === window);

  it('measures over the month and the 12 months ending at its end, each segment in order', () => {
    expect(salesWindows(period)).toEqual([
      { name: 'period', start: '2026-10-01', end: '2026-10-31' },
      { name: 't12m', start: '2025-11-01', end: '2026-10-31' },
    ]);
    expect(sales.segments.map((s) => `${s.window.name}:${s.rank}:${s.segment}:${s.accounts}`)).toEqual([
      'period:1:High:1',
      'period:2:Medium:2',
      'period:3:Low:1',
      'period:4:Inactive:1',
      't12m:1:High:1',
      't12m:2:Medium:2',
      't12m:3:Low:1',
      't12m:4:Inactive:1',
    ]);
  });

  it('attributes opportunities to the segment of their account', () => {
    expect(row('High', 't12m')?.opportunities).toMatchObject({
      won: 1,
      lost: 1,
      conversionRate: 0.5,
      cycleMedianDays: 30,
    });
    expect(row('High', 'period')?.opportunities).toMatchObject({
      won: 0,
      lost: 1,
      conversionRate: 0,
      cycleMedianDays: null,
    });
    expect(row('Medium', 't12m')?.opportunities).toEqual({
      won: 2,
      lost: 0,
      conversionRate: 1,
      wonAmount: 14_000,
      cycleMedianDays: 35,
      cycleP75Days: 37.5,
      openCount: 1,
      openAmount: 3_000,
    });
    expect(row('Low', 'period')?.opportunities).toMatchObject({ won: 0, lost: 0, conversionRate: null });
    expect(row('Inactive', 't12m')?.opportunities).toMatchObject({ won: 0, lost: 0, openCount: 0 });
  });

  it('attributes account costs to the account segment and segment costs to the segment (hand-worked)', () => {
    expect(row('High', 't12m')?.economics).toEqual({
      revenue: 200_000,
      newAccounts: 0,
      acquisitionCost: 0,
      cac: null,
      costToServe: 3_400,
      grossProfit: 100_000,
      profit: 96_600,
      profitMargin: 0.483,
      roi: 96_600 / 3_400,
      cacPaybackMonths: null,
    });
    // New in T12M: M1 (Feb) and M2 (Oct); acquisition 3,000 + 2,000 + 1,000; cost to serve 600 (the 5,000 of
    // Oct 2025 is outside); monthly contribution (60,000 x 0.5 - 600) / 2 / 12 = 1,225.
    expect(row('Medium', 't12m')?.economics).toEqual({
      revenue: 60_000,
      newAccounts: 2,
      acquisitionCost: 6_000,
      cac: 3_000,
      costToServe: 600,
      grossProfit: 30_000,
      profit: 23_400,
      profitMargin: 0.39,
      roi: 23_400 / 6_600,
      cacPaybackMonths: 3_000 / 1_225,
    });
    expect(row('Medium', 'period')?.economics).toEqual({
      revenue: 9_000,
      newAccounts: 1,
      acquisitionCost: 3_000,
      cac: 3_000,
      costToServe: 0,
      grossProfit: 4_500,
      profit: 1_500,
      profitMargin: 1_500 / 9_000,
      roi: 0.5,
      cacPaybackMonths: 3_000 / 1_225,
    });
    expect(row('Inactive', 't12m')?.economics).toMatchObject({
      revenue: 0,
      costToServe: 500,
      profit: -500,
      roi: -1,
    });
    expect(row('Low', 't12m')?.economics).toMatchObject({ profit: 2_500, roi: null, cac: null });
  });

  it('measures each valid owner email (normalized) over both windows and lists the open pipeline', () => {
    expect(sales.owners.map((o) => [o.ownerEmail, o.ownerName, o.window.name, o.accounts])).toEqual([
      ['bob@example.com', 'Bob', 'period', 2],
      ['bob@example.com', 'Bob', 't12m', 2],
      ['jane@example.com', 'Jane', 'period', 2],
      ['jane@example.com', 'Jane', 't12m', 2],
    ]);
    const jane = sales.owners.find((o) => o.ownerEmail === 'jane@example.com' && o.window.name === 't12m');
    expect(jane?.opportunities).toMatchObject({
      won: 2,
      lost: 1,
      conversionRate: 2 / 3,
      cycleMedianDays: 30,
      openCount: 1,
    });
    const bob = sales.owners.find((o) => o.ownerEmail === 'bob@example.com' && o.window.name === 't12m');
    expect(bob?.opportunities).toMatchObject({
      won: 1,
      lost: 0,
      conversionRate: 1,
      cycleMedianDays: 40,
      openCount: 0,
    });
    expect(sales.openOpportunities.map((o) => [o.opportunityId, o.ownerEmail, o.segment])).toEqual([
      ['o5', 'jane@example.com', 'Medium'],
    ]);
  });

  it('leaves every metric of an absent input null and measures no owner without opportunities', () => {
    const none = measureSalesEfficiency({ period, accounts, segmentNames: names, grossMargin: 0.5 });
    expect(none.segments).toHaveLength(8);
    expect(none.segments.every((s) => s.opportunities === null && s.economics === null)).toBe(true);
    expect(none.owners).toEqual([]);
    expect(none.openOpportunities).toEqual([]);
  });
});
