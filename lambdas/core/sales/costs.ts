import { clean } from '../input-values.ts';
import { fromCents, toCents } from '../metrics/money.ts';
import { type Period, parsePeriod } from '../period.ts';
import type { AnyQuarantineReason } from '../quarantine.ts';
import { parseAmount, rawDetail, type SalesInputCheck, type SalesRejection } from './sales-input.ts';

/** Name of the optional input table of acquisition and service costs (DESIGN §3). */
export const COSTS_TABLE = 'costs';

/** Columns the `costs` input must have; each row fills one of `account_id` and `segment`, leaving the other empty. */
export const COST_COLUMNS = ['period', 'account_id', 'segment', 'kind', 'amount'] as const;

export const COST_KINDS = ['acquisition', 'service'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/** One row of `costs` as read, every value as text (null when empty). */
export interface CostInputRow {
  readonly period: string | null;
  readonly accountId: string | null;
  readonly segment: string | null;
  readonly kind: string | null;
  readonly amount: string | null;
}

/**
 * A checked cost, for one calendar month: a quarter's cost is spread evenly over its three months, so that
 * any window of whole months takes its share. Exactly one of `accountId` and `segment` is set.
 */
export interface MonthlyCost {
  /** First day of the month (ISO). */
  readonly month: string;
  readonly kind: CostKind;
  readonly accountId: string | null;
  readonly segment: string | null;
  readonly amount: number;
}

/** What checking costs needs besides the rows. */
export interface CostCheckContext {
  /** Ids of every valid account of the run. */
  readonly accountIds: ReadonlySet<string>;
  /** Configured segment names (the Inactive one included). */
  readonly segmentNames: readonly string[];
  /**
   * The months a run measures (first days within it are kept); a valid cost of another month is checked and
   * counted but not kept, so memory stays with the run's windows. @default every month
   */
  readonly keep?: { readonly start: string; readonly end: string };
  /** Quarters `YYYY-Qn` are fiscal, as the runs' period ids. @default 1 */
  readonly fiscalYearStartMonth?: number;
  /** Where the rows come from, for messages. @default 'costs' */
  readonly source?: string;
}

export interface CostCheck extends SalesInputCheck {
  readonly table: 'costs';
  readonly costs: readonly MonthlyCost[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const QUARTER = /^\d{4}-Q[1-4]$/;

function costPeriod(text: string | null, fiscalYearStartMonth: number): Period | null {
  if (text === null) return null;
  const id = text.toUpperCase();
  if (MONTH.test(id)) return parsePeriod(id, 'monthly');
  if (QUARTER.test(id)) return parsePeriod(id, 'quarterly', fiscalYearStartMonth);
  return null;
}

function monthsOf(period: Period): string[] {
  const first = Number(period.start.slice(0, 4)) * 12 + Number(period.start.slice(5, 7)) - 1;
  return Array.from({ length: period.months }, (_, i) => {
    const index = first + i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  });
}

/**
 * Checks the rows of `costs`. A row is set aside (quarantined), with a message naming the row and what to
 * do, under the first of these that applies: period not a month `YYYY-MM` or a (fiscal) quarter `YYYY-Qn`;
 * kind other than acquisition or service (case and surrounding spaces are ignored); neither account_id nor
 * segment given; both given; amount empty or not a number; amount negative; an account that is not a valid
 * account of the run; a segment that is not configured (names match exactly).
 */
export function checkCosts(rows: readonly CostInputRow[], context: CostCheckContext): CostCheck {
  const source = context.source ?? COSTS_TABLE;
  const segments = new Set(context.segmentNames);
  const costs: MonthlyCost[] = [];
  const rejected: SalesRejection[] = [];

  for (const [i, raw] of rows.entries()) {
    const row = i + 1;
    const accountId = clean(raw.accountId);
    const segment = clean(raw.segment);
    const reject = (reason: AnyQuarantineReason, what: string) =>
      rejected.push({
        table: 'costs',
        row,
        reason,
        message: `${source} row ${row}: ${what}`,
        accountId,
        amount: raw.amount,
        detail: rawDetail(row, { period: raw.period, segment: raw.segment, kind: raw.kind }),
      });

    const period = costPeriod(clean(raw.period), context.fiscalYearStartMonth ?? 1);
    if (period === null) {
      reject(
        'unparsable_cost_period',
        `period ${JSON.stringify(raw.period)} is neither a month nor a quarter: use YYYY-MM (e.g. 2026-10) or YYYY-Qn (e.g. 2026-Q3)`,
      );
      continue;
    }
    const kind = clean(raw.kind)?.toLowerCase() ?? null;
    if (kind === null || !(COST_KINDS as readonly string[]).includes(kind)) {
      reject(
        'unknown_cost_kind',
        `kind ${JSON.stringify(raw.kind)} is not acquisition or service: acquisition for winning new accounts, service for serving existing ones`,
      );
      continue;
    }
    if (accountId === null && segment === null) {
      reject(
        'missing_cost_target',
        'account_id and segment are both empty: give the account or the segment the cost is for',
      );
      continue;
    }
    if (accountId !== null && segment !== null) {
      reject(
        'ambiguous_cost_target',
        `both account_id '${accountId}' and segment '${segment}' are given: keep one (an account's cost counts in its segment)`,
      );
      continue;
    }
    const amount = parseAmount(raw.amount);
    if (amount === null) {
      reject(
        'unparsable_amount',
        `amount ${JSON.stringify(raw.amount)} is not a number: write it like 1250.00`,
      );
      continue;
    }
    if (amount < 0) {
      reject(
        'negative_cost',
        `amount ${amount} is negative: a cost is 0 or more; book a refund as a lower cost of its period`,
      );
      continue;
    }
    if (accountId !== null && !context.accountIds.has(accountId)) {
      reject(
        'unknown_account',
        `account '${accountId}' is not in the accounts table (or was quarantined): fix the account_id or add the account`,
      );
      continue;
    }
    if (segment !== null && !segments.has(segment)) {
      reject(
        'unknown_segment',
        `segment '${segment}' is not configured: use one of ${context.segmentNames.join(', ')} (names match exactly)`,
      );
      continue;
    }
    // A quarter's cost is spread over its months in whole cents, the last month taking the remainder, so the
    // months add up to the row (1,000 / 3 as floats summed to 999.99 once each month was rounded).
    const months = monthsOf(period);
    const cents = toCents(amount);
    const share = Math.floor(cents / months.length);
    months.forEach((month, i) => {
      if (context.keep && (month < context.keep.start || month > context.keep.end)) return;
      const monthCents = i === months.length - 1 ? cents - share * (months.length - 1) : share;
      costs.push({ month, kind: kind as CostKind, accountId, segment, amount: fromCents(monthCents) });
    });
  }
  return { table: 'costs', source, rowsChecked: rows.length, rejected, costs };
}
