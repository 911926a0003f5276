import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBValueConverter,
  dateFromTimestampValue,
  doubleFromDecimalValue,
  type Json,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api';
import { QueryError } from '../../core/errors.ts';
import { SNAPSHOTS_PREFIX } from '../../core/snapshot/layout.ts';

/** Result of an ad-hoc query: column names in order and one plain object per row. */
export interface SnapshotQueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

const TABLE_FOLDER = /^[a-z][a-z0-9_]*$/;

function integer(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/**
 * DuckDB values to plain JS: integers and decimals as numbers (text beyond 2^53), dates as ISO `YYYY-MM-DD`,
 * timestamps as ISO strings; nested values recurse through this converter.
 */
const toPlain: DuckDBValueConverter<unknown> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return integer(value as bigint);
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return value as number;
    case DuckDBTypeId.DECIMAL:
      return doubleFromDecimalValue(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return dateFromTimestampValue(value).toISOString();
    default:
      // Nested values (lists, structs) call back into this converter, so their leaves are plain too.
      return JsonDuckDBValueConverter(value, type, converter as DuckDBValueConverter<Json>);
  }
};

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

async function tableFolders(snapshotsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(snapshotsDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && TABLE_FOLDER.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function createViews(connection: DuckDBConnection, snapshotsDir: string): Promise<void> {
  for (const table of await tableFolders(snapshotsDir)) {
    const glob = join(snapshotsDir, table, '**', '*.parquet');
    const files = await connection.runAndReadAll('select count(*) as n from glob($1)', [glob]);
    if (Number(files.getRows()[0]?.[0] ?? 0) === 0) continue;
    await connection.run(
      `create view "${table}" as select * from read_parquet(${sqlString(glob)}, hive_partitioning = true, ` +
        `hive_types = {'cadence': VARCHAR, 'period': VARCHAR}, union_by_name = true)`,
    );
  }
}

/**
 * Runs SQL over a local snapshot folder with DuckDB. Each folder under `<root>/snapshots/` that holds Parquet
 * files becomes a view named after its table, with `cadence` and `period` as text columns from the path,
 * like the Athena tables. Values come back as plain JS (numbers, ISO dates, strings).
 * @throws QueryError with DuckDB's reason and the tables that exist.
 */
export async function querySnapshots(rootDir: string, sql: string): Promise<SnapshotQueryResult> {
  const snapshotsDir = join(resolve(rootDir), SNAPSHOTS_PREFIX);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await createViews(connection, snapshotsDir);
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      reader = await connection.runAndReadAll(sql);
    } catch (error) {
      const views = await connection.runAndReadAll('select view_name from duckdb_views() where not internal');
      const names = views.getRows().map((r) => String(r[0]));
      throw new QueryError(
        `snapshot query failed: ${(error as Error).message}\n` +
          `tables with data under ${snapshotsDir}: ${names.length > 0 ? names.join(', ') : 'none yet; run a period first'}`,
        { cause: error },
      );
    }
    return {
      columns: reader.columnNames(),
      rows: reader.convertRowObjects(toPlain) as Record<string, unknown>[],
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
