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

/** Input tables whose rows can be quarantined (the optional ones are checked when present). */
export type QuarantineTable = 'revenue_lines' | 'accounts' | 'opportunities';

export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** Why a row of an optional input (opportunities, issue 6) was set aside; checked in the core, not in SQL. */
export const OPTIONAL_INPUT_QUARANTINE_REASONS = {
  missing_opportunity_id: 'opportunity_id is null or empty',
  duplicate_opportunity: 'opportunity_id appears more than once in opportunities; the first row is kept',
  unknown_stage: 'stage is not open, won or lost',
  close_before_create: 'closed_on is before created_on',
  missing_close_date: 'a won or lost opportunity has no closed_on date (use YYYY-MM-DD)',
  negative_amount: 'amount is negative; use 0 or more',
} as const;

export type OptionalInputQuarantineReason = keyof typeof OPTIONAL_INPUT_QUARANTINE_REASONS;
export type AnyQuarantineReason = QuarantineReason | OptionalInputQuarantineReason;

/** The reason in words, for any input table. */
export function quarantineReasonText(reason: AnyQuarantineReason): string {
  return Object.hasOwn(QUARANTINE_REASONS, reason)
    ? QUARANTINE_REASONS[reason as QuarantineReason]
    : OPTIONAL_INPUT_QUARANTINE_REASONS[reason as OptionalInputQuarantineReason];
}

/** One quarantined input row with the raw values as text, so nothing is lost. */
export interface QuarantinedRow {
  readonly table: QuarantineTable;
  readonly reason: AnyQuarantineReason;
  readonly accountId: string | null;
  readonly invoiceId: string | null;
  readonly bookedOn: string | null;
  readonly amount: string | null;
  /** Other raw values worth keeping (e.g. the bad owner email), as `key=value; ...`. */
  readonly detail: string | null;
}

export interface QuarantineCount {
  readonly table: QuarantineTable;
  readonly reason: AnyQuarantineReason;
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
