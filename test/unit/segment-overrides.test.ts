import { describe, expect, it } from 'vitest';
import { analyzePortfolio } from '../../lambdas/core/analyze-portfolio.ts';
import { parseRunConfig, segmentOrder } from '../../lambdas/core/config.ts';
import { assignSegment } from '../../lambdas/core/metrics/assign-segment.ts';
import {
  checkSegmentOverrides,
  type OverrideCheck,
  overrideOutcome,
  type SegmentOverrideInputRow,
  summarizeOverrides,
} from '../../lambdas/core/overrides/segment-overrides.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { quarantineReasonText } from '../../lambdas/core/quarantine.ts';
import type { AccountFeatures } from '../../lambdas/core/types.ts';
import { overrideQuarantine } from '../../lambdas/jobs/steps/read-optional-input.ts';

const segments = parseRunConfig({}).segments;
const names = segmentOrder(segments);
const october = parsePeriod('2026-10', 'monthly');

/** An account with the same revenue in each of the 24 months (T12M = 12 x monthly). */
function account(id: string, monthly: number, owner = 'ann@example.com'): AccountFeatures {
  return {
    accountId: id,
    accountName: `Account ${id}`,
    ownerEmail: owner,
    ownerName: owner.split('@')[0] ?? owner,
    industry: null,
    country: null,
    employeeCount: null,
    createdOn: null,
    revenueT12m: 12 * monthly,
    revenuePriorT12m: 12 * monthly,
    invoicesT12m: monthly > 0 ? 12 : 0,
    invoicesPriorT12m: monthly > 0 ? 12 : 0,
    firstInvoiceOn: '2020-01-10',
    lastInvoiceOn: monthly > 0 ? '2026-10-10' : null,
    recencyDays: monthly > 0 ? 21 : null,
    tenureDays: 2485,
    monthlyRevenue: Array.from({ length: 24 }, () => monthly),
  };
}

// T12M: A 120,000 High; B 60,000 Medium; C 6,000 Low; D 2,400 Low; E 24,000 Medium (owner bob)
const BOOK = [
  account('A', 10_000),
  account('B', 5_000),
  account('C', 500),
  account('D', 200),
  account('E', 2_000, 'bob@example.com'),
];

const row = (over: Partial<SegmentOverrideInputRow>): SegmentOverrideInputRow => ({
  accountId: 'C',
  segment: 'High',
  reason: 'strategic logo',
  setBy: 'ann@example.com',
  expiresOn: '2026-12-31',
  ...over,
});

const check = (rows: SegmentOverrideInputRow[]): OverrideCheck =>
  checkSegmentOverrides(rows, { accounts: BOOK, segmentNames: names, asOf: october.end });

describe('checkSegmentOverrides', () => {
  it('keeps a valid override in force through its expiry day (inclusive)', () => {
    const result = check([row({ expiresOn: '2026-10-31' })]);
    expect([...result.active.keys()]).toEqual(['C']);
    expect(result.active.get('C')).toEqual({
      accountId: 'C',
      segment: 'High',
      reason: 'strategic logo',
      setBy: 'ann@example.com',
      expiresOn: '2026-10-31',
    });
    expect(result.expired).toEqual([]);
    expect(result.rejected).toEqual([]);
  });

  it('lists an override that expired before the period end, with the account owner, and does not apply it', () => {
    const result = check([row({ accountId: 'E', expiresOn: '2026-10-30' })]);
    expect(result.active.size).toBe(0);
    expect(result.expired).toEqual([
      expect.objectContaining({ accountId: 'E', ownerEmail: 'bob@example.com', accountName: 'Account E' }),
    ]);
  });

  it.each([
    ['missing_account_id', row({ accountId: '  ' }), 'segment_overrides row 1: account_id is empty'],
    [
      'missing_segment',
      row({ segment: null }),
      "row 1 (account 'C'): segment is empty: give one of High, Medium, Low, Inactive",
    ],
    ['missing_reason', row({ reason: '' }), "row 1 (account 'C'): reason is empty"],
    [
      'unparsable_expires_on',
      row({ expiresOn: '31/12/2026' }),
      'expires_on "31/12/2026" is not a date: use YYYY-MM-DD',
    ],
    ['unparsable_expires_on', row({ expiresOn: '2026-02-30' }), 'expires_on "2026-02-30" is not a date'],
    [
      'unknown_account',
      row({ accountId: 'ZZ' }),
      "row 1 (account 'ZZ'): account is not in the accounts table",
    ],
    [
      'unknown_segment',
      row({ segment: 'Platinum' }),
      "segment 'Platinum' is not configured: use one of High, Medium, Low, Inactive",
    ],
    ['unknown_segment', row({ segment: 'high' }), "segment 'high' is not configured"],
  ] as const)('rejects %s with a message naming the row: %#', (reason, bad, message) => {
    const result = check([bad]);
    expect(result.active.size).toBe(0);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.reason).toBe(reason);
    expect(result.rejected[0]?.message).toContain(message);
  });

  it('keeps the first override of an account and rejects later ones', () => {
    const result = check([row({ segment: 'High' }), row({ segment: 'Medium' })]);
    expect(result.active.get('C')?.segment).toBe('High');
    expect(result.rejected).toEqual([
      expect.objectContaining({ row: 2, reason: 'duplicate_override', accountId: 'C' }),
    ]);
  });

  it('trims values and reads a timestamp-like expiry as its date', () => {
    const result = check([row({ accountId: ' D ', segment: ' Medium ', expiresOn: '2027-01-15 00:00:00' })]);
    expect(result.active.get('D')).toMatchObject({ segment: 'Medium', expiresOn: '2027-01-15' });
  });
});

