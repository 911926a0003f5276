import { type RunConfig, segmentOrder } from '../../core/config.ts';
import type { Period } from '../../core/period.ts';
import type { QuarantinedRow, QuarantineSummary } from '../../core/quarantine.ts';
import { COST_COLUMNS, COSTS_TABLE, type CostCheck, checkCosts } from '../../core/sales/costs.ts';
import {
  checkOpportunities,
  OPPORTUNITIES_TABLE,
  OPPORTUNITY_COLUMNS,
  type OpportunityCheck,
} from '../../core/sales/opportunities.ts';
import {
  measureSalesEfficiency,
  type SalesEfficiency,
  salesWindows,
} from '../../core/sales/sales-efficiency.ts';
import {
  quarantinedSalesRows,
  type SalesInputCheck,
  salesQuarantineCounts,
} from '../../core/sales/sales-input.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';
import type { QueryEngine, SqlValue } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';
import { assertWithinQuarantineLimit } from './quarantine-limit.ts';
import type { PlannedQuery } from './read-input.ts';
import { describeOptionalInput } from './read-optional-input.ts';
import { optionalText } from './result-values.ts';

/** The SQL files (under `sql/`) that read the optional sales inputs of issue 6, by input table. */
export const SALES_INPUT_QUERIES = {
  opportunities: 'opportunities',
  costs: 'costs',
} as const;

/**
 * Parameters of `sql/costs.sql`: the year before the one the period's T12M window starts in; older costs are not
 * read. A year early because a fiscal quarter is named by the year its fiscal year starts in: with a fiscal year
 * from October, 2025-Q4 is July to September 2026. checkCosts keeps only the window's months.
 */
export function costParams(period: Period): Record<string, SqlValue> {
  const windowStartYear = Number((salesWindows(period)[1]?.start ?? period.start).slice(0, 4));
  return { from_year: String(windowStartYear - 1) };
}

/**
 * The sales-input queries a run of `period` issues when the tables are configured (on AWS:
 * `input.optionalTables`), so the state machine runs them ahead; an absent table is not queried at all.
 */
export function salesInputQueries(optionalTables: readonly string[], period: Period): PlannedQuery[] {
  return (['opportunities', 'costs'] as const)
    .filter((table) => optionalTables.includes(table))
    .map((table) => ({
      name: SALES_INPUT_QUERIES[table],
      params: table === 'costs' ? costParams(period) : {},
    }));
}

/** Stops the run when more than `maxShare` of a sales input's rows were set aside, naming the reasons. */
function assertSalesInputTrustworthy(check: SalesInputCheck, maxShare: number): void {
  const first = check.rejected
    .slice(0, 3)
    .map((r) => r.message)
    .join('; ');
  assertWithinQuarantineLimit(
    {
      what: `rows of ${check.table} (${check.source})`,
      checked: check.rowsChecked,
      bad: check.rejected.length,
      details: `First problems: ${first}`,
      advice: 'Fix the input, remove the table, or raise the limit.',
    },
    maxShare,
  );
}

async function readOpportunities(
  engine: QueryEngine,
  sql: SqlSource,
  accountIds: ReadonlySet<string>,
  runDate: string,
): Promise<OpportunityCheck | undefined> {
  const description = await describeOptionalInput(engine, OPPORTUNITIES_TABLE, OPPORTUNITY_COLUMNS);
  if (!description) return undefined;
  const rows = await engine.query(sql.load(SALES_INPUT_QUERIES.opportunities));
  return checkOpportunities(
    rows.map((row) => ({
      opportunityId: optionalText(row.opportunity_id),
      accountId: optionalText(row.account_id),
      createdOn: optionalText(row.created_on),
      closedOn: optionalText(row.closed_on),
      stage: optionalText(row.stage),
      amount: optionalText(row.amount),
    })),
    { accountIds, runDate, source: `${OPPORTUNITIES_TABLE} (${description.source})` },
  );
}

async function readCosts(
  engine: QueryEngine,
  sql: SqlSource,
  accountIds: ReadonlySet<string>,
  config: RunConfig,
  period: Period,
): Promise<CostCheck | undefined> {
  const description = await describeOptionalInput(engine, COSTS_TABLE, COST_COLUMNS);
  if (!description) return undefined;
  const rows = await engine.query(sql.load(SALES_INPUT_QUERIES.costs), costParams(period));
  return checkCosts(
    rows.map((row) => ({
      period: optionalText(row.period),
      accountId: optionalText(row.account_id),
      segment: optionalText(row.segment),
      kind: optionalText(row.kind),
      amount: optionalText(row.amount),
    })),
    {
      accountIds,
      segmentNames: segmentOrder(config.segments),
      fiscalYearStartMonth: config.fiscalYearStartMonth,
      keep: { start: salesWindows(period)[1]?.start ?? period.start, end: period.end },
      source: `${COSTS_TABLE} (${description.source})`,
    },
  );
}

/** Sales efficiency of a run with the rows its inputs set aside, for the snapshot and the data-quality report. */
export interface SalesOfRun {
  readonly sales: SalesEfficiency;
  /** The rejected rows of `opportunities` and `costs`, as rows of the `quarantine` snapshot table. */
  readonly quarantinedRows: readonly QuarantinedRow[];
  /** The run's quarantine summary with the counts of the sales inputs added. */
  readonly quarantine: QuarantineSummary;
}

/** The optional sales inputs of a run, read and checked; each undefined when its table is absent. */
export interface SalesInputs {
  readonly opportunities?: OpportunityCheck;
  readonly costs?: CostCheck;
}

/**
 * Reads and checks the optional `opportunities` and `costs` inputs (each skipped when absent, so its metrics
 * say "not available") against the run's accounts, and stops the run when too many of a table's rows are bad.
 * Runs before the analysis, so a bad table stops the run before any work that it would waste.
 * @throws InputContractError when a present table lacks a column or has too many bad rows; nothing is written then.
 */
export async function readSalesInputs(
  engine: QueryEngine,
  sql: SqlSource,
  accountIds: ReadonlySet<string>,
  config: RunConfig,
  period: Period,
  runDate: string,
): Promise<SalesInputs> {
  const opportunities = await readOpportunities(engine, sql, accountIds, runDate);
  const costs = await readCosts(engine, sql, accountIds, config, period);
  for (const check of [opportunities, costs]) {
    if (check) assertSalesInputTrustworthy(check, config.validation.maxQuarantinedShare);
  }
  return { opportunities, costs };
}

/** Sales efficiency and profitability per segment and owner over the period and T12M, from the checked inputs. */
export function salesOfRun(
  inputs: SalesInputs,
  analysis: PortfolioAnalysis,
  config: RunConfig,
  quarantine: QuarantineSummary,
): SalesOfRun {
  const { opportunities, costs } = inputs;
  const checks = [opportunities, costs].filter((c): c is OpportunityCheck | CostCheck => c !== undefined);
  return {
    sales: measureSalesEfficiency({
      period: analysis.period,
      accounts: analysis.accounts,
      segmentNames: segmentOrder(config.segments),
      grossMargin: config.models.clv.grossMargin,
      opportunities,
      costs,
    }),
    quarantinedRows: quarantinedSalesRows(checks),
    quarantine: { ...quarantine, counts: [...quarantine.counts, ...salesQuarantineCounts(checks)] },
  };
}
