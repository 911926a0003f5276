import {
  CAMPAIGN_RESPONSE_COLUMNS,
  CAMPAIGN_RESPONSES_TABLE,
  type CampaignReport,
  type CampaignResponse,
  campaignReport,
} from '../../core/campaigns/campaign-responses.ts';
import type { RunConfig, SegmentsConfig } from '../../core/config.ts';
import {
  ACTIVITIES_TABLE,
  ACTIVITY_COLUMNS,
  type AccountActivity,
  assessEngagement,
  type EngagementByAccount,
} from '../../core/engagement/engagement.ts';
import { InputContractError, QueryError } from '../../core/errors.ts';
import { reportingCurrencyParam } from '../../core/fx/currency.ts';
import { assignSegment } from '../../core/metrics/assign-segment.ts';
import { periodWindows } from '../../core/metrics/period-windows.ts';
import {
  checkSegmentOverrides,
  type OverrideCheck,
  type OverrideCheckContext,
  type OverrideRejectionReason,
  overrideOutcome,
  SEGMENT_OVERRIDE_COLUMNS,
  SEGMENT_OVERRIDES_TABLE,
  type SegmentOverrideInputRow,
  type SegmentOverrideOutcome,
} from '../../core/overrides/segment-overrides.ts';
import type { Period } from '../../core/period.ts';
import {
  type AnyQuarantineReason,
  OPTIONAL_INPUT_QUARANTINE_REASONS,
  QUARANTINE_REASONS,
  type QuarantineCount,
  type QuarantinedRow,
  type QuarantineSummary,
  type QuarantineTable,
} from '../../core/quarantine.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';
import type { QueryEngine, SqlValue, TableDescription } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';
import { assertWithinQuarantineLimit } from './quarantine-limit.ts';
import { assertRunDate, isoDay, optionalText, requiredText, wholeNumber } from './result-values.ts';

/** The SQL files (under `sql/`) that read the optional inputs of issue 8. */
export const OPTIONAL_INPUT_QUERIES = {
  segmentOverrides: 'segment_overrides',
  activityQuarantine: 'activity_quarantine',
  accountActivity: 'account_activity',
  campaignQuarantine: 'campaign_quarantine',
  campaignResponses: 'campaign_responses',
} as const;

function runDateParams(runDate: string): Record<string, SqlValue> {
  return { run_date: assertRunDate(runDate) };
}

function periodParams(period: Period, runDate: string): Record<string, SqlValue> {
  return { period_end: period.end, ...runDateParams(runDate) };
}

/** `campaign_responses.sql` reads the revenue lines (for T12M at the send), converted to the reporting currency. */
function campaignParams(
  period: Period,
  runDate: string,
  reportingCurrency: string,
): Record<string, SqlValue> {
  return { ...periodParams(period, runDate), reporting_currency: reportingCurrencyParam(reportingCurrency) };
}

/**
 * The queries over the optional inputs of issue 8 that a run issues when those inputs are present, so the AWS
 * state machine can start them ahead of time. `optionalTables` names the optional tables the deployment has
 * (on AWS: `input.optionalTables`); an absent table is not queried at all.
 */
export function optionalInputQueries(
  period: Period,
  runDate: string,
  optionalTables: readonly string[],
  reportingCurrency: string,
): { name: string; params: Record<string, SqlValue> }[] {
  return [
    ...(optionalTables.includes(ACTIVITIES_TABLE)
      ? [
          { name: OPTIONAL_INPUT_QUERIES.activityQuarantine, params: runDateParams(runDate) },
          { name: OPTIONAL_INPUT_QUERIES.accountActivity, params: periodParams(period, runDate) },
        ]
      : []),
    ...(optionalTables.includes(CAMPAIGN_RESPONSES_TABLE)
      ? [
          { name: OPTIONAL_INPUT_QUERIES.campaignQuarantine, params: runDateParams(runDate) },
          {
            name: OPTIONAL_INPUT_QUERIES.campaignResponses,
            params: campaignParams(period, runDate, reportingCurrency),
          },
        ]
      : []),
    ...(optionalTables.includes(SEGMENT_OVERRIDES_TABLE)
      ? [{ name: OPTIONAL_INPUT_QUERIES.segmentOverrides, params: {} }]
      : []),
  ];
}

