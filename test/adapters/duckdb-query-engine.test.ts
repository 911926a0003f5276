import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { InputContractError, QueryError } from '../../lambdas/core/errors.ts';

const fixtures = fileURLToPath(new URL('../fixtures/sql/', import.meta.url));
const csv = (table: string) => ({ path: path.join(fixtures, `${table}.csv`), format: 'csv' as const });

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'revseg-duckdb-'));
}

/** Writes the CSV fixtures as typed Parquet, the way a warehouse export would (bad values become NULL). */
async function writeTypedParquet(dir: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const src = (t: string) =>
    `read_csv('${path.join(fixtures, `${t}.csv`)}', header = true, all_varchar = true)`;
  await db.run(`COPY (
    SELECT account_id, invoice_id,
      CASE WHEN booked_on LIKE '____-__-__' THEN TRY_CAST(booked_on AS DATE) END AS booked_on,
      TRY_CAST(TRIM(amount) AS DECIMAL(18, 2)) AS amount, currency, product
    FROM ${src('revenue_lines')}) TO '${path.join(dir, 'revenue_lines.parquet')}' (FORMAT parquet)`);
  await db.run(`COPY (
    SELECT account_id, account_name, owner_email, owner_name, industry, country,
      TRY_CAST(employee_count AS BIGINT) AS employee_count, TRY_CAST(created_on AS DATE) AS created_on,
      CASE WHEN last_reviewed_on LIKE '____-__-__' THEN TRY_CAST(last_reviewed_on AS DATE) END AS last_reviewed_on
    FROM ${src('accounts')}) TO '${path.join(dir, 'accounts.parquet')}' (FORMAT parquet)`);
  db.closeSync();
  instance.closeSync();
}

