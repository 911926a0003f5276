import { describe, expect, it } from 'vitest';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { assertValidFeatures } from '../../lambdas/core/metrics/validate-features.ts';
import type { AccountFeatures } from '../../lambdas/core/types.ts';

function row(overrides: Partial<AccountFeatures> = {}): AccountFeatures {
  const monthlyRevenue = Array.from({ length: 24 }, (_, i) => (i === 5 ? 300 : i === 20 ? 1_000 : 0));
  return {
    accountId: 'acme',
    accountName: 'Acme',
    ownerEmail: 'a@example.com',
    ownerName: 'A',
    industry: null,
    country: null,
    employeeCount: null,
    createdOn: null,
    revenueT12m: 1_000,
    revenuePriorT12m: 300,
    invoicesT12m: 1,
    invoicesPriorT12m: 1,
    firstInvoiceOn: '2025-04-02',
    lastInvoiceOn: '2026-07-02',
    recencyDays: 100,
    tenureDays: 500,
    monthlyRevenue,
    ...overrides,
  };
}

describe('assertValidFeatures', () => {
  it('accepts consistent rows', () => {
    expect(() => assertValidFeatures([row(), row({ accountId: 'beta' })])).not.toThrow();
  });

  it.each([
    ['an empty id', [row({ accountId: ' ' })], /row 1 \(account ' '\): accountId is empty/],
    ['a duplicate id', [row(), row()], /row 2 \(account 'acme'\): accountId appears twice/],
    ['a NaN amount', [row({ revenueT12m: Number.NaN })], /revenueT12m is NaN, expected a finite number/],
    [
      'fractional invoices',
      [row({ invoicesT12m: 1.5 })],
      /invoicesT12m is 1.5, expected a finite non-negative integer/,
    ],
    ['a short window', [row({ monthlyRevenue: [1, 2, 3] })], /monthlyRevenue has 3 entries, expected 24/],
    [
      'an infinite month',
      [row({ monthlyRevenue: [...row().monthlyRevenue.slice(0, 23), Number.POSITIVE_INFINITY] })],
      /monthlyRevenue\[23\] is Infinity/,
    ],
    [
      'T12M off its months',
      [row({ revenueT12m: 1_000.5 })],
      /revenueT12m is 1000.5 but its months in monthlyRevenue add up to 1000.00/,
    ],
    [
      'prior T12M off its months',
      [row({ revenuePriorT12m: 0 })],
      /revenuePriorT12m is 0 but its months .* add up to 300.00/,
    ],
  ])('rejects %s, naming the row, account and field', (_name, rows, message) => {
    expect(() => assertValidFeatures(rows)).toThrow(InputContractError);
    expect(() => assertValidFeatures(rows)).toThrow(message);
    expect(() => assertValidFeatures(rows)).toThrow(
      /^account features \(sql\/account_features\.sql\) row \d/,
    );
  });

  it('tolerates rounding within a cent', () => {
    expect(() => assertValidFeatures([row({ revenueT12m: 1_000.004 })])).not.toThrow();
  });
});
