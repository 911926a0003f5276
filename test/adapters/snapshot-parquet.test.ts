import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeParquet, encodeParquet } from '../../lambdas/core/snapshot/parquet.ts';
import type { SnapshotColumnType, SnapshotRow, SnapshotTable } from '../../lambdas/core/snapshot/tables.ts';
import { snapshotFor } from '../fixtures/snapshot-analysis.ts';

/** What DuckDB's DESCRIBE must show for each snapshot type (Athena: string, double, bigint, date, boolean). */
const DUCKDB_TYPE: Record<SnapshotColumnType, string> = {
  STRING: 'VARCHAR',
  DOUBLE: 'DOUBLE',
  BIGINT: 'BIGINT',
  DATE: 'DATE',
  BOOLEAN: 'BOOLEAN',
};

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revseg-parquet-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});
afterAll(async () => {
  db.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

async function writeTable(table: SnapshotTable, file = `${table.name}.parquet`): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, encodeParquet(table));
  return path;
}

async function describeFile(path: string): Promise<[string, string][]> {
  const reader = await db.runAndReadAll(
    'select column_name, column_type from (describe select * from read_parquet($1))',
    [path],
  );
  return reader.getRows().map(([name, type]) => [String(name), String(type)]);
}

/** Reads a file with DuckDB, dates cast to text and BIGINTs to DOUBLE, to compare with the rows written. */
async function readWithDuckDb(path: string, table: SnapshotTable): Promise<SnapshotRow[]> {
  const select = table.columns
    .map(({ name, type }) => {
      if (type === 'DATE') return `strftime("${name}", '%Y-%m-%d') as "${name}"`;
      if (type === 'BIGINT') return `cast("${name}" as double) as "${name}"`;
      return `"${name}"`;
    })
    .join(', ');
  const reader = await db.runAndReadAll(`select ${select} from read_parquet($1)`, [path]);
  return reader.getRowObjectsJS() as SnapshotRow[];
}

const mixed: SnapshotTable = {
  name: 'quarantine',
  columns: [
    { name: 'text', type: 'STRING' },
    { name: 'amount', type: 'DOUBLE' },
    { name: 'count', type: 'BIGINT' },
    { name: 'day', type: 'DATE' },
    { name: 'flag', type: 'BOOLEAN' },
  ],
  rows: [
    {
      text: 'Société Générale Ünïcode 東京 😀',
      amount: 1234.5678,
      count: 9_007_199_254_740_991,
      day: '2026-10-31',
      flag: true,
    },
    { text: null, amount: null, count: null, day: null, flag: null },
    { text: 'O\'Brien "quoted"\nnew line', amount: -0.1, count: -42, day: '1969-07-20', flag: false },
  ],
};

describe('Parquet files read by DuckDB', () => {
  it('DESCRIBE shows VARCHAR, DOUBLE, BIGINT, DATE, BOOLEAN and values round-trip with nulls and non-ASCII', async () => {
    const path = await writeTable(mixed, 'mixed.parquet');
    expect(await describeFile(path)).toEqual([
      ['text', 'VARCHAR'],
      ['amount', 'DOUBLE'],
      ['count', 'BIGINT'],
      ['day', 'DATE'],
      ['flag', 'BOOLEAN'],
    ]);
    const reader = await db.runAndReadAll(
      'select text, amount, count, day::varchar as day, flag from read_parquet($1)',
      [path],
    );
    expect(reader.getRowObjectsJS()).toEqual([
      {
        text: 'Société Générale Ünïcode 東京 😀',
        amount: 1234.5678,
        count: 9_007_199_254_740_991n,
        day: '2026-10-31',
        flag: true,
      },
      { text: null, amount: null, count: null, day: null, flag: null },
      { text: 'O\'Brien "quoted"\nnew line', amount: -0.1, count: -42n, day: '1969-07-20', flag: false },
    ]);
    const nulls = await db.runAndReadAll(
      'select count(*) from read_parquet($1) where text is null and day is null',
      [path],
    );
    expect(nulls.getRows()).toEqual([[1n]]);
  });

  it.each(snapshotFor().tables.map((t) => [t.name, t] as const))(
    '%s: every column has its declared type and every value round-trips',
    async (_, table) => {
      const path = await writeTable(table);
      expect(await describeFile(path)).toEqual(table.columns.map((c) => [c.name, DUCKDB_TYPE[c.type]]));
      expect(await readWithDuckDb(path, table)).toEqual(table.rows);
    },
  );

  it('a table with no rows is still a valid file with the full schema', async () => {
    const accounts = snapshotFor().tables[0];
    if (!accounts) throw new Error('no account_segments table');
    const empty = { name: accounts.name, columns: accounts.columns, rows: [] };
    const path = await writeTable(empty, 'empty.parquet');
    expect(await describeFile(path)).toEqual(empty.columns.map((c) => [c.name, DUCKDB_TYPE[c.type]]));
    const count = await db.runAndReadAll('select count(*) from read_parquet($1)', [path]);
    expect(count.getRows()).toEqual([[0n]]);
  });

  it('100k account rows: encode time and size, read back by DuckDB and hyparquet', async () => {
    const template = snapshotFor().tables[0];
    const first = template?.rows[0];
    if (!template || !first) throw new Error('no account_segments row');
    const rows: SnapshotRow[] = Array.from({ length: 100_000 }, (_, i) => ({
      ...first,
      account_id: `A-${String(i).padStart(6, '0')}`,
      account_name: `Account ${i}`,
      revenue_t12m: (i % 1000) * 250.5,
      invoices_t12m: i % 37,
      employee_count: i % 5 === 0 ? null : i,
      last_invoice_on: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
    }));
    const table = { name: template.name, columns: template.columns, rows };
    // its speed is measured in `npm run bench`; a timed assertion here fails on a busy machine
    const bytes = encodeParquet(table);
    const path = join(dir, 'large.parquet');
    await writeFile(path, bytes);
    // Independent sums: arithmetic series over the generated values.
    const expectedRevenue = 100 * 250.5 * ((999 * 1000) / 2);
    const expectedNulls = 100_000 / 5;
    const stats = await db.runAndReadAll(
      `select count(*), count(distinct account_id), sum(revenue_t12m), count(*) - count(employee_count),
              min(last_invoice_on)::varchar, max(last_invoice_on)::varchar from read_parquet($1)`,
      [path],
    );
    expect(stats.getRows()).toEqual([
      [100_000n, 100_000n, expectedRevenue, BigInt(expectedNulls), '2026-01-15', '2026-12-15'],
    ]);
    const decoded = await decodeParquet(bytes, 'large.parquet');
    expect(decoded).toHaveLength(100_000);
    expect(decoded[99_999]).toEqual(rows[99_999]);
  });
});
