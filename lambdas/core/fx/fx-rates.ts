import { InputContractError } from '../errors.ts';

/** The optional input of exchange rates (DESIGN §3). */
export const FX_RATES_TABLE = 'fx_rates';

/** Its columns: an ISO 4217 currency, a month `YYYY-MM`, and how much one unit is in the reporting currency. */
export const FX_RATE_COLUMNS = ['currency', 'month', 'rate_to_reporting'] as const;

/** Why an fx_rates row cannot be used, as `sql/fx_rates.sql` decides it. */
export const FX_RATE_PROBLEMS = {
  invalid_currency: 'currency is not a 3-letter ISO 4217 code',
  invalid_month: 'month is not a month YYYY-MM',
  invalid_rate: 'rate_to_reporting is not a number above 0',
  reporting_currency_rate: 'a row for the reporting currency must have rate 1',
  conflicting_rate: 'the same currency and month appear with different rates',
} as const;

export type FxRateProblem = keyof typeof FX_RATE_PROBLEMS;

/** One row of `sql/fx_rates.sql`: the raw values as text, as parsed, and the problem (null when valid). */
export interface FxRateRow {
  readonly currency: string | null;
  readonly month: string | null;
  readonly rateToReporting: string | null;
  readonly currencyCode: string | null;
  /** `YYYY-MM`, or null when the month is not one. */
  readonly monthKey: string | null;
  readonly rate: number | null;
  readonly problem: FxRateProblem | null;
}

/** A rejected fx_rates row, with what is wrong and what to do, in words. */
export interface RejectedFxRate {
  readonly row: FxRateRow;
  readonly problem: FxRateProblem;
  readonly message: string;
}

/** What the fx_rates input holds, once checked. */
export interface FxRatesCheck {
  /** The table and where it comes from, e.g. `fx_rates (/data/fx_rates.csv)`, for messages. */
  readonly source: string;
  readonly rows: number;
  /** Currencies with at least one valid rate, sorted. */
  readonly currencies: readonly string[];
  /** First and last month with a valid rate (`YYYY-MM`), null when there is none. */
  readonly firstMonth: string | null;
  readonly lastMonth: string | null;
  readonly rejected: readonly RejectedFxRate[];
}

/** Rejected rows named in the error; the rest are counted. */
const LISTED_PROBLEMS = 10;

const shown = (value: string | null): string => (value === null ? 'empty' : `'${value}'`);

function describeRow(row: FxRateRow): string {
  return `currency ${shown(row.currency)}, month ${shown(row.month)}, rate_to_reporting ${shown(row.rateToReporting)}`;
}

function rejection(row: FxRateRow, problem: FxRateProblem, reportingCurrency: string): RejectedFxRate {
  const advice: Record<FxRateProblem, string> = {
    invalid_currency: 'use a code such as EUR',
    invalid_month: 'write the month as YYYY-MM, e.g. 2026-03',
    invalid_rate: `give how many ${reportingCurrency} one unit is worth, e.g. 1.0834`,
    reporting_currency_rate: `remove the row or set its rate to 1 (${reportingCurrency} is the reporting currency)`,
    conflicting_rate: 'keep one rate per currency and month',
  };
  return {
    row,
    problem,
    message: `fx_rates row (${describeRow(row)}): ${FX_RATE_PROBLEMS[problem]}; ${advice[problem]}`,
  };
}

/**
 * Sums up the checked fx_rates rows of `sql/fx_rates.sql`: valid currencies and months, and each rejected row
 * with a message that names its values and what to do.
 */
export function checkFxRates(
  rows: readonly FxRateRow[],
  reportingCurrency: string,
  source: string,
): FxRatesCheck {
  const currencies = new Set<string>();
  const months: string[] = [];
  const rejected: RejectedFxRate[] = [];
  for (const row of rows) {
    if (row.problem !== null) {
      rejected.push(rejection(row, row.problem, reportingCurrency));
      continue;
    }
    if (row.currencyCode !== null && row.currencyCode !== reportingCurrency) currencies.add(row.currencyCode);
    if (row.monthKey !== null) months.push(row.monthKey);
  }
  months.sort();
  return {
    source,
    rows: rows.length,
    currencies: [...currencies].sort(),
    firstMonth: months[0] ?? null,
    lastMonth: months.at(-1) ?? null,
    rejected,
  };
}

/**
 * Stops the run when any fx_rates row is rejected: a table with a bad or ambiguous rate cannot be trusted to
 * convert any line, so nothing is written or sent.
 * @throws InputContractError naming the source, each rejected row (the first ten) and what to do.
 */
export function assertFxRatesTrusted(check: FxRatesCheck): void {
  if (check.rejected.length === 0) return;
  const listed = check.rejected.slice(0, LISTED_PROBLEMS).map((r) => r.message);
  const more = check.rejected.length - listed.length;
  throw new InputContractError(
    `${check.source} has ${check.rejected.length} of ${check.rows} rows that cannot be used, so no amount can be converted with it; nothing was written or sent. Fix these rows:\n  - ${listed.join('\n  - ')}${more > 0 ? `\n  - and ${more} more` : ''}`,
  );
}
