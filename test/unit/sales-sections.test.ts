import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { createFormatter, type ReportContext } from '../../lambdas/core/report/index.ts';
import { renderText } from '../../lambdas/core/report/render-text.ts';
import {
  ownerSalesBlocks,
  salesAttachments,
  salesBlocks,
  salesEfficiencyCsv,
} from '../../lambdas/core/report/sales-sections.ts';
import { checkCosts } from '../../lambdas/core/sales/costs.ts';
import { checkOpportunities } from '../../lambdas/core/sales/opportunities.ts';
import { measureSalesEfficiency, type SalesEfficiency } from '../../lambdas/core/sales/sales-efficiency.ts';
import type { ClassifiedAccount } from '../../lambdas/core/types.ts';

const fmt = createFormatter('en-US', 'USD');
const period = parsePeriod('2026-10', 'monthly');
const names = ['High', 'Medium', 'Low', 'Inactive'];

function account(
  accountId: string,
  segment: string,
  ownerEmail: string,
  revenueT12m: number,
): ClassifiedAccount {
  return {
    accountId,
    accountName: `${accountId} <Corp>`,
    ownerEmail,
    ownerName: ownerEmail.split('@')[0] ?? '',
    segment,
    revenueT12m,
    revenuePeriod: revenueT12m / 12,
    firstInvoiceOn: '2026-10-05',
  } as ClassifiedAccount;
}

const accounts = [
  account('H1', 'High', 'jane@example.com', 240_000),
  account('L1', 'Low', 'bob@example.com', 6_000),
];
const ids = new Set(accounts.map((a) => a.accountId));
const opportunities = checkOpportunities(
  [
    {
      opportunityId: 'O-1',
      accountId: 'H1',
      createdOn: '2026-01-01',
      closedOn: '2026-03-02',
      stage: 'won',
      amount: '50000',
    },
    {
      opportunityId: 'O-2',
      accountId: 'H1',
      createdOn: '2026-02-01',
      closedOn: '2026-05-01',
      stage: 'lost',
      amount: '9000',
    },
    {
      opportunityId: 'O-3',
      accountId: 'H1',
      createdOn: '2026-09-01',
      closedOn: '2027-01-15',
      stage: 'open',
      amount: '70000',
    },
    {
      opportunityId: 'O-4',
      accountId: 'H1',
      createdOn: '2026-09-01',
      closedOn: null,
      stage: 'maybe',
      amount: '1',
    },
  ],
  { accountIds: ids, runDate: '2026-11-02' },
);
const costs = checkCosts(
  [
    { period: '2026-10', accountId: 'H1', segment: null, kind: 'acquisition', amount: '12000' },
    { period: '2026-Q3', accountId: null, segment: 'High', kind: 'service', amount: '6000' },
  ],
  { accountIds: ids, segmentNames: names },
);

function contextWith(sales: SalesEfficiency | undefined): ReportContext {
  return {
    sales,
    analysis: { period, accounts },
    snapshotLocation: '/tmp/store/snapshots/',
  } as unknown as ReportContext;
}

function text(blocks: ReturnType<typeof salesBlocks>): string {
  return renderText({ title: 't', preheader: '', blocks, footer: [] }, Number.POSITIVE_INFINITY);
}

