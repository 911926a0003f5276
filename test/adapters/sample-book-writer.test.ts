import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SampleBookResult,
  SampleBookWriteOptions,
} from '../../lambdas/adapters/local/sample-book-writer.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { ConfigError } from '../../lambdas/core/errors.ts';
import type { CsvCell } from '../unit/sample-book-helpers.ts';
import {
  classifyLines,
  fxRateKeys,
  isIsoDate,
  isValidEmail,
  LINE_REASONS,
  parseCsvRecords,
} from '../unit/sample-book-helpers.ts';

const AS_OF = '2025-11-25';
let root: string;
let duck: DuckDBInstance;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'revseg-sample-'));
  duck = await DuckDBInstance.create(':memory:');
});

afterAll(async () => {
  duck.closeSync();
  await rm(root, { recursive: true, force: true });
});

let runs = 0;
async function write(options: Partial<SampleBookWriteOptions>): Promise<SampleBookResult> {
  return writeSampleBook({ outDir: join(root, `run-${++runs}`), asOf: AS_OF, lines: 8_000, ...options });
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await duck.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    connection.closeSync();
  }
}

const literal = (path: string) => `'${path.replaceAll("'", "''")}'`;

async function readCsvBook(result: SampleBookResult) {
  const accounts = parseCsvRecords(await readFile(result.files.accounts, 'utf8'));
  const lines = parseCsvRecords(await readFile(result.files.revenue_lines, 'utf8'));
  return { accounts, lines };
}

const asLine = (r: Record<string, CsvCell>) => ({
  accountId: r.account_id ?? null,
  invoiceId: r.invoice_id ?? null,
  bookedOn: r.booked_on ?? null,
  amount: r.amount ?? null,
  currency: r.currency ?? null,
  product: r.product ?? null,
});

