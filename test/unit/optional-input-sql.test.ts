import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';

const fixtures = fileURLToPath(new URL('../fixtures/optional-sql/', import.meta.url));
const csv = (table: string) => ({ path: path.join(fixtures, `${table}.csv`), format: 'csv' as const });

/** Golden tests of the SQL over the optional inputs of issue 8, against hand-worked expectations. */
describe('optional-input SQL (DuckDB, hand-written CSV fixtures)', () => {
  let engine: DuckDbQueryEngine;
  const sql = new FileSqlSource();
  const params = { period_end: '2026-10-31', run_date: '2026-11-02' };

  beforeAll(async () => {
    engine = await DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: csv('revenue_lines'),
        accounts: csv('accounts'),
        activities: csv('activities'),
        segment_overrides: csv('segment_overrides'),
      },
    });
  });
  afterAll(() => engine.close());

  it('activity_quarantine counts every row once and each problem under its first reason', async () => {
    const rows = await engine.query(sql.load('activity_quarantine'), { run_date: params.run_date });
    expect(rows).toEqual([
      { reason: null, row_count: 12 },
      { reason: 'future_dated', row_count: 1 },
      { reason: 'invalid_count', row_count: 1 },
      { reason: 'missing_account_id', row_count: 1 },
      { reason: 'missing_kind', row_count: 1 },
      { reason: 'unknown_account', row_count: 1 },
      { reason: 'unparsable_date', row_count: 1 },
    ]);
  });

  it('account_activity: recent 3 months vs the 12 before, valid rows only, empty count = 1 event', async () => {
    const rows = await engine.query(sql.load('account_activity'), params);
    // A1: recent 2 (Oct 15) + 1 (Sep 1, no count); baseline 1 (Mar 10, kind lower-cased); Jun 2025 is older than
    // 15 months, Nov 1 is after the period end, Dec 1 is future-dated. A2: only the May support ticket is valid.
    expect(rows).toEqual([
      {
        account_id: 'A1',
        recent_events: 3,
        baseline_events: 1,
        recent_kinds: 2,
        last_activity_on: '2026-10-15',
      },
      {
        account_id: 'A2',
        recent_events: 0,
        baseline_events: 3,
        recent_kinds: 0,
        last_activity_on: '2026-05-05',
      },
    ]);
  });

  it('segment_overrides returns every row as text for the job to check', async () => {
    const rows = await engine.query(sql.load('segment_overrides'));
    expect(rows).toEqual([
      {
        account_id: 'A2',
        segment: 'High',
        reason: 'Strategic logo in a new market',
        set_by: 'jane@example.com',
        expires_on: '2027-06-30',
      },
      { account_id: 'A1', segment: 'Medium', reason: null, set_by: 'bob@example.com', expires_on: null },
    ]);
  });
});
