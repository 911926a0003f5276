import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { MONTH_COLUMNS } from '../../lambdas/core/features.ts';

const fixtures = fileURLToPath(new URL('../fixtures/sql/', import.meta.url));
const sqlDir = fileURLToPath(new URL('../../sql/', import.meta.url));
const RUN_DATE = '2026-11-02';

interface ExpectedFeatures extends Record<string, unknown> {
  nonzero_months: Record<string, number>;
}

function expected(name: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(path.join(fixtures, 'expected', `${name}.json`), 'utf8'));
}

/** Expands the hand-written sparse months into the 24 columns the query returns. */
function expectedFeatures(name: string): Record<string, unknown>[] {
  return (expected(name) as ExpectedFeatures[]).map(({ nonzero_months, ...row }) => ({
    ...row,
    ...Object.fromEntries(MONTH_COLUMNS.map((m) => [m, nonzero_months[m] ?? 0])),
  }));
}

const cases: { file: string; params: Record<string, string>; expected: () => Record<string, unknown>[] }[] = [
  {
    file: 'quarantine_summary',
    params: { run_date: RUN_DATE },
    expected: () => expected('quarantine_summary'),
  },
  { file: 'quarantined_rows', params: { run_date: RUN_DATE }, expected: () => expected('quarantined_rows') },
  {
    file: 'account_features',
    params: { period_end: '2026-10-31', run_date: RUN_DATE },
    expected: () => expectedFeatures('account_features.2026-10'),
  },
  {
    file: 'account_features',
    params: { period_end: '2025-10-31', run_date: RUN_DATE },
    expected: () => expectedFeatures('account_features.2025-10'),
  },
];

describe('SQL golden tests (DuckDB, hand-written CSV fixtures)', () => {
  let engine: DuckDbQueryEngine;
  const sql = new FileSqlSource();

  beforeAll(async () => {
    engine = await DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: { path: path.join(fixtures, 'revenue_lines.csv'), format: 'csv' },
        accounts: { path: path.join(fixtures, 'accounts.csv'), format: 'csv' },
      },
    });
  });
  afterAll(() => engine.close());

  it('has a golden case for every SQL file (here or in the models golden tests)', () => {
    // test/unit/models-sql.test.ts and test/unit/optional-input-sql.test.ts
    const elsewhere = [
      'cohort_revenue',
      'rfm_summary',
      'account_activity',
      'activity_quarantine',
      'segment_overrides',
    ];
    const files = readdirSync(sqlDir)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace(/\.sql$/, ''));
    expect(new Set([...cases.map((c) => c.file), ...elsewhere])).toEqual(new Set(files));
  });

  it.each(cases.map((c) => [`${c.file} ${JSON.stringify(c.params)}`, c] as const))('%s', async (_, c) => {
    const rows = await engine.query(sql.load(c.file), c.params);
    expect(rows).toEqual(c.expected());
  });

  it('checks every line once: checked = valid + quarantined, in rows and in amounts', async () => {
    const summary = await engine.query<{
      reason: string | null;
      table_name: string;
      row_count: number;
      amount: number;
    }>(sql.load('quarantine_summary'), { run_date: RUN_DATE });
    const lines = summary.filter((r) => r.table_name === 'revenue_lines');
    const checked = lines.find((r) => r.reason === null)?.row_count;
    const quarantined = lines.filter((r) => r.reason !== null).reduce((s, r) => s + r.row_count, 0);
    const quarantinedAmount = lines.filter((r) => r.reason !== null).reduce((s, r) => s + r.amount, 0);
    // valid lines by hand: 1-7, 9, 11, 17, 18, 22 (see test/fixtures/sql/README.md)
    const validAmounts = [500, 1000, 2000, 3000, 250.5, 4000, -500, 700, 100, 300, -300, 40];
    expect(checked).toBe(22);
    expect(quarantined + validAmounts.length).toBe(checked);
    // every parsable amount in the file, once per line
    const allParsable = [
      500, 1000, 2000, 3000, 250.5, 4000, -500, 4000, 700, 800, 100, 100, 50, 60, 70, 300, -300, 999, 999,
      800, 40,
    ];
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    expect(quarantinedAmount + sum(validAmounts)).toBeCloseTo(sum(allParsable), 6);
  });
});
