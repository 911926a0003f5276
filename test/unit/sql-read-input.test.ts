import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import {
  checkInputContract,
  plannedQueries,
  readAccountFeatures,
  readQuarantinedRows,
  summarizeQuarantine,
} from '../../lambdas/jobs/steps/read-input.ts';
import type { QueryEngine } from '../../lambdas/ports/query-engine.ts';

const fixtures = fileURLToPath(new URL('../fixtures/sql/', import.meta.url));
const RUN_DATE = '2026-11-02';
const sql = new FileSqlSource();

describe('read-input steps on the SQL fixtures', () => {
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    engine = await DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: { path: path.join(fixtures, 'revenue_lines.csv'), format: 'csv' },
        accounts: { path: path.join(fixtures, 'accounts.csv'), format: 'csv' },
      },
    });
  });
  afterAll(() => engine.close());

  it('checkInputContract describes the tables and accepts them', async () => {
    const described = await checkInputContract(engine);
    expect(described.map((d) => d.table)).toEqual(['revenue_lines', 'accounts']);
  });

  it('summarizeQuarantine counts checked and quarantined rows; a flagged owner email is not set aside', async () => {
    const summary = await summarizeQuarantine(engine, sql, RUN_DATE, 'USD');
    expect(summary).toEqual({
      revenueLinesChecked: 22,
      revenueLinesQuarantined: 10,
      accountsChecked: 6,
      accountsQuarantined: 2,
      counts: [
        { table: 'revenue_lines', reason: 'duplicate_line', rows: 2, amount: 4800 },
        { table: 'revenue_lines', reason: 'future_dated', rows: 1, amount: 800 },
        { table: 'revenue_lines', reason: 'missing_account_id', rows: 1, amount: 60 },
        { table: 'revenue_lines', reason: 'missing_invoice_id', rows: 1, amount: 50 },
        { table: 'revenue_lines', reason: 'unknown_account', rows: 2, amount: 1998 },
        { table: 'revenue_lines', reason: 'unparsable_amount', rows: 1, amount: 0 },
        { table: 'revenue_lines', reason: 'unparsable_date', rows: 2, amount: 170 },
        { table: 'accounts', reason: 'duplicate_account', rows: 1, amount: 0 },
        { table: 'accounts', reason: 'invalid_owner_email', rows: 1, amount: 0 },
        { table: 'accounts', reason: 'missing_account_id', rows: 1, amount: 0 },
      ],
    });
  });

  it('readQuarantinedRows returns one row per quarantined input row, identical copies expanded', async () => {
    const rows = await readQuarantinedRows(engine, sql, RUN_DATE, 'USD');
    expect(rows.filter((r) => r.table === 'revenue_lines')).toHaveLength(10);
    expect(rows.filter((r) => r.table === 'accounts')).toHaveLength(3);
    expect(rows.filter((r) => r.reason === 'unknown_account')).toEqual([
      {
        table: 'revenue_lines',
        reason: 'unknown_account',
        accountId: 'ZZ',
        invoiceId: 'INV-40',
        bookedOn: '2026-05-05',
        amount: '999.00',
        detail: 'currency=USD; product=Core',
      },
      {
        table: 'revenue_lines',
        reason: 'unknown_account',
        accountId: 'ZZ',
        invoiceId: 'INV-40',
        bookedOn: '2026-05-05',
        amount: '999.00',
        detail: 'currency=USD; product=Core',
      },
    ]);
    expect(rows.find((r) => r.reason === 'unparsable_amount')?.amount).toBe('12x');
  });

  it('readAccountFeatures maps one row per valid account, months oldest first', async () => {
    const features = await readAccountFeatures(
      engine,
      sql,
      parsePeriod('2026-10', 'monthly'),
      RUN_DATE,
      'USD',
    );
    expect(features.map((f) => f.accountId)).toEqual(['A1', 'A2', 'A3', 'A4']);
    const a1 = features[0];
    // oldest first: index 0 = m23 (2024-11), 11 = m12 (2025-10), 12 = m11 (2025-11), 16 = m07 (2026-03), 23 = m00
    const months = Array<number>(24).fill(0);
    months[0] = 1000;
    months[11] = 2000;
    months[12] = 3250.5;
    months[16] = -500;
    months[23] = 4000;
    expect(a1?.monthlyRevenue).toEqual(months);
    expect(a1?.revenueT12m).toBe(6750.5);
    expect(features[2]?.ownerEmail).toBe('');
  });

  it('plannedQueries lists each SQL file a run issues with its parameters', () => {
    // the FX checks and the input queries come first; model queries (predict.ts) follow them
    const run = { run_date: RUN_DATE, reporting_currency: 'EUR' };
    expect(plannedQueries(parsePeriod('2026-Q3', 'quarterly'), RUN_DATE, 1, 'EUR')).toEqual([
      { name: 'fx_rates', params: { reporting_currency: 'EUR' } },
      { name: 'fx_conversion', params: run },
      { name: 'quarantine_summary', params: run },
      { name: 'quarantined_rows', params: run },
      { name: 'account_features', params: { period_end: '2026-09-30', ...run } },
      { name: 'rfm_summary', params: { period_end: '2026-09-30', ...run } },
      {
        name: 'cohort_revenue',
        params: { period_end: '2026-09-30', ...run, fiscal_year_start_month: 1 },
      },
    ]);
    expect(() => plannedQueries(parsePeriod('2026-10', 'monthly'), '02/11/2026', 1, 'USD')).toThrow(
      "run date '02/11/2026' is not an ISO date: use YYYY-MM-DD",
    );
    expect(() => plannedQueries(parsePeriod('2026-10', 'monthly'), RUN_DATE, 1, 'usd')).toThrow(
      "reporting currency 'usd' is not an ISO 4217 code",
    );
  });
});

describe('checkInputContract', () => {
  it('stops the run when a required table is missing', async () => {
    const engine: QueryEngine = {
      query: async () => [],
      describeTable: async (table) =>
        table === 'accounts'
          ? {
              table,
              source: 'glue:db.accounts',
              columns: ['account_id', 'account_name', 'owner_email', 'owner_name', 'industry', 'country'],
            }
          : undefined,
    };
    await expect(checkInputContract(engine)).rejects.toThrow(InputContractError);
    await expect(checkInputContract(engine)).rejects.toThrow(/required table revenue_lines is missing/);
  });
});
