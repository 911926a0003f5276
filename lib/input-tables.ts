import type { OPTIONAL_INPUT_TABLES } from './config.ts';

/** Hive type of a column when the input is Parquet; CSV columns are always `string` (see `glueInputColumns`). */
export interface InputColumn {
  readonly name: string;
  /** Matches what `revseg generate` writes; `input.parquetColumnTypes` overrides it per column. */
  readonly parquetType: string;
}

export type InputTableName = 'revenue_lines' | 'accounts' | (typeof OPTIONAL_INPUT_TABLES)[number];

/**
 * The input data contract of DESIGN §3, in file column order (a CSV is read by position, so its columns
 * must come in this order; the header row is skipped).
 */
export const INPUT_TABLE_COLUMNS: Readonly<Record<InputTableName, readonly InputColumn[]>> = {
  revenue_lines: [
    { name: 'account_id', parquetType: 'string' },
    { name: 'invoice_id', parquetType: 'string' },
    { name: 'booked_on', parquetType: 'date' },
    { name: 'amount', parquetType: 'decimal(18,2)' },
    { name: 'currency', parquetType: 'string' },
    { name: 'product', parquetType: 'string' },
  ],
  accounts: [
    { name: 'account_id', parquetType: 'string' },
    { name: 'account_name', parquetType: 'string' },
    { name: 'owner_email', parquetType: 'string' },
    { name: 'owner_name', parquetType: 'string' },
    { name: 'industry', parquetType: 'string' },
    { name: 'country', parquetType: 'string' },
    { name: 'employee_count', parquetType: 'int' },
    { name: 'created_on', parquetType: 'date' },
    { name: 'last_reviewed_on', parquetType: 'date' },
  ],
  opportunities: [
    { name: 'opportunity_id', parquetType: 'string' },
    { name: 'account_id', parquetType: 'string' },
    { name: 'created_on', parquetType: 'date' },
    { name: 'closed_on', parquetType: 'date' },
    { name: 'stage', parquetType: 'string' },
    { name: 'amount', parquetType: 'double' },
  ],
  costs: [
    { name: 'period', parquetType: 'string' },
    { name: 'account_id', parquetType: 'string' },
    { name: 'segment', parquetType: 'string' },
    { name: 'kind', parquetType: 'string' },
    { name: 'amount', parquetType: 'double' },
  ],
  fx_rates: [
    { name: 'currency', parquetType: 'string' },
    { name: 'month', parquetType: 'string' },
    { name: 'rate_to_reporting', parquetType: 'double' },
  ],
  activities: [
    { name: 'account_id', parquetType: 'string' },
    { name: 'occurred_on', parquetType: 'date' },
    { name: 'kind', parquetType: 'string' },
    { name: 'count', parquetType: 'int' },
  ],
  segment_overrides: [
    { name: 'account_id', parquetType: 'string' },
    { name: 'segment', parquetType: 'string' },
    { name: 'reason', parquetType: 'string' },
    { name: 'set_by', parquetType: 'string' },
    { name: 'expires_on', parquetType: 'date' },
  ],
  campaign_responses: [
    { name: 'campaign_id', parquetType: 'string' },
    { name: 'account_id', parquetType: 'string' },
    { name: 'sent_on', parquetType: 'date' },
    { name: 'responded', parquetType: 'boolean' },
    { name: 'converted', parquetType: 'boolean' },
    { name: 'campaign_type', parquetType: 'string' },
  ],
};

/**
 * Glue columns of an input table. CSV columns are declared `string`, as the local engine reads CSV as
 * VARCHAR: the SQL then TRY_CASTs each value, so a bad value is quarantined instead of failing the query.
 */
export function glueInputColumns(
  table: InputTableName,
  format: 'csv' | 'parquet',
  parquetOverrides: Readonly<Record<string, string>> = {},
): { name: string; type: string }[] {
  return INPUT_TABLE_COLUMNS[table].map((c) => ({
    name: c.name,
    type: format === 'csv' ? 'string' : (parquetOverrides[`${table}.${c.name}`] ?? c.parquetType),
  }));
}
