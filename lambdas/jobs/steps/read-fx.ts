import { QueryError } from '../../core/errors.ts';
import { reportingCurrencyParam } from '../../core/fx/currency.ts';
import {
  type FxConversionRow,
  type FxOutcome,
  type FxSummary,
  summarizeFx,
} from '../../core/fx/fx-conversion.ts';
import {
  assertFxRatesTrusted,
  checkFxRates,
  FX_RATE_COLUMNS,
  FX_RATE_PROBLEMS,
  FX_RATES_TABLE,
  type FxRateProblem,
  type FxRateRow,
  type FxRatesCheck,
} from '../../core/fx/fx-rates.ts';
import type { QueryEngine, SqlValue } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';
import { describeOptionalInput } from './read-optional-input.ts';
import { assertRunDate, optionalText } from './result-values.ts';

/** The SQL files (under `sql/`) of the currency conversion (issue 6). */
export const FX_QUERIES = {
  fxRates: 'fx_rates',
  fxConversion: 'fx_conversion',
} as const;

const OUTCOMES: ReadonlySet<string> = new Set<FxOutcome>([
  'converted',
  'missing_fx_rate',
  'invalid_currency',
]);

function fxRatesParams(reportingCurrency: string): Record<string, SqlValue> {
  return { reporting_currency: reportingCurrencyParam(reportingCurrency) };
}

function fxConversionParams(runDate: string, reportingCurrency: string): Record<string, SqlValue> {
  return { run_date: assertRunDate(runDate), reporting_currency: reportingCurrencyParam(reportingCurrency) };
}

/** The FX queries of a run, with their parameters, so the AWS state machine can start them ahead of time. */
export function fxQueries(
  runDate: string,
  reportingCurrency: string,
): { name: string; params: Record<string, SqlValue> }[] {
  return [
    { name: FX_QUERIES.fxRates, params: fxRatesParams(reportingCurrency) },
    { name: FX_QUERIES.fxConversion, params: fxConversionParams(runDate, reportingCurrency) },
  ];
}

function number(value: unknown, column: string, where: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw new QueryError(`${where}: ${column} is ${JSON.stringify(value)}, expected a number`);
}

function monthOfKey(value: unknown, where: string): string | null {
  if (value === null || value === undefined) return null;
  const key = number(value, 'month_key', where);
  return `${Math.floor(key / 100)}-${String(key % 100).padStart(2, '0')}`;
}

function problem(value: unknown, where: string): FxRateProblem | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && Object.hasOwn(FX_RATE_PROBLEMS, value)) return value as FxRateProblem;
  throw new QueryError(`${where}: problem is ${JSON.stringify(value)}, not a known fx_rates problem`);
}

/**
 * Reads and checks the fx_rates input (`sql/fx_rates.sql`) and stops the run when any row cannot be used.
 * Returns undefined when the table is absent (a single-currency book needs none).
 * @throws InputContractError naming the source and each rejected row; nothing is written or sent then.
 */
export async function readFxRates(
  engine: QueryEngine,
  sql: SqlSource,
  reportingCurrency: string,
): Promise<FxRatesCheck | undefined> {
  const description = await describeOptionalInput(engine, FX_RATES_TABLE, FX_RATE_COLUMNS);
  if (!description) return undefined;
  const name = FX_QUERIES.fxRates;
  const rows = await engine.query(sql.load(name), fxRatesParams(reportingCurrency));
  const checked: FxRateRow[] = rows.map((row, i) => {
    const where = `${name} row ${i + 1}`;
    return {
      currency: optionalText(row.currency),
      month: optionalText(row.month),
      rateToReporting: optionalText(row.rate_to_reporting),
      currencyCode: optionalText(row.currency_code),
      monthKey: monthOfKey(row.month_key, where),
      rate: row.rate === null || row.rate === undefined ? null : number(row.rate, 'rate', where),
      problem: problem(row.problem, where),
    };
  });
  const check = checkFxRates(checked, reportingCurrency, `${FX_RATES_TABLE} (${description.source})`);
  assertFxRatesTrusted(check);
  return check;
}

/**
 * Reads how the lines in other currencies were converted and which could not be (`sql/fx_conversion.sql`),
 * summed per currency, and per currency and month for missing rates.
 */
export async function readFxConversion(
  engine: QueryEngine,
  sql: SqlSource,
  runDate: string,
  reportingCurrency: string,
  rates: FxRatesCheck | undefined,
): Promise<FxSummary> {
  const name = FX_QUERIES.fxConversion;
  const rows = await engine.query(sql.load(name), fxConversionParams(runDate, reportingCurrency));
  const parsed: FxConversionRow[] = rows.map((row, i) => {
    const where = `${name} row ${i + 1}`;
    if (typeof row.outcome !== 'string' || !OUTCOMES.has(row.outcome)) {
      throw new QueryError(`${where}: outcome is ${JSON.stringify(row.outcome)}, not a known FX outcome`);
    }
    return {
      outcome: row.outcome as FxOutcome,
      currency: optionalText(row.currency) ?? '',
      month: optionalText(row.month) ?? '',
      lines: number(row.lines, 'lines', where),
      originalAmount: number(row.original_amount, 'original_amount', where),
      amount: row.amount === null || row.amount === undefined ? null : number(row.amount, 'amount', where),
    };
  });
  return summarizeFx(parsed, reportingCurrency, rates);
}
