import type { AccountRow } from './accounts.ts';
import type { RevenueLine } from './revenue-lines.ts';

/**
 * RFC 4180 CSV: CRLF line ends, a header row, fields quoted only when they hold a comma, a double quote,
 * CR or LF, quotes doubled inside quotes. A null is an empty field; an empty string is `""`, so that a
 * reader that keeps quoted empties (DuckDB with `allow_quoted_nulls=false`) can tell the two apart.
 */
export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  if (text === '') return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

export const REVENUE_LINE_COLUMNS = [
  'account_id',
  'invoice_id',
  'booked_on',
  'amount',
  'currency',
  'product',
] as const;

export const ACCOUNT_COLUMNS = [
  'account_id',
  'account_name',
  'owner_email',
  'owner_name',
  'industry',
  'country',
  'employee_count',
  'created_on',
  'last_reviewed_on',
] as const;

export function csvHeader(columns: readonly string[]): string {
  return columns.join(',') + CSV_LINE_END;
}

/** One revenue line as a CSV record, line end included. */
export function revenueLineCsv(l: RevenueLine): string {
  return `${csvField(l.accountId)},${csvField(l.invoiceId)},${csvField(l.bookedOn)},${csvField(l.amount)},${csvField(l.currency)},${csvField(l.product)}${CSV_LINE_END}`;
}

/** One account as a CSV record, line end included. */
export function accountCsv(r: AccountRow): string {
  return `${csvField(r.accountId)},${csvField(r.accountName)},${csvField(r.ownerEmail)},${csvField(r.ownerName)},${csvField(r.industry)},${csvField(r.country)},${csvField(r.employeeCount)},${csvField(r.createdOn)},${csvField(r.lastReviewedOn)}${CSV_LINE_END}`;
}