describe('writeSampleBook to CSV', () => {
  let result: SampleBookResult;
  let book: Awaited<ReturnType<typeof readCsvBook>>;

  beforeAll(async () => {
    result = await write({ lines: 20_000 });
    book = await readCsvBook(result);
  });

  it('writes accounts.csv and revenue_lines.csv with headers, and nothing else', async () => {
    expect(result.format).toBe('csv');
    expect(result.files.accounts.endsWith('/accounts.csv')).toBe(true);
    expect(result.files.revenue_lines.endsWith('/revenue_lines.csv')).toBe(true);
    expect((await readdir(join(result.files.accounts, '..'))).sort()).toEqual([
      'accounts.csv',
      'fx_rates.csv',
      'revenue_lines.csv',
    ]);
    expect(result.fxRatesFile?.endsWith('/fx_rates.csv')).toBe(true);
    const fxHead = (await readFile(result.fxRatesFile as string, 'utf8')).split('\r\n').slice(0, 2);
    expect(fxHead[0]).toBe('currency,month,rate_to_reporting');
    expect(fxHead[1]).toMatch(/^EUR,\d{4}-\d{2},\d\.\d{4}$/);
    const head = (await readFile(result.files.revenue_lines, 'utf8')).slice(0, 60);
    expect(head.startsWith('account_id,invoice_id,booked_on,amount,currency,product\r\n')).toBe(true);
    const accountsHead = (await readFile(result.files.accounts, 'utf8')).split('\r\n')[0];
    expect(accountsHead).toBe(
      'account_id,account_name,owner_email,owner_name,industry,country,employee_count,created_on,last_reviewed_on',
    );
  });

  it('reports the rows, dates and planted problems that are in the files', async () => {
    expect(book.lines).toHaveLength(result.lines);
    expect(result.lines).toBeGreaterThan(19_000);
    expect(result.lines).toBeLessThan(21_000);
    expect(book.accounts).toHaveLength(result.accounts + result.planted.duplicate_account);
    const ids = new Set(book.accounts.map((a) => a.account_id as string));
    expect(ids.size).toBe(result.accounts);

    const rates = fxRateKeys(parseCsvRecords(await readFile(result.fxRatesFile as string, 'utf8')));
    const { counts, valid } = classifyLines(book.lines.map(asLine), ids, AS_OF, rates);
    for (const reason of LINE_REASONS)
      expect([reason, counts[reason]]).toEqual([reason, result.planted[reason]]);
    const plantedLines = LINE_REASONS.reduce((a, r) => a + result.planted[r], 0);
    expect(plantedLines).toBeGreaterThan(0);
    expect(valid).toBe(result.lines - plantedLines);
    expect(book.accounts.filter((a) => !isValidEmail(a.owner_email ?? null))).toHaveLength(
      result.planted.invalid_owner_email,
    );

    const dates = book.lines
      .map((l) => l.booked_on ?? '')
      .filter((d) => isIsoDate(d) && d < AS_OF)
      .sort();
    expect([dates[0], dates.at(-1)]).toEqual([result.firstDate, result.lastDate]);
    expect(result.asOf).toBe(AS_OF);
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('is byte-for-byte the same for the same seed, and differs for another', async () => {
    const again = await write({ lines: 20_000 });
    const other = await write({ lines: 20_000, seed: 7 });
    const bytes = (path: string) => readFile(path);
    expect((await bytes(again.files.revenue_lines)).equals(await bytes(result.files.revenue_lines))).toBe(
      true,
    );
    expect((await bytes(again.files.accounts)).equals(await bytes(result.files.accounts))).toBe(true);
    expect((await bytes(other.files.revenue_lines)).equals(await bytes(result.files.revenue_lines))).toBe(
      false,
    );
  });

  it('escapes names with commas and quotes so that DuckDB reads the same values back', async () => {
    const tricky = book.accounts.filter((a) => /[",]/.test(a.account_name ?? ''));
    expect(tricky.some((a) => a.account_name?.includes('"'))).toBe(true);
    expect(tricky.some((a) => a.account_name?.includes(','))).toBe(true);
    const rows = await query(
      `SELECT account_id, account_name FROM read_csv(${literal(result.files.accounts)}, header = true, all_varchar = true)`,
    );
    expect(rows).toHaveLength(book.accounts.length);
    expect(rows.map((r) => r.account_name)).toEqual(book.accounts.map((a) => a.account_name));
    const [lines] = await query(
      `SELECT count(*) AS n FROM read_csv(${literal(result.files.revenue_lines)}, header = true, all_varchar = true)`,
    );
    expect(Number(lines?.n)).toBe(result.lines);
  });

  it('replaces a book of the other format in the same folder', async () => {
    const outDir = join(root, 'switch');
    await writeSampleBook({ outDir, asOf: AS_OF, lines: 300, format: 'parquet' });
    await writeSampleBook({ outDir, asOf: AS_OF, lines: 300, format: 'csv' });
    expect((await readdir(outDir)).sort()).toEqual(['accounts.csv', 'fx_rates.csv', 'revenue_lines.csv']);
    await writeSampleBook({ outDir, asOf: AS_OF, lines: 300, multiCurrency: false });
    expect((await readdir(outDir)).sort()).toEqual(['accounts.csv', 'revenue_lines.csv']);
  });

  it('rejects invalid options before writing anything', async () => {
    const outDir = join(root, 'invalid');
    await expect(writeSampleBook({ outDir, asOf: '2025-13-01' })).rejects.toThrow(ConfigError);
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });
});

describe('writeSampleBook to Parquet', () => {
  it('keeps booked_on and amount as text when problems are planted, with the same rows as the CSV', async () => {
    const parquet = await write({ lines: 6_000, format: 'parquet' });
    const csv = await write({ lines: 6_000, format: 'csv' });
    expect(parquet.files.revenue_lines.endsWith('/revenue_lines.parquet')).toBe(true);
    expect((await readdir(join(parquet.files.accounts, '..'))).sort()).toEqual([
      'accounts.parquet',
      'fx_rates.parquet',
      'revenue_lines.parquet',
    ]);
    const fxTypes = await query(
      `DESCRIBE SELECT * FROM read_parquet(${literal(parquet.fxRatesFile as string)})`,
    );
    expect(fxTypes.map((t) => [t.column_name, t.column_type])).toEqual([
      ['currency', 'VARCHAR'],
      ['month', 'VARCHAR'],
      ['rate_to_reporting', 'DOUBLE'],
    ]);
    const types = await query(`DESCRIBE SELECT * FROM read_parquet(${literal(parquet.files.revenue_lines)})`);
    expect(types.map((t) => [t.column_name, t.column_type])).toEqual([
      ['account_id', 'VARCHAR'],
      ['invoice_id', 'VARCHAR'],
      ['booked_on', 'VARCHAR'],
      ['amount', 'VARCHAR'],
      ['currency', 'VARCHAR'],
      ['product', 'VARCHAR'],
    ]);
    const rows = await query(`SELECT * FROM read_parquet(${literal(parquet.files.revenue_lines)})`);
    const csvRows = (await readCsvBook(csv)).lines;
    expect(rows).toEqual(csvRows);
    expect(rows.filter((r) => r.account_id === null)).toHaveLength(2);
    expect(rows.filter((r) => r.account_id === '')).toHaveLength(1);
    expect({ ...parquet, files: undefined, fxRatesFile: undefined, seconds: 0 }).toEqual({
      ...csv,
      files: undefined,
      fxRatesFile: undefined,
      seconds: 0,
      format: 'parquet',
    });
  });

  it('types the columns as the contract says when the book is clean', async () => {
    const result = await write({ lines: 6_000, format: 'parquet', plantProblems: false });
    const lineTypes = await query(
      `DESCRIBE SELECT * FROM read_parquet(${literal(result.files.revenue_lines)})`,
    );
    expect(Object.fromEntries(lineTypes.map((t) => [t.column_name, t.column_type]))).toEqual({
      account_id: 'VARCHAR',
      invoice_id: 'VARCHAR',
      booked_on: 'DATE',
      amount: 'DECIMAL(18,2)',
      currency: 'VARCHAR',
      product: 'VARCHAR',
    });
    const accountTypes = await query(
      `DESCRIBE SELECT * FROM read_parquet(${literal(result.files.accounts)})`,
    );
    expect(Object.fromEntries(accountTypes.map((t) => [t.column_name, t.column_type]))).toEqual({
      account_id: 'VARCHAR',
      account_name: 'VARCHAR',
      owner_email: 'VARCHAR',
      owner_name: 'VARCHAR',
      industry: 'VARCHAR',
      country: 'VARCHAR',
      employee_count: 'INTEGER',
      created_on: 'DATE',
      last_reviewed_on: 'DATE',
    });

    const csv = await readCsvBook(await write({ lines: 6_000, plantProblems: false }));
    const cents = csv.lines.reduce((a, l) => a + Math.round(Number(l.amount) * 100), 0);
    const [summary] = await query(
      `SELECT count(*) AS n, CAST(sum(amount) * 100 AS BIGINT) AS cents, CAST(min(booked_on) AS VARCHAR) AS first
       FROM read_parquet(${literal(result.files.revenue_lines)})`,
    );
    expect(Number(summary?.n)).toBe(result.lines);
    expect(Number(summary?.cents)).toBe(cents);
    expect(summary?.first).toBe(result.firstDate);
    expect(result.planted).toEqual(Object.fromEntries(Object.keys(result.planted).map((k) => [k, 0])));
  });
});

describe('a tiny book', () => {
  it.each(['csv', 'parquet'] as const)('writes a few hundred lines as %s', async (format) => {
    const result = await write({ lines: 300, format });
    expect(result.accounts).toBe(50);
    expect(result.lines).toBeGreaterThan(200);
    expect(result.lines).toBeLessThan(400);
    const reader =
      format === 'csv'
        ? `read_csv(${literal(result.files.revenue_lines)}, header = true, all_varchar = true)`
        : `read_parquet(${literal(result.files.revenue_lines)})`;
    const [count] = await query(`SELECT count(*) AS n FROM ${reader}`);
    expect(Number(count?.n)).toBe(result.lines);
  });
});
