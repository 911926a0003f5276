import { QueryError } from '../../core/errors.ts';
import { toAccountFeatures } from '../../core/features.ts';
import { reportingCurrencyParam } from '../../core/fx/currency.ts';
import { assertInputContract, REQUIRED_INPUTS } from '../../core/input-contract.ts';
import type { Period } from '../../core/period.ts';
import {
  type AnyQuarantineReason,
  QUARANTINE_REASONS,
  type QuarantineCount,
  type QuarantinedRow,
  type QuarantineReason,
  type QuarantineSummary,
} from '../../core/quarantine.ts';
import type { AccountFeatures } from '../../core/types.ts';
import type { QueryEngine, SqlValue, TableDescription } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';
import { predictionQueries } from './predict.ts';
import { fxQueries } from './read-fx.ts';
import { optionalInputQueries } from './read-optional-input.ts';
import { salesInputQueries } from './read-sales-inputs.ts';
import { assertRunDate, optionalText } from './result-values.ts';

/** The SQL files (under `sql/`) a run reads its input with. */
export const INPUT_QUERIES = {
  quarantineSummary: 'quarantine_summary',
  quarantinedRows: 'quarantined_rows',
  accountFeatures: 'account_features',
} as const;

/** One named query a run issues: the SQL file name and its parameters. */
export interface PlannedQuery {
  readonly name: string;
  readonly params: Readonly<Record<string, SqlValue>>;
}

/** Accounts rows with these reasons are set aside; `invalid_owner_email` rows are kept and only flagged. */
const SET_ASIDE_ACCOUNT_REASONS: ReadonlySet<AnyQuarantineReason> = new Set([
  'missing_account_id',
  'duplicate_account',
]);
const TABLES = new Set(['revenue_lines', 'accounts'] as const);

function quarantineParams(runDate: string, reportingCurrency: string): Record<string, SqlValue> {
  return { run_date: assertRunDate(runDate), reporting_currency: reportingCurrencyParam(reportingCurrency) };
}

function featureParams(period: Period, runDate: string, reportingCurrency: string): Record<string, SqlValue> {
  return { period_end: period.end, ...quarantineParams(runDate, reportingCurrency) };
}

/**
 * The queries a run of `period` on `runDate` issues, in order, so they can be started ahead of time.
 * @param fiscalYearStartMonth the run config's, for the cohort quarters
 * @param reportingCurrency the run config's `currency`: lines in other currencies are converted to it
 * @param optionalTables the optional input tables the deployment has (on AWS `input.optionalTables`); only
 *   these are queried. @default []
 */
export function plannedQueries(
  period: Period,
  runDate: string,
  fiscalYearStartMonth: number,
  reportingCurrency: string,
  optionalTables: readonly string[] = [],
): PlannedQuery[] {
  return [
    ...fxQueries(runDate, reportingCurrency),
    { name: INPUT_QUERIES.quarantineSummary, params: quarantineParams(runDate, reportingCurrency) },
    { name: INPUT_QUERIES.quarantinedRows, params: quarantineParams(runDate, reportingCurrency) },
    { name: INPUT_QUERIES.accountFeatures, params: featureParams(period, runDate, reportingCurrency) },
    ...predictionQueries(period, runDate, fiscalYearStartMonth, reportingCurrency),
    ...salesInputQueries(optionalTables, period),
    ...optionalInputQueries(period, runDate, optionalTables, reportingCurrency),
  ];
}

/** Describes every required input table and stops the run when one is missing or lacks a required column. */
export async function checkInputContract(engine: QueryEngine): Promise<TableDescription[]> {
  const described = await Promise.all(REQUIRED_INPUTS.map((c) => engine.describeTable(c.table)));
  assertInputContract(Object.fromEntries(REQUIRED_INPUTS.map((c, i) => [c.table, described[i]])));
  return described.filter((d): d is TableDescription => d !== undefined);
}

