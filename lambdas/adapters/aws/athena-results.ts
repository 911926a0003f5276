import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryResultsCommand,
  type QueryExecution,
  type Row,
} from '@aws-sdk/client-athena';
import { QueryError } from '../../core/errors.ts';

const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'integer',
  'int',
  'bigint',
  'double',
  'float',
  'real',
  'decimal',
]);

/**
 * Decodes one Athena cell (always text in GetQueryResults) by its column type: numbers become numbers,
 * booleans booleans, dates stay ISO `YYYY-MM-DD` strings, a missing value is null, anything else is text.
 * BIGINT beyond 2^53 loses precision as a JavaScript number; amounts and counts here stay far below it.
 */
export function decodeAthenaValue(value: string | undefined, type: string): unknown {
  if (value === undefined) return null;
  const base = type.toLowerCase();
  if (NUMERIC_TYPES.has(base)) return Number(value);
  if (base === 'boolean') return value === 'true';
  return value;
}

/** Turns result rows into objects keyed by lower-case column name, typed by the result set metadata. */
export function decodeAthenaRows(
  columns: readonly ColumnInfo[],
  rows: readonly Row[],
): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      out[(column.Name ?? `_col${i}`).toLowerCase()] = decodeAthenaValue(
        row.Data?.[i]?.VarCharValue,
        column.Type ?? 'varchar',
      );
    });
    return out;
  });
}

/**
 * Reads every page of a finished query's results. For a SELECT (statement type DML) Athena repeats the
 * column names as the first row of the first page; that row is dropped.
 */
export async function fetchAthenaResults(
  client: AthenaClient,
  execution: QueryExecution,
): Promise<Record<string, unknown>[]> {
  const id = execution.QueryExecutionId ?? '(unknown id)';
  const out: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await client
      .send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken, MaxResults: 1000 }))
      .catch((error: unknown) => {
        throw new QueryError(`athena query ${id}: reading results failed: ${(error as Error).message}`, {
          cause: error,
        });
      });
    const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const rows = page.ResultSet?.Rows ?? [];
    const skipHeader = first && execution.StatementType === 'DML';
    out.push(...decodeAthenaRows(columns, skipHeader ? rows.slice(1) : rows));
    nextToken = page.NextToken;
    first = false;
  } while (nextToken);
  return out;
}
