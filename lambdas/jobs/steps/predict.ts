import type { RunConfig } from '../../core/config.ts';
import type { EngagementByAccount } from '../../core/engagement/engagement.ts';
import { RevsegError } from '../../core/errors.ts';
import { reportingCurrencyParam } from '../../core/fx/currency.ts';
import type { CohortRevenueRow } from '../../core/models/cohorts.ts';
import type { Period } from '../../core/period.ts';
import { computePredictions, type Predictions, type PurchaseSummary } from '../../core/predictions.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';
import type { QueryEngine, SqlValue } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';
import { assertRunDate, finiteNumber, isoDay, requiredText, wholeNumber } from './result-values.ts';

/** The SQL files (under `sql/`) the models read. */
export const PREDICTION_QUERIES = {
  rfmSummary: 'rfm_summary',
  cohortRevenue: 'cohort_revenue',
} as const;

function rfmParams(period: Period, runDate: string, reportingCurrency: string): Record<string, SqlValue> {
  return {
    period_end: period.end,
    run_date: assertRunDate(runDate),
    reporting_currency: reportingCurrencyParam(reportingCurrency),
  };
}

function cohortParams(
  period: Period,
  runDate: string,
  fiscalYearStartMonth: number,
  reportingCurrency: string,
): Record<string, SqlValue> {
  if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
    throw new RevsegError(`fiscal year start month ${fiscalYearStartMonth} is not a month 1-12`);
  }
  return { ...rfmParams(period, runDate, reportingCurrency), fiscal_year_start_month: fiscalYearStartMonth };
}

/** The model queries of a run, with their parameters, so the AWS state machine can start them ahead of time. */
export function predictionQueries(
  period: Period,
  runDate: string,
  fiscalYearStartMonth: number,
  reportingCurrency: string,
): { name: string; params: Record<string, SqlValue> }[] {
  return [
    { name: PREDICTION_QUERIES.rfmSummary, params: rfmParams(period, runDate, reportingCurrency) },
    {
      name: PREDICTION_QUERIES.cohortRevenue,
      params: cohortParams(period, runDate, fiscalYearStartMonth, reportingCurrency),
    },
  ];
}

/** Reads one purchase summary per account with a purchase up to the period end (`sql/rfm_summary.sql`). */
export async function readPurchaseSummaries(
  engine: QueryEngine,
  sql: SqlSource,
  period: Period,
  runDate: string,
  reportingCurrency: string,
): Promise<PurchaseSummary[]> {
  const name = PREDICTION_QUERIES.rfmSummary;
  const rows = await engine.query(sql.load(name), rfmParams(period, runDate, reportingCurrency));
  return rows.map((row, i) => {
    const where = `${name} row ${i + 1}`;
    return {
      accountId: requiredText(row.account_id, 'account_id', where),
      frequency: wholeNumber(row.frequency, 'frequency', where),
      recencyDays: wholeNumber(row.recency_days, 'recency_days', where),
      ageDays: wholeNumber(row.age_days, 'age_days', where),
      avgRepeatValue: finiteNumber(row.avg_repeat_value, 'avg_repeat_value', where),
    };
  });
}

/** Reads each first-purchase cohort's size, active accounts and net revenue per fiscal quarter (`sql/cohort_revenue.sql`). */
export async function readCohortRevenue(
  engine: QueryEngine,
  sql: SqlSource,
  period: Period,
  runDate: string,
  fiscalYearStartMonth: number,
  reportingCurrency: string,
): Promise<CohortRevenueRow[]> {
  const name = PREDICTION_QUERIES.cohortRevenue;
  const rows = await engine.query(
    sql.load(name),
    cohortParams(period, runDate, fiscalYearStartMonth, reportingCurrency),
  );
  return rows.map((row, i) => {
    const where = `${name} row ${i + 1}`;
    return {
      firstQuarter: isoDay(row.first_quarter, 'first_quarter', where),
      quarter: isoDay(row.quarter, 'quarter', where),
      cohortAccounts: wholeNumber(row.cohort_accounts, 'cohort_accounts', where),
      activeAccounts: wholeNumber(row.active_accounts, 'active_accounts', where),
      revenue: finiteNumber(row.revenue, 'revenue', where),
    };
  });
}

/**
 * Runs the predictive models for a period's analysis. Steps, in order:
 * 1. read per-account purchase summaries and per-account quarterly revenue (SQL in the engine);
 * 2. fit BG/NBD and Gamma-Gamma and derive per-account and per-segment predictions and cohorts (pure core).
 */
export async function predict(
  engine: QueryEngine,
  sql: SqlSource,
  analysis: PortfolioAnalysis,
  config: RunConfig,
  runDate: string,
  engagement?: EngagementByAccount,
): Promise<Predictions> {
  const { period } = analysis;
  const purchases = await readPurchaseSummaries(engine, sql, period, runDate, config.currency);
  const cohortRows = await readCohortRevenue(
    engine,
    sql,
    period,
    runDate,
    config.fiscalYearStartMonth,
    config.currency,
  );
  return computePredictions({
    period,
    accounts: analysis.accounts,
    purchases,
    cohortRows,
    config,
    engagement,
  });
}
