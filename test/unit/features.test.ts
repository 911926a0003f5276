import { describe, expect, it } from 'vitest';
import { MONTH_COLUMNS, toAccountFeatures } from '../../lambdas/core/features.ts';

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_id: 'A1',
    account_name: 'Acme',
    owner_email: 'jane@example.com',
    owner_name: 'Jane Doe',
    industry: 'Software',
    country: null,
    employee_count: 120,
    created_on: '2023-01-15',
    last_reviewed_on: '2026-09-30',
    revenue_t12m: 6750.5,
    revenue_prior_t12m: 3000,
    invoices_t12m: 3,
    invoices_prior_t12m: 2,
    first_invoice_on: '2024-10-31',
    last_invoice_on: '2026-10-31',
    recency_days: 0,
    tenure_days: 730,
    ...Object.fromEntries(MONTH_COLUMNS.map((m, i) => [m, i])),
    ...overrides,
  };
}

describe('toAccountFeatures', () => {
  it('maps snake_case columns and orders the months oldest first (m23 .. m00)', () => {
    const features = toAccountFeatures(row());
    expect(features).toEqual({
      accountId: 'A1',
      accountName: 'Acme',
      ownerEmail: 'jane@example.com',
      ownerName: 'Jane Doe',
      industry: 'Software',
      country: null,
      employeeCount: 120,
      createdOn: '2023-01-15',
      lastReviewOn: '2026-09-30',
      revenueT12m: 6750.5,
      revenuePriorT12m: 3000,
      invoicesT12m: 3,
      invoicesPriorT12m: 2,
      firstInvoiceOn: '2024-10-31',
      lastInvoiceOn: '2026-10-31',
      recencyDays: 0,
      tenureDays: 730,
      monthlyRevenue: [23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    });
  });

  it('accepts numbers as numeric strings (as Athena returns them) and nulls where allowed', () => {
    const features = toAccountFeatures(
      row({ revenue_t12m: '12.5', invoices_t12m: '4', first_invoice_on: null, recency_days: null }),
    );
    expect(features.revenueT12m).toBe(12.5);
    expect(features.invoicesT12m).toBe(4);
    expect(features.firstInvoiceOn).toBeNull();
    expect(features.recencyDays).toBeNull();
  });

  it.each([
    [{ account_id: '' }, 'account_features row 7: column account_id is "", expected a non-empty string'],
    [
      { account_name: null },
      'account_features row 7 (account A1): column account_name is null, expected a string',
    ],
    [{ revenue_t12m: 'abc' }, 'column revenue_t12m is "abc", expected a finite number'],
    [{ invoices_t12m: 2.5 }, 'column invoices_t12m is 2.5, expected a whole number >= 0'],
    [
      { last_invoice_on: '31/10/2026' },
      'column last_invoice_on is "31/10/2026", expected a YYYY-MM-DD date or null',
    ],
    [{ m05: undefined }, 'column m05 is missing, expected a finite number'],
  ])('rejects %j naming the column', (overrides, message) => {
    expect(() => toAccountFeatures(row(overrides), 'account_features row 7')).toThrow(message);
  });
});
