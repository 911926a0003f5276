import { RevsegError } from './errors.ts';
import { type AccountFeatures, MONTHLY_WINDOW } from './types.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Column names of the monthly buckets, m00 (the period's last month) .. m23. */
export const MONTH_COLUMNS: readonly string[] = Array.from(
  { length: MONTHLY_WINDOW },
  (_, i) => `m${String(i).padStart(2, '0')}`,
);

class RowReader {
  constructor(
    private readonly row: Readonly<Record<string, unknown>>,
    private readonly where: string,
  ) {}

  fail(column: string, expected: string): never {
    const value = this.row[column];
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    throw new RevsegError(
      `${this.where}: column ${column} is ${shown}, expected ${expected}; check sql/account_features.sql and the engine's result types`,
    );
  }

  text(column: string): string {
    const value = this.row[column];
    return typeof value === 'string' ? value : this.fail(column, 'a string');
  }

  optionalText(column: string): string | null {
    const value = this.row[column];
    if (value === null) return null;
    return typeof value === 'string' ? value : this.fail(column, 'a string or null');
  }

  number(column: string): number {
    const value = this.optionalNumber(column);
    return value === null ? this.fail(column, 'a finite number') : value;
  }

  /** Numbers, or numeric strings as engines like Athena return them. */
  optionalNumber(column: string): number | null {
    const value = this.row[column];
    if (value === null) return null;
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof parsed === 'number' && Number.isFinite(parsed)
      ? parsed
      : this.fail(column, 'a finite number');
  }

  count(column: string): number {
    const value = this.number(column);
    return Number.isInteger(value) && value >= 0 ? value : this.fail(column, 'a whole number >= 0');
  }

  optionalDate(column: string): string | null {
    const value = this.row[column];
    if (value === null) return null;
    return typeof value === 'string' && ISO_DATE.test(value)
      ? value
      : this.fail(column, 'a YYYY-MM-DD date or null');
  }
}

/**
 * Maps one row of `sql/account_features.sql` (snake_case columns, m00 = the period's last month) to
 * AccountFeatures (monthlyRevenue oldest first). Throws naming the column when the row is malformed.
 * @param where how to name the row in an error, e.g. `account_features row 12`
 */
export function toAccountFeatures(
  row: Readonly<Record<string, unknown>>,
  where = 'account_features row',
): AccountFeatures {
  const accountId = typeof row.account_id === 'string' && row.account_id !== '' ? row.account_id : undefined;
  const r = new RowReader(row, accountId ? `${where} (account ${accountId})` : where);
  return {
    accountId: accountId ?? r.fail('account_id', 'a non-empty string'),
    accountName: r.text('account_name'),
    ownerEmail: r.text('owner_email'),
    ownerName: r.text('owner_name'),
    industry: r.optionalText('industry'),
    country: r.optionalText('country'),
    employeeCount: r.optionalNumber('employee_count'),
    createdOn: r.optionalDate('created_on'),
    lastReviewOn: r.optionalDate('last_reviewed_on'),
    revenueT12m: r.number('revenue_t12m'),
    revenuePriorT12m: r.number('revenue_prior_t12m'),
    invoicesT12m: r.count('invoices_t12m'),
    invoicesPriorT12m: r.count('invoices_prior_t12m'),
    firstInvoiceOn: r.optionalDate('first_invoice_on'),
    lastInvoiceOn: r.optionalDate('last_invoice_on'),
    recencyDays: r.optionalNumber('recency_days'),
    tenureDays: r.optionalNumber('tenure_days'),
    monthlyRevenue: [...MONTH_COLUMNS].reverse().map((column) => r.number(column)),
  };
}
