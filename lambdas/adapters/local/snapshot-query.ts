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
  StatementType,
} from '@duckdb/node-api';
import { QueryError } from '../../core/errors.ts';
import type { Cadence } from '../../core/period.ts';
import { SNAPSHOTS_PREFIX } from '../../core/snapshot/layout.ts';
import { readManifest } from '../../jobs/steps/snapshot-store.ts';
import { FolderObjectStore } from './folder-object-store.ts';

/** Result of an ad-hoc query: column names in order and one plain object per row. */
export interface SnapshotQueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

const TABLE_NAME = /^[a-z][a-z0-9_]*$/;
const MANIFEST_KEY = /^snapshots\/_manifests\/cadence=(monthly|quarterly)\/period=([^/]+)\.json$/;

/** Statements `revseg query` runs: reading only. COPY, ATTACH, INSTALL, SET, CREATE... are refused. */
const READ_ONLY_STATEMENTS = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

function integer(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/** A timestamp as ISO text; one outside the range of a JS Date (or infinity) as DuckDB writes it. */
function timestamp(value: unknown): string {
  try {
    const micros = (value as { micros?: unknown }).micros;
    const date =
      typeof micros === 'bigint'
        ? new Date(Number(micros / 1000n))
        : dateFromTimestampValue(value as Parameters<typeof dateFromTimestampValue>[0]);
    return date.toISOString();
  } catch {
    return String(value);
  }
}

/**
 * DuckDB values to plain JS: integers and decimals as numbers (text beyond 2^53), timestamps (with or without
 * time zone) as ISO strings, everything else as DuckDB's JSON form (dates, times, intervals, UUIDs, blobs,
 * lists, structs, maps); nested values recurse through this converter.
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
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestamp(value);
    default:
      return JsonDuckDBValueConverter(value, type, converter as DuckDBValueConverter<Json>);
  }
};

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The Parquet files of every complete (manifested) snapshot, by table. */
async function manifestedFiles(storeDir: string): Promise<Map<string, string[]>> {
  const store = new FolderObjectStore(storeDir);
  const files = new Map<string, string[]>();
  for (const key of await store.list(`${SNAPSHOTS_PREFIX}/_manifests/`)) {
    const match = MANIFEST_KEY.exec(key);
    if (!match) continue;
    const manifest = await readManifest(store, match[1] as Cadence, match[2] ?? '');
    for (const table of manifest?.tables ?? []) {
      if (!TABLE_NAME.test(table.name)) continue;
      const list = files.get(table.name) ?? [];
      list.push(store.locate(table.key));
      files.set(table.name, list);
    }
  }
  return files;
}

async function createViews(
  connection: DuckDBConnection,
  files: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  for (const [table, paths] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    await connection.run(
      `create view "${table}" as select * from read_parquet([${paths.map(sqlString).join(', ')}], ` +
        `hive_partitioning = true, hive_types = {'cadence': VARCHAR, 'period': VARCHAR}, union_by_name = true)`,
    );
  }
}

/**
 * Shuts the connection off from the file system: only the manifested Parquet files may be read, nothing may be
 * written, attached, installed or loaded, and the settings cannot be changed back.
 */
async function lockDown(
  connection: DuckDBConnection,
  files: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const allowed = [...files.values()].flat();
  await connection.run(`set allowed_paths = [${allowed.map(sqlString).join(', ')}]`);
  await connection.run('set enable_external_access = false');
  await connection.run('set autoinstall_known_extensions = false');
  await connection.run('set autoload_known_extensions = false');
  await connection.run('set lock_configuration = true');
}

/** Refuses anything but reading: the allowed Parquet files could otherwise be overwritten with COPY. */
async function assertReadOnly(connection: DuckDBConnection, sql: string): Promise<void> {
  const statements = await connection.extractStatements(sql);
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i);
    const type = prepared.statementType;
    prepared.destroySync?.();
    if (!READ_ONLY_STATEMENTS.has(type)) {
      throw new QueryError(
        `revseg query only reads the snapshots: statement ${i + 1} is ${StatementType[type] ?? type}; use SELECT (or EXPLAIN)`,
      );
    }
  }
}

/**
 * Runs SQL over the complete snapshots of a local store with DuckDB, read-only. Each table of a manifested
 * snapshot becomes a view over exactly the files its manifests list, with `cadence` and `period` as text columns
 * from the path, like the Athena tables; a partition without a manifest (a run killed mid-write, a table a later
 * run no longer writes) is not seen. Only SELECT and EXPLAIN run; the connection cannot read other files, write,
 * ATTACH, INSTALL or LOAD. Values come back as plain JS (numbers, ISO dates and timestamps, strings, JSON).
 * @throws QueryError with DuckDB's reason and the tables that exist.
 */
export async function querySnapshots(rootDir: string, sql: string): Promise<SnapshotQueryResult> {
  const storeDir = resolve(rootDir);
  const files = await manifestedFiles(storeDir);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await createViews(connection, files);
    await lockDown(connection, files);
    const tables = [...files.keys()].sort();
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      await assertReadOnly(connection, sql);
      reader = await connection.runAndReadAll(sql);
    } catch (error) {
      if (error instanceof QueryError) throw error;
      if (/disabled (by|through) configuration/.test((error as Error).message)) {
        throw new QueryError(
          `revseg query only reads the snapshot tables (no other file, no writing, no extensions): ${(error as Error).message}`,
          { cause: error },
        );
      }
      throw new QueryError(
        `snapshot query failed: ${(error as Error).message}\n` +
          `tables with complete snapshots under ${join(storeDir, SNAPSHOTS_PREFIX)}: ${tables.length > 0 ? tables.join(', ') : 'none yet; run a period first'}`,
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