describe('overrides in the portfolio analysis', () => {
  // C (Low, 6,000) pinned to High; A (High, 120,000) pinned to Medium; D pinned to Low (its own segment).
  const result = check([
    row({ accountId: 'C', segment: 'High' }),
    row({ accountId: 'A', segment: 'Medium' }),
    row({ accountId: 'D', segment: 'Low' }),
    row({ accountId: 'E', segment: 'High', expiresOn: '2026-01-31' }),
  ]);
  const plain = analyzePortfolio(BOOK, october, segments);
  const overridden = analyzePortfolio(BOOK, october, segments, undefined, result.active);
  const kpi = (analysis: typeof plain, name: string) => analysis.segments.find((s) => s.segment === name);

  it('uses the effective segment for every account and segment KPI', () => {
    expect(overridden.accounts.map((a) => [a.accountId, a.segment])).toEqual([
      ['A', 'Medium'],
      ['B', 'Medium'],
      ['C', 'High'],
      ['D', 'Low'],
      ['E', 'Medium'],
    ]);
    // by hand: High = {C} 6,000; Medium = {A, B, E} 120,000 + 60,000 + 24,000; Low = {D} 2,400
    expect(kpi(overridden, 'High')).toMatchObject({ accounts: 1, revenueT12m: 6_000 });
    expect(kpi(overridden, 'Medium')).toMatchObject({ accounts: 3, revenueT12m: 204_000 });
    expect(kpi(overridden, 'Low')).toMatchObject({ accounts: 1, revenueT12m: 2_400 });
    expect(kpi(overridden, 'Medium')?.revenueShare).toBeCloseTo(204_000 / 212_400, 12);
    // without overrides: High = {A}, Medium = {B, E}, Low = {C, D}
    expect(kpi(plain, 'High')).toMatchObject({ accounts: 1, revenueT12m: 120_000 });
    expect(kpi(plain, 'Low')).toMatchObject({ accounts: 2, revenueT12m: 8_400 });
    expect(overridden.portfolio.revenueT12m).toBe(plain.portfolio.revenueT12m);
  });

  it('summarizes per segment how many overrides move accounts and how much revenue', () => {
    const outcome = overrideOutcome(result, overridden.accounts, (r) => assignSegment(r, segments));
    expect(outcome.applied.get('A')).toMatchObject({
      computedSegment: 'High',
      segment: 'Medium',
      revenueT12m: 120_000,
    });
    expect(outcome.expired.map((e) => e.accountId)).toEqual(['E']);
    expect(summarizeOverrides(outcome, names)).toEqual([
      {
        segment: 'High',
        overridesIn: 1,
        revenueIn: 6_000,
        overridesOut: 1,
        revenueOut: 120_000,
        overridesUnchanged: 0,
      },
      {
        segment: 'Medium',
        overridesIn: 1,
        revenueIn: 120_000,
        overridesOut: 0,
        revenueOut: 0,
        overridesUnchanged: 0,
      },
      {
        segment: 'Low',
        overridesIn: 0,
        revenueIn: 0,
        overridesOut: 1,
        revenueOut: 6_000,
        overridesUnchanged: 1,
      },
      {
        segment: 'Inactive',
        overridesIn: 0,
        revenueIn: 0,
        overridesOut: 0,
        revenueOut: 0,
        overridesUnchanged: 0,
      },
    ]);
  });
});

describe('rejected overrides in the quarantine', () => {
  it('are counted per reason and kept with their message, beside the rows checked', () => {
    const result = check([
      row({ accountId: 'ZZ' }),
      row({ segment: 'Platinum' }),
      row({ accountId: 'D', segment: 'Medium' }),
      row({ accountId: 'E', expiresOn: '2026-01-31' }),
      row({ accountId: 'D', segment: 'High' }),
      row({ accountId: 'A', reason: ' ' }),
    ]);
    const q = overrideQuarantine(result);
    // 6 rows: D in force, E expired (neither quarantined), 4 rejected
    expect(q?.checked).toBe(6);
    expect(q?.counts).toEqual([
      { table: 'segment_overrides', reason: 'unknown_account', rows: 1, amount: 0 },
      { table: 'segment_overrides', reason: 'unknown_segment', rows: 1, amount: 0 },
      { table: 'segment_overrides', reason: 'duplicate_override', rows: 1, amount: 0 },
      { table: 'segment_overrides', reason: 'missing_override_reason', rows: 1, amount: 0 },
    ]);
    expect(q?.rows[0]).toEqual({
      table: 'segment_overrides',
      reason: 'unknown_account',
      accountId: 'ZZ',
      invoiceId: null,
      bookedOn: null,
      amount: null,
      detail:
        "segment_overrides row 1 (account 'ZZ'): account is not in the accounts table (or was quarantined): fix the account_id or remove the override",
    });
    for (const r of q?.rows ?? []) expect(quarantineReasonText(r.reason)).toBeTruthy();
    expect(overrideQuarantine(undefined)).toBeUndefined();
  });
});
