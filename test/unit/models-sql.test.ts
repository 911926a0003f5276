import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindNamedParameters } from '../../lambdas/core/sql-params.ts';
import type { SqlValue } from '../../lambdas/ports/query-engine.ts';

const sqlDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql');

// Raw text columns, as a CSV export would give them; bad dates and amounts must be left out.
const FIXTURE = `
CREATE TABLE revenue_lines (account_id VARCHAR, invoice_id VARCHAR, booked_on VARCHAR, amount VARCHAR, currency VARCHAR);
INSERT INTO revenue_lines VALUES
  ('acme', 'i1', '2025-01-06', '100', 'USD'),
  ('acme', 'i2', '2025-01-06', '50', 'USD'),
  ('acme', 'i3', '2025-01-20', '200', 'USD'),
  ('acme', 'c1', '2025-02-17', '-300', 'USD'),
  ('acme', 'i4', '2025-03-03', '80', 'USD'),
  ('acme', 'i5', '2025-04-01', '999', 'USD'),
  ('acme', 'i6', 'not-a-date', '10', 'USD'),
  ('acme', 'i7', '2025-03-10', 'abc', 'USD'),
  ('beta', 'i8', '2025-03-31', '40', 'USD'),
  ('gamma', 'c2', '2025-02-01', '-20', 'USD'),
  ('delta', 'c3', '2024-11-15', '-50', 'USD'),
  ('delta', 'i9', '2025-05-05', '70', 'USD'),
  ('', 'i10', '2025-01-01', '5', 'USD'),
  (NULL, 'i11', '2025-01-01', '5', 'USD');
`;

let connection: DuckDBConnection;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(FIXTURE);
});

afterAll(() => {
  connection.closeSync();
});

async function runSql(name: string, params: Record<string, SqlValue>): Promise<Record<string, unknown>[]> {
  const bound = bindNamedParameters(readFileSync(path.join(sqlDir, `${name}.sql`), 'utf8'), params);
  const reader = await connection.runAndReadAll(bound.sql, bound.values);
  const plain = (v: unknown) => {
    if (typeof v === 'bigint') return Number(v);
    return v instanceof Date ? v.toISOString().slice(0, 10) : v;
  };
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
}

describe('sql/rfm_summary.sql', () => {
  // acme's purchase days up to 2025-03-31: 01-06 (150, two invoices), 01-20 (200), 03-03 (80); 02-17 is a
  // credit note only and 04-01 is after the period. Repeat days 2, first to last 56 days, to period end 84.
  it('summarises in weeks (:unit_days = 7)', async () => {
    expect(await runSql('rfm_summary', { period_end: '2025-03-31', unit_days: 7 })).toEqual([
      { account_id: 'acme', frequency: 2, recency: 8, age: 12, avg_repeat_value: 140 },
      { account_id: 'beta', frequency: 0, recency: 0, age: 0, avg_repeat_value: 0 },
    ]);
  });

  it('summarises in days (:unit_days = 1)', async () => {
    const rows = await runSql('rfm_summary', { period_end: '2025-03-31', unit_days: 1 });
    expect(rows[0]).toEqual({
      account_id: 'acme',
      frequency: 2,
      recency: 56,
      age: 84,
      avg_repeat_value: 140,
    });
  });
});

describe('sql/cohort_revenue.sql', () => {
  // First purchase = first positive line; delta's earlier credit note (2024-Q4) precedes it and is left out.
  it('gives net revenue per account and quarter with the first-purchase quarter', async () => {
    expect(await runSql('cohort_revenue', { period_end: '2025-06-30' })).toEqual([
      { account_id: 'acme', first_quarter: '2025-01-01', quarter: '2025-01-01', revenue: 130 },
      { account_id: 'acme', first_quarter: '2025-01-01', quarter: '2025-04-01', revenue: 999 },
      { account_id: 'beta', first_quarter: '2025-01-01', quarter: '2025-01-01', revenue: 40 },
      { account_id: 'delta', first_quarter: '2025-04-01', quarter: '2025-04-01', revenue: 70 },
    ]);
  });
});