describe('salesBlocks', () => {
  it('says "not available: needs <table>" for each absent input, never 0', () => {
    const none = measureSalesEfficiency({ period, accounts, segmentNames: names, grossMargin: 0.7 });
    const out = text(salesBlocks(contextWith(none), fmt));
    expect(out).toContain('Sales efficiency and profitability');
    expect(out).toContain(
      'Conversion rate, sales cycle and open pipeline: not available: needs opportunities.',
    );
    expect(out).toContain(
      'CAC, cost to serve, gross profit, segment profitability, ROI and CAC payback: not available: needs costs.',
    );
    expect(out).not.toMatch(/0\.0%|\$0\b/);
    expect(text(salesBlocks(contextWith(undefined), fmt))).toContain('not available: needs opportunities');
    expect(salesAttachments(contextWith(none))).toEqual([]);
  });

  it('shows conversion, cycle, pipeline, owners and profitability with the inputs checked', () => {
    const sales = measureSalesEfficiency({
      period,
      accounts,
      segmentNames: names,
      grossMargin: 0.7,
      opportunities,
      costs,
    });
    const out = text(salesBlocks(contextWith(sales), fmt));
    expect(out).toContain(
      'Inputs: opportunities: 4 rows checked, 1 quarantined (see Data quality); costs: 2 rows checked, 0 quarantined.',
    );
    // High over T12M: 1 won of 2 closed (50.0%), cycle 60 days (Jan 1 to Mar 2), 70,000 open.
    expect(out).toMatch(/High\s+—\s+50\.0%\s+1 \/ 2\s+\$50,000\s+60\s+60\s+1\s+\$70,000/);
    expect(out).toMatch(/\njane\s+1\s+1 \/ 2\s+50\.0%\s+60\s+1\s+\$70,000/);
    // High over T12M: GP 240,000 x 0.7 = 168,000; cost to serve 6,000; CAC 12,000 for one new account;
    // profit 150,000 (62.5%); ROI 150,000 / 18,000 = 833.3%; payback 12,000 / ((168,000 - 6,000) / 12) = 0.9.
    expect(out).toMatch(
      /High\s+\$240,000\s+1 \/ 1\s+\$12,000\s+\$6,000\s+\$168,000\s+\$150,000\s+62\.5%\s+833\.3%\s+0\.9/,
    );
    // Low: one new account and no acquisition cost recorded, so CAC $0; no costs at all, so no ROI.
    expect(out).toMatch(/Low\s+\$6,000\s+1 \/ 1\s+\$0\s+\$0\s+\$4,200\s+\$4,200\s+70\.0%\s+—\s+0\.0/);
    expect(out).toMatch(/Inactive\s+\$0\s+0 \/ 0\s+no new accounts/);
    expect(out).toContain('gross margin of 70.0% (configured)');
    expect(out).not.toContain('gross profit equals revenue');
  });

  it('attaches every segment row of both windows as CSV, empty cells when not measured', () => {
    const sales = measureSalesEfficiency({
      period,
      accounts,
      segmentNames: names,
      grossMargin: 0.7,
      opportunities,
    });
    const csv = salesEfficiencyCsv(contextWith(sales)).trim().split('\r\n');
    expect(csv).toHaveLength(1 + 8);
    expect(csv[0]).toMatch(/^period,cadence,segment,window_name,/);
    expect(csv[5]).toBe(
      '2026-10,monthly,High,t12m,2025-11-01,2026-10-31,1,1,1,0.5,50000,60,60,1,70000,,,,,,,,,,',
    );
    expect(salesAttachments(contextWith(sales)).map((a) => a.filename)).toEqual([
      'sales-efficiency-2026-10.csv',
    ]);
  });
});

describe('ownerSalesBlocks', () => {
  it("lists the owner's conversion, cycle and largest open opportunities", () => {
    const sales = measureSalesEfficiency({
      period,
      accounts,
      segmentNames: names,
      grossMargin: 0.7,
      opportunities,
    });
    const out = text(ownerSalesBlocks(contextWith(sales), ' Jane@Example.com', fmt));
    expect(out).toContain(
      'Last 12 months: 1 won of 2 closed opportunities (conversion 50.0%), median sales cycle 60 days. Open pipeline at Oct 31, 2026: 1 opportunity worth $70,000.',
    );
    expect(out).toContain(
      'O-3 with H1 <Corp> (H1): $70,000, open since Sep 1, 2026, expected to close Jan 15, 2027',
    );
    const bob = text(ownerSalesBlocks(contextWith(sales), 'bob@example.com', fmt));
    expect(bob).toContain('0 won of 0 closed opportunities (conversion —), median sales cycle — (none won)');
    expect(bob).not.toContain('Largest open opportunities');
  });

  it('says not available without opportunities', () => {
    const none = measureSalesEfficiency({ period, accounts, segmentNames: names, grossMargin: 0.7 });
    expect(text(ownerSalesBlocks(contextWith(none), 'jane@example.com', fmt))).toContain(
      'Conversion and pipeline: not available: needs opportunities.',
    );
  });
});