describe('DuckDbQueryEngine', () => {
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    engine = await DuckDbQueryEngine.create({
      inputs: { revenue_lines: csv('revenue_lines'), accounts: csv('accounts') },
      threads: 2,
      memoryLimit: '512MB',
    });
  });
  afterAll(() => engine.close());

  it('returns plain JS values: BIGINT and DECIMAL as numbers, dates as YYYY-MM-DD, lower-case keys', async () => {
    const rows = await engine.query(`SELECT
      CAST(9007199254740991 AS BIGINT) AS "Big", CAST(12.34 AS DECIMAL(18, 2)) AS dec, SUM(CAST(1.10 AS DECIMAL(18, 2))) AS total,
      DATE '2026-01-02' AS day, TIMESTAMP '2026-01-02 03:04:05' AS at, CAST(NULL AS DATE) AS nothing,
      'x' AS text, TRUE AS flag, CAST(1.5 AS DOUBLE) AS dbl, CAST(7 AS INTEGER) AS int`);
    expect(rows).toEqual([
      {
        big: 9007199254740991,
        dec: 12.34,
        total: 1.1,
        day: '2026-01-02',
        at: '2026-01-02T03:04:05.000Z',
        nothing: null,
        text: 'x',
        flag: true,
        dbl: 1.5,
        int: 7,
      },
    ]);
  });

  it('binds named parameters as real parameters, repeats included', async () => {
    const rows = await engine.query(
      "SELECT CAST(:d AS DATE) AS d, :n + 1 AS n, CAST(:d AS DATE) = DATE '2026-10-31' AS same",
      {
        d: '2026-10-31',
        n: 2,
      },
    );
    expect(rows).toEqual([{ d: '2026-10-31', n: 3, same: true }]);
    const injected = await engine.query('SELECT :s AS s', { s: "x'; DROP TABLE accounts; --" });
    expect(injected).toEqual([{ s: "x'; DROP TABLE accounts; --" }]);
  });

  it('reads CSV with every column as VARCHAR, so bad values survive, and adds missing optional columns as NULL', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'lines.csv'),
      'Account_ID,Invoice_ID,Booked_On,Amount,Currency\nA1,I1,2026/01/02,12x,USD\n',
    );
    const e = await DuckDbQueryEngine.create({
      inputs: { revenue_lines: { path: path.join(dir, 'lines.csv'), format: 'csv' } },
    });
    try {
      expect(
        await e.query(
          'SELECT account_id, booked_on, amount, product, typeof(amount) AS t FROM revenue_lines',
        ),
      ).toEqual([{ account_id: 'A1', booked_on: '2026/01/02', amount: '12x', product: null, t: 'VARCHAR' }]);
      expect(await e.describeTable('revenue_lines')).toEqual({
        table: 'revenue_lines',
        source: path.join(dir, 'lines.csv'),
        columns: ['account_id', 'invoice_id', 'booked_on', 'amount', 'currency'],
      });
      expect(await e.describeTable('accounts')).toBeUndefined();
    } finally {
      await e.close();
    }
  });

  it('exposes an absent fx_rates as an empty table with its contract columns, and says it is absent', async () => {
    expect(await engine.query('SELECT currency, "month", rate_to_reporting FROM fx_rates')).toEqual([]);
    expect(await engine.describeTable('fx_rates')).toBeUndefined();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'fx.csv'), 'Currency,Month,Rate_To_Reporting\nEUR,2026-03,1.08\n');
    const e = await DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: csv('revenue_lines'),
        fx_rates: { path: path.join(dir, 'fx.csv'), format: 'csv' },
      },
    });
    try {
      expect(await e.query('SELECT currency, "month", rate_to_reporting FROM fx_rates')).toEqual([
        { currency: 'EUR', month: '2026-03', rate_to_reporting: '1.08' },
      ]);
      expect((await e.describeTable('fx_rates'))?.columns).toEqual([
        'currency',
        'month',
        'rate_to_reporting',
      ]);
    } finally {
      await e.close();
    }
  });

  it('reads a folder of part files and a glob', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'parts', 'day=1'), { recursive: true });
    writeFileSync(path.join(dir, 'parts', 'a.csv'), 'account_id,amount\nA1,1.50\n');
    writeFileSync(path.join(dir, 'parts', 'day=1', 'b.csv'), 'account_id,amount\nA2,2.25\n');
    writeFileSync(path.join(dir, 'parts', 'notes.txt'), 'not data');
    const e = await DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: { path: path.join(dir, 'parts'), format: 'csv' },
        accounts: { path: path.join(dir, 'parts', '*.csv'), format: 'csv' },
      },
    });
    try {
      expect(await e.query('SELECT account_id, amount FROM revenue_lines ORDER BY account_id')).toEqual([
        { account_id: 'A1', amount: '1.50' },
        { account_id: 'A2', amount: '2.25' },
      ]);
      expect(await e.query('SELECT account_id FROM accounts')).toEqual([{ account_id: 'A1' }]);
    } finally {
      await e.close();
    }
  });

  it('reads Parquet typed as written', async () => {
    const dir = tempDir();
    await writeTypedParquet(dir);
    const e = await DuckDbQueryEngine.create({
      inputs: { revenue_lines: { path: path.join(dir, 'revenue_lines.parquet'), format: 'parquet' } },
    });
    try {
      expect(
        await e.query(
          "SELECT typeof(booked_on) AS d, typeof(amount) AS a, amount FROM revenue_lines WHERE invoice_id = 'INV-6'",
        ),
      ).toEqual([{ d: 'DATE', a: 'DECIMAL(18,2)', amount: -500 }]);
    } finally {
      await e.close();
    }
  });

  it.each([
    [
      'a missing file',
      (dir: string) => path.join(dir, 'nope.csv'),
      /input for revenue_lines not found at .*nope\.csv: export revenue_lines there/,
    ],
    ['an empty folder', (dir: string) => dir, /input folder .* for revenue_lines holds no \.csv files/],
    [
      'a glob matching nothing',
      (dir: string) => path.join(dir, '*.csv'),
      /input for revenue_lines not found at .*\*\.csv: no file matches/,
    ],
  ])('stops with an InputContractError for %s', async (_, pathIn, message) => {
    const dir = tempDir();
    const creating = DuckDbQueryEngine.create({
      inputs: { revenue_lines: { path: pathIn(dir), format: 'csv' } },
    });
    await expect(creating).rejects.toThrow(InputContractError);
    await expect(creating).rejects.toThrow(message);
  });

  it('wraps engine errors in a QueryError naming the first line of the SQL', async () => {
    const failing = engine.query('-- my_query: demo\nSELECT no_such_column FROM accounts');
    await expect(failing).rejects.toThrow(QueryError);
    await expect(failing).rejects.toThrow(/DuckDB query '-- my_query: demo' failed: .*no_such_column/);
  });

  it('gives the same quarantine summary and features from CSV and from typed Parquet', async () => {
    const dir = tempDir();
    await writeTypedParquet(dir);
    const parquet = await DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: { path: path.join(dir, 'revenue_lines.parquet'), format: 'parquet' },
        accounts: { path: path.join(dir, 'accounts.parquet'), format: 'parquet' },
      },
    });
    const sql = new FileSqlSource();
    try {
      for (const [name, params] of [
        ['account_features', { period_end: '2026-10-31', run_date: '2026-11-02', reporting_currency: 'USD' }],
        ['account_features', { period_end: '2025-10-31', run_date: '2026-11-02', reporting_currency: 'USD' }],
        ['quarantine_summary', { run_date: '2026-11-02', reporting_currency: 'USD' }],
      ] as const) {
        const fromCsv = await engine.query(sql.load(name), params);
        expect(fromCsv.length).toBeGreaterThan(0);
        expect(await parquet.query(sql.load(name), params)).toEqual(fromCsv);
      }
    } finally {
      await parquet.close();
    }
  });
});
