/** Why a row was set aside instead of being counted. */
export const QUARANTINE_REASONS = {
  missing_account_id: 'account_id is null or empty',
  missing_invoice_id: 'invoice_id is null or empty',
  unparsable_date: 'booked_on is not a date (use YYYY-MM-DD)',
  unparsable_amount: 'amount is not a number',
  invalid_currency:
    'currency is not a 3-letter ISO 4217 code (an empty currency means the reporting currency)',
  missing_fx_rate:
    'fx_rates has no rate for the currency and month of the line; add it (amounts: see Currency conversion)',
  unknown_account: 'account_id is not in the accounts table',
  duplicate_line: 'the same invoice line appears more than once; the first copy is kept',
  future_dated: 'booked_on is after the run date',
  invalid_owner_email: 'owner_email is not a valid address; the account is kept but has no owner mail',
  duplicate_account: 'account_id appears more than once in accounts; the first row is kept',
} as const;

/** Input tables whose rows can be quarantined (the optional ones are checked when present). */
export type QuarantineTable =
  | 'revenue_lines'
  | 'accounts'
  | 'opportunities'
  | 'costs'
  | 'activities'
  | 'campaign_responses'
  | 'segment_overrides';

export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** Why a row of an optional input (opportunities and costs, issue 6) was set aside; checked in the core, not in SQL. */
export const OPTIONAL_INPUT_QUARANTINE_REASONS = {
  missing_opportunity_id: 'opportunity_id is null or empty',
  duplicate_opportunity: 'opportunity_id appears more than once in opportunities; the first row is kept',
  unknown_stage: 'stage is not open, won or lost',
  close_before_create: 'closed_on is before created_on',
  missing_close_date: 'a won or lost opportunity has no closed_on date (use YYYY-MM-DD)',
  negative_amount: 'amount is negative; use 0 or more',
  unparsable_created_on: 'created_on is empty or not a date (use YYYY-MM-DD)',
  unparsable_closed_on: 'closed_on is not a date (use YYYY-MM-DD, or leave it empty while open)',
  future_opportunity_date: 'created_on, or closed_on of a won or lost opportunity, is after the run date',
  unparsable_cost_period: 'period is not a month (YYYY-MM) or a quarter (YYYY-Qn)',
  unknown_cost_kind: 'kind is not acquisition or service',
  missing_cost_target: 'neither account_id nor segment is given',
  ambiguous_cost_target: 'both account_id and segment are given; give one of them',
  unknown_segment: 'segment is not a configured segment (names match exactly)',
  negative_cost: 'amount is negative; use 0 or more',
  unparsable_occurred_on: 'occurred_on is empty or not a date (use YYYY-MM-DD)',
  missing_kind: 'kind is empty: say what happened (meeting, support_ticket, product_login, email_reply...)',
  invalid_count: 'count is not a whole number of 0 or more (leave it empty for one event)',
  future_occurred_on: 'occurred_on is after the run date',
  missing_campaign_id: 'campaign_id is null or empty',
  unparsable_sent_on: 'sent_on is empty or not a date (use YYYY-MM-DD)',
  unparsable_flag: 'responded or converted is not true/false (yes/no and 1/0 are read too)',
  converted_without_response: 'converted is true but responded is false: an account converts by responding',
  future_sent_on: 'sent_on is after the run date',
  duplicate_response:
    'the account appears more than once in one campaign; the row with the furthest outcome is kept',
  missing_segment: 'segment is empty: give the segment the account is pinned to',
  missing_override_reason: 'reason is empty: say why the account is pinned, so others can judge it',
  unparsable_expires_on: 'expires_on is not a date (use YYYY-MM-DD, the last day the override applies)',
  duplicate_override: 'the account already has an override on an earlier row, which is the one applied',
} as const;

export type OptionalInputQuarantineReason = keyof typeof OPTIONAL_INPUT_QUARANTINE_REASONS;
export type AnyQuarantineReason = QuarantineReason | OptionalInputQuarantineReason;

/**
 * Reasons whose lines cannot be converted to the reporting currency: they add nothing to a summary amount, and
 * their amounts in their own currencies are in `FxSummary` (lambdas/core/fx/fx-conversion.ts).
 */
export const UNCONVERTED_AMOUNT_REASONS: ReadonlySet<string> = new Set<QuarantineReason>([
  'invalid_currency',
  'missing_fx_rate',
]);

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
  /**
   * Sum of the quarantined lines' amounts in the reporting currency (0 for accounts); lines that cannot be
   * converted (UNCONVERTED_AMOUNT_REASONS, unparsable values) add nothing.
   */
  readonly amount: number;
}

export interface QuarantineSummary {
  readonly counts: readonly QuarantineCount[];
  readonly revenueLinesChecked: number;
  readonly revenueLinesQuarantined: number;
  readonly accountsChecked: number;
  readonly accountsQuarantined: number;
}
