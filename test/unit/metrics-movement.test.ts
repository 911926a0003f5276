import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { type ClassifyContext, classifyAccount } from '../../lambdas/core/metrics/classify-account.ts';
import { fromCents, ratioOrNull, toCents } from '../../lambdas/core/metrics/money.ts';
import { classifyMovement, growthRate } from '../../lambdas/core/metrics/movement.ts';
import { periodWindows, sumRange } from '../../lambdas/core/metrics/period-windows.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import type { AccountFeatures, PreviousSegment } from '../../lambdas/core/types.ts';

describe('money', () => {
  it.each([
    [1234.56, 123456],
    [0.1 + 0.2, 30],
    [-19.99, -1999],
    [-0.001, 0],
    [0, 0],
  ])('%d is %i cents', (amount, cents) => {
    expect(toCents(amount)).toBe(cents);
  });

  it('gives null for undefined ratios', () => {
    expect([ratioOrNull(1, 4), ratioOrNull(1, 0), ratioOrNull(0, 0), fromCents(-1999)]).toEqual([
      0.25,
      null,
      null,
      -19.99,
    ]);
  });
});

describe('classifyMovement (current T12M window starts 2025-11-01)', () => {
  it.each([
    [100, 150, '2020-01-01', 'expansion'],
    [150, 100, '2020-01-01', 'contraction'],
    [100, 100, '2020-01-01', 'unchanged'],
    [100, 0, '2020-01-01', 'churn'],
    [100, -5, '2020-01-01', 'churn'],
    [0, 50, '2025-11-01', 'new'],
    [0, 50, '2025-10-31', 'reactivation'],
    [-20, 50, null, 'new'],
    [-20, 50, '2024-03-01', 'reactivation'],
    [0, 0, null, 'inactive'],
    [-5, -5, '2024-03-01', 'inactive'],
    [0, -5, '2024-03-01', 'inactive'],
  ] as const)('previous %i, current %i, first invoice %s: %s', (previous, current, first, movement) => {
    expect(
      classifyMovement(
        { previousCents: previous, currentCents: current, firstInvoiceOn: first },
        '2025-11-01',
      ),
    ).toBe(movement);
  });

  it.each([
    [120, 100, 0.2],
    [0, 100, -1],
    [50, 0, null],
    [50, -10, null],
  ])('growth from %d to %d is %s', (current, prior, growth) => {
    expect(growthRate(current, prior)).toBe(growth);
  });
});

describe('periodWindows', () => {
  it.each([
    // id, cadence, fiscal start, T12M start, previous end, previous T12M [from, to), last calendar month
    ['2026-10', 'monthly', 1, '2025-11-01', '2026-09-30', 11, 23, 10],
    ['2026-01', 'monthly', 1, '2025-02-01', '2025-12-31', 11, 23, 1],
    ['2026-Q3', 'quarterly', 1, '2025-10-01', '2026-06-30', 9, 21, 9],
    ['2026-Q1', 'quarterly', 4, '2025-07-01', '2026-03-31', 9, 21, 6],
  ] as const)('%s %s (fiscal start %i)', (id, cadence, fy, start, previousEnd, from, to, lastMonth) => {
    const w = periodWindows(parsePeriod(id, cadence, fy));
    expect([w.t12mStart, w.previousEnd, w.previousT12mFrom, w.previousT12mTo, w.periodFrom]).toEqual([
      start,
      previousEnd,
      from,
      to,
      to,
    ]);
    expect(w.calendarMonths).toHaveLength(24);
    expect(w.calendarMonths[23]).toBe(lastMonth);
    expect(w.calendarMonths[11]).toBe(lastMonth);
    expect(w.calendarMonths[22]).toBe(lastMonth === 1 ? 12 : lastMonth - 1);
  });

  it('sums an index range', () => {
    expect(sumRange([1, 2, 3, 4, 5], 1, 4)).toBe(9);
  });
});

function account(
  id: string,
  monthly: Record<number, number>,
  firstInvoiceOn: string | null,
): AccountFeatures {
  const months = Array.from({ length: 24 }, (_, i) => monthly[i] ?? 0);
  return {
    accountId: id,
    accountName: id,
    ownerEmail: 'owner@example.com',
    ownerName: 'Owner',
    industry: null,
    country: null,
    employeeCount: null,
    createdOn: null,
    revenueT12m: sumRange(months, 12, 24),
    revenuePriorT12m: sumRange(months, 0, 12),
    invoicesT12m: 1,
    invoicesPriorT12m: 0,
    firstInvoiceOn,
    lastInvoiceOn: null,
    recencyDays: null,
    tenureDays: null,
    monthlyRevenue: months,
  };
}

describe('classifyAccount', () => {
  const segments = parseRunConfig({}).segments;
  const names = new Set(['High', 'Medium', 'Low', 'Inactive']);
  const context = (
    period: string,
    cadence: 'monthly' | 'quarterly',
    previous?: Map<string, PreviousSegment>,
  ) =>
    ({
      windows: periodWindows(parsePeriod(period, cadence)),
      segments,
      segmentNames: names,
      previous,
    }) satisfies ClassifyContext;

  it('takes previous T12M and period revenue from the right months (quarterly)', () => {
    // 2026-Q3: previous T12M = indices 9..20, period = 21..23.
    const a = classifyAccount(
      account('q', { 8: 1_000, 9: 2_000, 20: 3_000, 21: 40_000, 23: 50_000 }, '2024-01-05'),
      context('2026-Q3', 'quarterly'),
    );
    expect(a.previousRevenueT12m).toBe(5_000);
    expect(a.revenuePeriod).toBe(90_000);
    expect(a.revenueT12m).toBe(93_000);
    expect([a.segment, a.previousSegment, a.movement, a.movementAmount]).toEqual([
      'Medium',
      'Low',
      'expansion',
      88_000,
    ]);
    expect(a.revenuePriorT12m).toBe(3_000);
    expect(a.growthYoy).toBe(30);
  });

  it('derives a null previous segment only for a first invoice after the previous period', () => {
    const fresh = classifyAccount(account('n', { 23: 500 }, '2026-10-03'), context('2026-10', 'monthly'));
    const dormant = classifyAccount(account('d', {}, null), context('2026-10', 'monthly'));
    expect([fresh.previousSegment, fresh.movement, fresh.growthYoy]).toEqual([null, 'new', null]);
    expect([dormant.previousSegment, dormant.segment, dormant.movement]).toEqual([
      'Inactive',
      'Inactive',
      'inactive',
    ]);
  });

  it('keeps a churned account in the segment of its last revenue', () => {
    const churned = classifyAccount(
      account('c', { 11: 20_000, 23: -100 }, '2025-10-02'),
      context('2026-10', 'monthly'),
    );
    expect([churned.segment, churned.previousSegment, churned.bridgeSegment, churned.movement]).toEqual([
      'Inactive',
      'Medium',
      'Medium',
      'churn',
    ]);
    expect(churned.movementAmount).toBe(-20_100);
  });

  it('reads the previous segment from the snapshot, null when the account is missing', () => {
    const previous = new Map([['s', { segment: 'High', revenueT12m: 150_000 }]]);
    const ctx = context('2026-10', 'monthly', previous);
    const known = classifyAccount(account('s', { 11: 20_000, 23: -100 }, '2025-10-02'), ctx);
    const missing = classifyAccount(account('m', { 11: 20_000 }, '2025-10-02'), ctx);
    expect([known.previousSegment, known.bridgeSegment]).toEqual(['High', 'High']);
    expect([missing.previousSegment, missing.bridgeSegment]).toEqual([null, 'Medium']);
  });
});
