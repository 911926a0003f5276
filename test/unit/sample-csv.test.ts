import { describe, expect, it } from 'vitest';
import type { AccountRow } from '../../lambdas/core/sample/accounts.ts';
import {
  ACCOUNT_COLUMNS,
  accountCsv,
  csvField,
  csvHeader,
  REVENUE_LINE_COLUMNS,
  revenueLineCsv,
} from '../../lambdas/core/sample/csv.ts';
import { parseCsv, parseCsvRecords } from './sample-book-helpers.ts';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['Silva, Mehta & Müller', '"Silva, Mehta & Müller"'],
    ['"Helora" Partners Ltd', '"""Helora"" Partners Ltd"'],
    ['say "hi", then go', '"say ""hi"", then go"'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ["O'Brien & Sons", "O'Brien & Sons"],
    ['', '""'],
    [null, ''],
    [42, '42'],
    ['12,5O', '"12,5O"'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('CSV records', () => {
  const account: AccountRow = {
    accountId: 'ACC-000002',
    accountName: '"Blue Sky", García & Partners',
    ownerEmail: 'zoe.oneill@example.com',
    ownerName: "Zoë O'Neill",
    industry: null,
    country: 'US',
    employeeCount: null,
    createdOn: '2024-02-29',
    lastReviewedOn: null,
  };

  it('writes a header and CRLF-terminated records that an RFC 4180 reader reads back', () => {
    const text =
      csvHeader(ACCOUNT_COLUMNS) +
      accountCsv(account) +
      accountCsv({
        ...account,
        accountId: 'ACC-000003',
        industry: 'Retail',
        employeeCount: 12,
        lastReviewedOn: '2026-09-15',
      });
    expect(text.split('\r\n')).toHaveLength(4);
    expect(text).toBe(
      'account_id,account_name,owner_email,owner_name,industry,country,employee_count,created_on,last_reviewed_on\r\n' +
        `ACC-000002,"""Blue Sky"", García & Partners",zoe.oneill@example.com,Zoë O'Neill,,US,,2024-02-29,\r\n` +
        `ACC-000003,"""Blue Sky"", García & Partners",zoe.oneill@example.com,Zoë O'Neill,Retail,US,12,2024-02-29,2026-09-15\r\n`,
    );
    const [first, second] = parseCsvRecords(text);
    expect(first).toEqual({
      account_id: 'ACC-000002',
      account_name: '"Blue Sky", García & Partners',
      owner_email: 'zoe.oneill@example.com',
      owner_name: "Zoë O'Neill",
      industry: null,
      country: 'US',
      employee_count: null,
      created_on: '2024-02-29',
      last_reviewed_on: null,
    });
    expect(second?.employee_count).toBe('12');
    expect(second?.last_reviewed_on).toBe('2026-09-15');
  });

  it('keeps a null id apart from an empty one, and quotes unparsable amounts with commas', () => {
    const line = {
      invoiceId: 'INV-1',
      bookedOn: '2025-01-31',
      currency: 'USD',
      product: 'Training, on-site',
    };
    const text =
      csvHeader(REVENUE_LINE_COLUMNS) +
      revenueLineCsv({ ...line, accountId: null, amount: '10.00' }) +
      revenueLineCsv({ ...line, accountId: '', amount: '12,5O' });
    expect(text).toBe(
      'account_id,invoice_id,booked_on,amount,currency,product\r\n' +
        ',INV-1,2025-01-31,10.00,USD,"Training, on-site"\r\n' +
        '"",INV-1,2025-01-31,"12,5O",USD,"Training, on-site"\r\n',
    );
    expect(parseCsv(text).slice(1)).toEqual([
      [null, 'INV-1', '2025-01-31', '10.00', 'USD', 'Training, on-site'],
      ['', 'INV-1', '2025-01-31', '12,5O', 'USD', 'Training, on-site'],
    ]);
  });
});