/**
 * Describes an optional input table: undefined when it is absent (the metrics that need it then say
 * "not available"), its description when it has every required column.
 * @throws InputContractError naming the source and the missing columns when a present table lacks one.
 */
export async function describeOptionalInput(
  engine: QueryEngine,
  table: string,
  required: readonly string[],
): Promise<TableDescription | undefined> {
  const description = await engine.describeTable(table);
  if (!description) return undefined;
  const present = new Set(description.columns.map((c) => c.toLowerCase()));
  const missing = required.filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new InputContractError(
      `optional input ${table} (${description.source}) lacks column(s) ${missing.join(', ')}: add them (found: ${description.columns.join(', ') || 'none'}) or remove the table; nothing was written or sent`,
    );
  }
  return description;
}

/**
 * Reads the sales team's segment overrides (`sql/segment_overrides.sql`) and checks them against the run's
 * accounts and segments. Returns undefined when the `segment_overrides` input is absent.
 */
export async function readSegmentOverrides(
  engine: QueryEngine,
  sql: SqlSource,
  context: Omit<OverrideCheckContext, 'source'>,
): Promise<OverrideCheck | undefined> {
  const description = await describeOptionalInput(engine, SEGMENT_OVERRIDES_TABLE, SEGMENT_OVERRIDE_COLUMNS);
  if (!description) return undefined;
  const rows = await engine.query(sql.load(OPTIONAL_INPUT_QUERIES.segmentOverrides));
  const inputRows: SegmentOverrideInputRow[] = rows.map((row) => ({
    accountId: optionalText(row.account_id),
    segment: optionalText(row.segment),
    reason: optionalText(row.reason),
    setBy: optionalText(row.set_by),
    expiresOn: optionalText(row.expires_on),
  }));
  return checkSegmentOverrides(inputRows, {
    ...context,
    source: `${SEGMENT_OVERRIDES_TABLE} (${description.source})`,
  });
}

/**
 * The overrides of a run as the snapshot and reports show them: each override in force with the segment
 * the revenue brackets give its account (`assignSegment` on T12M), plus the expired and rejected ones.
 */
export function overridesOfRun(
  check: OverrideCheck | undefined,
  analysis: PortfolioAnalysis,
  segments: SegmentsConfig,
): SegmentOverrideOutcome | undefined {
  if (!check) return undefined;
  return overrideOutcome(check, analysis.accounts, (revenue) => assignSegment(revenue, segments));
}

/** An optional input's rows checked and set aside, for the data-quality section and the quarantine snapshot. */
export interface OptionalInputCheck {
  readonly table: QuarantineTable;
  readonly checked: number;
  readonly counts: readonly QuarantineCount[];
  readonly rows: readonly QuarantinedRow[];
}

/** The activities of a run: each account's activity at the period end, and the rows checked. */
export interface ActivitiesInput {
  readonly activity: readonly AccountActivity[];
  readonly check: OptionalInputCheck;
}

/** The valid campaign responses of the 12 months to the period end, and the rows checked. */
export interface CampaignResponsesInput {
  readonly responses: readonly CampaignResponse[];
  readonly check: OptionalInputCheck;
}

function reasonOf(value: unknown, where: string): AnyQuarantineReason {
  if (
    typeof value === 'string' &&
    (Object.hasOwn(QUARANTINE_REASONS, value) || Object.hasOwn(OPTIONAL_INPUT_QUARANTINE_REASONS, value))
  ) {
    return value as AnyQuarantineReason;
  }
  throw new QueryError(`${where}: unknown reason ${JSON.stringify(value)}`);
}

