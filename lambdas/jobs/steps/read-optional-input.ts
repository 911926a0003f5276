import type { SegmentsConfig } from '../../core/config.ts';
import { InputContractError } from '../../core/errors.ts';
import { assignSegment } from '../../core/metrics/assign-segment.ts';
import {
  checkSegmentOverrides,
  type OverrideCheck,
  type OverrideCheckContext,
  overrideOutcome,
  SEGMENT_OVERRIDE_COLUMNS,
  SEGMENT_OVERRIDES_TABLE,
  type SegmentOverrideInputRow,
  type SegmentOverrideOutcome,
} from '../../core/overrides/segment-overrides.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';
import type { QueryEngine, TableDescription } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';

/** The SQL files (under `sql/`) that read the optional inputs of issue 8. */
export const OPTIONAL_INPUT_QUERIES = {
  segmentOverrides: 'segment_overrides',
} as const;

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

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
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
    accountId: text(row.account_id),
    segment: text(row.segment),
    reason: text(row.reason),
    setBy: text(row.set_by),
    expiresOn: text(row.expires_on),
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
