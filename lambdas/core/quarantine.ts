/** Why a row was set aside instead of being counted. */
export const QUARANTINE_REASONS = {
  missing_account_id: 'account_id is null or empty',
  missing_invoice_id: 'invoice_id is null or empty',
  unparsable_date: 'booked_on is not a date (use YYYY-MM-DD)',
  unparsable_amount: 'amount is not a number',
  unknown_account: 'account_id is not in the accounts table',
  duplicate_line: 'the same invoice line appears more than once; the first copy is kept',
  future_dated: 'booked_on is after the run date',
  invalid_owner_email: 'owner_email is not a valid address; the account is kept but has no owner mail',
  duplicate_account: 'account_id appears more than once in accounts; the first row is kept',
} as const;

export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** One quarantined input row with the raw values as text, so nothing is lost. */
export interface QuarantinedRow {
  readonly table: 'revenue_lines' | 'accounts';
  readonly reason: QuarantineReason;
  readonly accountId: string | null;
  readonly invoiceId: string | null;
  readonly bookedOn: string | null;
  readonly amount: string | null;
  /** Other raw values worth keeping (e.g. the bad owner email), as `key=value; ...`. */
  readonly detail: string | null;
}

export interface QuarantineCount {
  readonly table: 'revenue_lines' | 'accounts';
  readonly reason: QuarantineReason;
  readonly rows: number;
  /** Sum of the parsable amounts of the quarantined lines (0 for accounts). */
  readonly amount: number;
}

export interface QuarantineSummary {
  readonly counts: readonly QuarantineCount[];
  readonly revenueLinesChecked: number;
  readonly revenueLinesQuarantined: number;
  readonly accountsChecked: number;
  readonly accountsQuarantined: number;
}