function detailOf(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v === null || v === undefined ? '' : String(v)}`)
    .join('; ');
}

/**
 * Reads a quarantine query of an optional input (its first row, reason NULL, the rows checked; then one row
 * per group of identical bad rows with `row_count` copies) into counts per reason and one row per bad input row.
 */
async function readOptionalQuarantine(
  engine: QueryEngine,
  sql: SqlSource,
  name: string,
  table: QuarantineTable,
  runDate: string,
  detailColumns: readonly string[],
): Promise<OptionalInputCheck> {
  const result = await engine.query(sql.load(name), runDateParams(runDate));
  let checked = 0;
  const counts = new Map<AnyQuarantineReason, number>();
  const rows: QuarantinedRow[] = [];
  result.forEach((row, i) => {
    const where = `${name} row ${i + 1}`;
    const copies = wholeNumber(row.row_count, 'row_count', where);
    if (row.reason === null || row.reason === undefined) {
      checked = copies;
      return;
    }
    const reason = reasonOf(row.reason, where);
    counts.set(reason, (counts.get(reason) ?? 0) + copies);
    const quarantined: QuarantinedRow = {
      table,
      reason,
      accountId: optionalText(row.account_id),
      invoiceId: null,
      bookedOn: null,
      amount: null,
      detail: detailOf(Object.fromEntries(detailColumns.map((c) => [c, row[c]]))),
    };
    for (let k = 0; k < copies; k++) rows.push(quarantined);
  });
  return {
    table,
    checked,
    counts: [...counts.entries()].map(([reason, rows]) => ({ table, reason, rows, amount: 0 })),
    rows,
  };
}

/**
 * Stops the run when more than `maxShare` of an optional input's rows are bad: its numbers could not be trusted.
 * @throws InputContractError naming the table, the share and the reasons; nothing has been written or sent.
 */
export function assertOptionalInputTrustworthy(check: OptionalInputCheck, maxShare: number): void {
  assertWithinQuarantineLimit(
    {
      what: `${check.table} rows`,
      checked: check.checked,
      bad: check.counts.reduce((s, c) => s + c.rows, 0),
      details: `Reasons: ${check.counts.map((c) => `${c.reason}: ${c.rows}`).join(', ')}`,
      advice: `Fix the ${check.table} input, remove it, or raise the limit.`,
    },
    maxShare,
  );
}

/** The quarantine summary with the optional inputs' bad rows counted beside the required inputs' ones. */
export function withOptionalQuarantine(
  summary: QuarantineSummary,
  checks: readonly (OptionalInputCheck | undefined)[],
): QuarantineSummary {
  const present = checks.filter((c): c is OptionalInputCheck => c !== undefined);
  if (present.length === 0) return summary;
  return { ...summary, counts: [...summary.counts, ...present.flatMap((c) => c.counts)] };
}

function flag(value: unknown, column: string, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new QueryError(`${where}: ${column} is ${JSON.stringify(value)}, expected true or false`);
}

/**
 * Reads the optional activities input: its bad rows (`sql/activity_quarantine.sql`) and each valid account's
 * activity at the period end (`sql/account_activity.sql`). Returns undefined when the input is absent.
 * @throws InputContractError when the table lacks a column or too many of its rows are bad.
 */
export async function readActivities(
  engine: QueryEngine,
  sql: SqlSource,
  period: Period,
  runDate: string,
  maxQuarantinedShare: number,
): Promise<ActivitiesInput | undefined> {
  const description = await describeOptionalInput(engine, ACTIVITIES_TABLE, ACTIVITY_COLUMNS);
  if (!description) return undefined;
  const check = await readOptionalQuarantine(
    engine,
    sql,
    OPTIONAL_INPUT_QUERIES.activityQuarantine,
    'activities',
    runDate,
    ['occurred_on', 'kind', 'event_count'],
  );
  assertOptionalInputTrustworthy(check, maxQuarantinedShare);
  const name = OPTIONAL_INPUT_QUERIES.accountActivity;
  const rows = await engine.query(sql.load(name), periodParams(period, runDate));
  const activity = rows.map((row, i): AccountActivity => {
    const where = `${name} row ${i + 1}`;
    return {
      accountId: requiredText(row.account_id, 'account_id', where),
      recentEvents: wholeNumber(row.recent_events, 'recent_events', where),
      baselineEvents: wholeNumber(row.baseline_events, 'baseline_events', where),
    };
  });
  return { activity, check };
}

/**
 * Reads the optional campaign responses input: its bad rows (`sql/campaign_quarantine.sql`) and the valid
 * responses of campaigns sent in the 12 months to the period end with each account's T12M revenue at the send
 * (`sql/campaign_responses.sql`). Returns undefined when the input is absent.
 * @throws InputContractError when the table lacks a column or too many of its rows are bad.
 */
export async function readCampaignResponses(
  engine: QueryEngine,
  sql: SqlSource,
  period: Period,
  runDate: string,
  maxQuarantinedShare: number,
  reportingCurrency: string,
): Promise<CampaignResponsesInput | undefined> {
  const description = await describeOptionalInput(
    engine,
    CAMPAIGN_RESPONSES_TABLE,
    CAMPAIGN_RESPONSE_COLUMNS,
  );
  if (!description) return undefined;
  const check = await readOptionalQuarantine(
    engine,
    sql,
    OPTIONAL_INPUT_QUERIES.campaignQuarantine,
    'campaign_responses',
    runDate,
    ['campaign_id', 'sent_on', 'responded', 'converted'],
  );
  assertOptionalInputTrustworthy(check, maxQuarantinedShare);
  const name = OPTIONAL_INPUT_QUERIES.campaignResponses;
  const rows = await engine.query(sql.load(name), campaignParams(period, runDate, reportingCurrency));
  const responses = rows.map((row, i): CampaignResponse => {
    const where = `${name} row ${i + 1}`;
    const revenue =
      typeof row.revenue_t12m_at_send === 'string'
        ? Number(row.revenue_t12m_at_send)
        : row.revenue_t12m_at_send;
    if (typeof revenue !== 'number' || !Number.isFinite(revenue)) {
      throw new QueryError(
        `${where}: revenue_t12m_at_send is ${JSON.stringify(row.revenue_t12m_at_send)}, expected a number`,
      );
    }
    return {
      campaignId: requiredText(row.campaign_id, 'campaign_id', where),
      campaignType: optionalText(row.campaign_type),
      accountId: requiredText(row.account_id, 'account_id', where),
      sentOn: isoDay(row.sent_on, 'sent_on', where),
      responded: flag(row.responded, 'responded', where),
      converted: flag(row.converted, 'converted', where),
      revenueT12mAtSend: revenue,
    };
  });
  return { responses, check };
}

/**
 * Engagement per account (from the activities, against each account's history and its effective segment) and
 * the campaign response rates by the segment each account had at the send; each undefined when its input is absent.
 */
export function engagementAndCampaigns(
  analysis: PortfolioAnalysis,
  config: Pick<RunConfig, 'segments'>,
  activities: ActivitiesInput | undefined,
  campaignResponses: CampaignResponsesInput | undefined,
): { engagement?: EngagementByAccount; campaigns?: CampaignReport } {
  return {
    engagement: activities ? assessEngagement(analysis.accounts, activities.activity) : undefined,
    campaigns: campaignResponses
      ? campaignReport(campaignResponses.responses, {
          segments: config.segments,
          windowStart: periodWindows(analysis.period).t12mStart,
          windowEnd: analysis.period.end,
        })
      : undefined,
  };
}

/** The quarantine reason of each way an override row can be rejected. */
const OVERRIDE_QUARANTINE_REASON: Readonly<Record<OverrideRejectionReason, AnyQuarantineReason>> = {
  missing_account_id: 'missing_account_id',
  missing_segment: 'missing_segment',
  missing_reason: 'missing_override_reason',
  unparsable_expires_on: 'unparsable_expires_on',
  unknown_account: 'unknown_account',
  unknown_segment: 'unknown_segment',
  duplicate_override: 'duplicate_override',
};

/**
 * The rejected overrides as quarantined rows (with their message as the detail), so the data-quality section
 * counts them and the quarantine snapshot keeps them; undefined when the input is absent.
 */
export function overrideQuarantine(check: OverrideCheck | undefined): OptionalInputCheck | undefined {
  if (!check) return undefined;
  const table = 'segment_overrides';
  const rows: QuarantinedRow[] = check.rejected.map((r) => ({
    table,
    reason: OVERRIDE_QUARANTINE_REASON[r.reason],
    accountId: r.accountId,
    invoiceId: null,
    bookedOn: null,
    amount: null,
    detail: r.message,
  }));
  const counts = new Map<AnyQuarantineReason, number>();
  for (const r of rows) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return {
    table,
    checked: check.active.size + check.expired.length + check.rejected.length,
    counts: [...counts.entries()].map(([reason, n]) => ({ table, reason, rows: n, amount: 0 })),
    rows,
  };
}
