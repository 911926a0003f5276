import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryResultsCommand,
  type QueryExecution,
  type Row,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryError } from '../../core/errors.ts';
import { AthenaCsvReader } from './athena-csv.ts';

const defaultS3 = new S3Client({});

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
 * Decodes one Athena cell (always text, in GetQueryResults and in the result CSV) by its column type: numbers
 * become numbers, booleans booleans, dates stay ISO `YYYY-MM-DD` strings, a missing value is null, anything
 * else is text. BIGINT beyond 2^53 loses precision as a JavaScript number; amounts and counts here stay far
 * below it.
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

/** Bucket and key of an `s3://bucket/key` location. */
export function parseS3Location(location: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!match?.[1] || !match[2]) {
    throw new QueryError(`'${location}' is not an s3://bucket/key location`);
  }
  return { bucket: match[1], key: match[2] };
}

/**
 * Reads a finished query's results. A SELECT (statement type DML) is read from its result CSV in S3 as a
 * stream, typed by the result set metadata (one GetQueryResults call of one row), so a million-row result
 * costs one GET instead of a thousand sequential GetQueryResults pages. Other statements (DDL, utility),
 * whose results are small and not CSV tables, are paged through GetQueryResults.
 */
export async function fetchAthenaResults(
  athena: AthenaClient,
  execution: QueryExecution,
  s3: S3Client = defaultS3,
): Promise<Record<string, unknown>[]> {
  const location = execution.ResultConfiguration?.OutputLocation;
  if (execution.StatementType !== 'DML' || !location) return pageAthenaResults(athena, execution);
  const id = execution.QueryExecutionId ?? '(unknown id)';
  const columns = await resultColumns(athena, id);
  return readResultCsv(s3, location, columns, id);
}

/** The result set metadata of a finished query: its columns' names and types, in order. */
async function resultColumns(athena: AthenaClient, id: string): Promise<readonly ColumnInfo[]> {
  const page = await athena
    .send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1 }))
    .catch((error: unknown) => {
      throw new QueryError(
        `athena query ${id}: reading result metadata failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    });
  const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo;
  if (!columns || columns.length === 0) {
    throw new QueryError(`athena query ${id}: its result set metadata lists no columns`);
  }
  return columns;
}

/**
 * Streams Athena's result CSV (a header row, every value in double quotes, NULL as an empty unquoted field)
 * into objects keyed by lower-case column name, each value decoded by its column type. Only the decoded rows
 * and one partial record are held, never the whole text.
 */
export async function readResultCsv(
  s3: S3Client,
  location: string,
  columns: readonly ColumnInfo[],
  id: string,
): Promise<Record<string, unknown>[]> {
  const { bucket, key } = parseS3Location(location);
  const names = columns.map((c, i) => (c.Name ?? `_col${i}`).toLowerCase());
  const decoders = columns.map((c) => valueDecoder(c.Type ?? 'varchar'));
  const fail = (what: string, error?: unknown): never => {
    throw new QueryError(`athena query ${id}: reading ${location} failed: ${what}`, { cause: error });
  };
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
    return fail((error as Error).message, error);
  });
  if (!out.Body) return fail('S3 returned no body');
  const rows: Record<string, unknown>[] = [];
  let header = false;
  const reader = new AthenaCsvReader((record, index) => {
    if (!header) {
      const got = record.map((h) => (h ?? '').toLowerCase());
      if (got.join(',') !== names.join(',')) {
        fail(`its header (${got.join(', ')}) is not the result's columns (${names.join(', ')})`);
      }
      header = true;
      return;
    }
    if (record.length !== names.length) {
      fail(`record ${index + 1} has ${record.length} fields, the header ${names.length}`);
    }
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = record[i] ?? null;
      row[names[i] as string] = value === null ? null : (decoders[i] as Decoder)(value);
    }
    rows.push(row);
  });
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of out.Body as AsyncIterable<Uint8Array | string>) {
      reader.push(typeof chunk === 'string' ? chunk : text.decode(chunk, { stream: true }));
    }
    reader.push(text.decode(), true);
  } catch (error) {
    if (error instanceof QueryError && error.message.startsWith(`athena query ${id}`)) throw error;
    fail((error as Error).message, error);
  }
  if (!header) fail('it has no header row');
  return rows;
}

type Decoder = (value: string) => unknown;

/** The decoder of a column type, chosen once per column rather than once per cell. */
function valueDecoder(type: string): Decoder {
  const base = type.toLowerCase();
  if (NUMERIC_TYPES.has(base)) return Number;
  if (base === 'boolean') return (value) => value === 'true';
  return (value) => value;
}

/**
 * Reads every page of a finished query's results through GetQueryResults. For a SELECT Athena repeats the
 * column names as the first row of the first page; that row is dropped.
 */
async function pageAthenaResults(
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