function asTable(value: unknown, query: string): 'revenue_lines' | 'accounts' {
  if (typeof value === 'string' && TABLES.has(value as 'revenue_lines'))
    return value as 'revenue_lines' | 'accounts';
  throw new QueryError(`${query} returned unknown table_name ${JSON.stringify(value)}`);
}

function asReason(value: unknown, query: string): QuarantineReason {
  if (typeof value === 'string' && Object.hasOwn(QUARANTINE_REASONS, value)) return value as QuarantineReason;
  throw new QueryError(`${query} returned unknown reason ${JSON.stringify(value)}`);
}

function asCount(value: unknown, column: string, query: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  throw new QueryError(`${query} returned ${column} ${JSON.stringify(value)}, expected a whole number >= 0`);
}

function asAmount(value: unknown, query: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw new QueryError(`${query} returned amount ${JSON.stringify(value)}, expected a number`);
}

/** Counts checked and quarantined rows per table and reason (`sql/quarantine_summary.sql`). */
export async function summarizeQuarantine(
  engine: QueryEngine,
  sql: SqlSource,
  runDate: string,
  reportingCurrency: string,
): Promise<QuarantineSummary> {
  const name = INPUT_QUERIES.quarantineSummary;
  const rows = await engine.query(sql.load(name), quarantineParams(runDate, reportingCurrency));
  const checked = { revenue_lines: 0, accounts: 0 };
  const counts: QuarantineCount[] = [];
  for (const row of rows) {
    const table = asTable(row.table_name, name);
    const rowCount = asCount(row.row_count, 'row_count', name);
    if (row.reason === null) {
      checked[table] = rowCount;
      continue;
    }
    counts.push({
      table,
      reason: asReason(row.reason, name),
      rows: rowCount,
      amount: asAmount(row.amount, name),
    });
  }
  const quarantined = (table: 'revenue_lines' | 'accounts') =>
    counts
      .filter(
        (c) => c.table === table && (table === 'revenue_lines' || SET_ASIDE_ACCOUNT_REASONS.has(c.reason)),
      )
      .reduce((sum, c) => sum + c.rows, 0);
  return {
    counts,
    revenueLinesChecked: checked.revenue_lines,
    revenueLinesQuarantined: quarantined('revenue_lines'),
    accountsChecked: checked.accounts,
    accountsQuarantined: quarantined('accounts'),
  };
}

/** Reads every quarantined or flagged row with its raw values (`sql/quarantined_rows.sql`), one per input row. */
export async function readQuarantinedRows(
  engine: QueryEngine,
  sql: SqlSource,
  runDate: string,
  reportingCurrency: string,
): Promise<QuarantinedRow[]> {
  const name = INPUT_QUERIES.quarantinedRows;
  const rows = await engine.query(sql.load(name), quarantineParams(runDate, reportingCurrency));
  const out: QuarantinedRow[] = [];
  for (const row of rows) {
    const quarantined: QuarantinedRow = {
      table: asTable(row.table_name, name),
      reason: asReason(row.reason, name),
      accountId: optionalText(row.account_id),
      invoiceId: optionalText(row.invoice_id),
      bookedOn: optionalText(row.booked_on),
      amount: optionalText(row.amount),
      detail: optionalText(row.detail),
    };
    const copies = asCount(row.copies, 'copies', name);
    for (let i = 0; i < copies; i++) out.push(quarantined);
  }
  return out;
}

/** Reads one row of features per valid account at the period's end (`sql/account_features.sql`). */
export async function readAccountFeatures(
  engine: QueryEngine,
  sql: SqlSource,
  period: Period,
  runDate: string,
  reportingCurrency: string,
): Promise<AccountFeatures[]> {
  const name = INPUT_QUERIES.accountFeatures;
  const rows = await engine.query(sql.load(name), featureParams(period, runDate, reportingCurrency));
  return rows.map((row, i) => toAccountFeatures(row, `${name} row ${i + 1}`));
}
