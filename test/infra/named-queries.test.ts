import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glueColumnType, SNAPSHOT_TABLE_SCHEMAS } from '../../lambdas/core/snapshot/tables.ts';
import { NAMED_QUERIES } from '../../lib/pipeline-stack.ts';

// The named queries run on Athena over the snapshot tables; here they run on DuckDB (same SQL subset)
// over hand-made snapshot rows whose expected answers are worked out below.
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();

function namedQuery(file: string): string {
  return readFileSync(
    path.join(import.meta.dirname, '..', '..', 'lib', 'named-queries', `${file}.sql`),
    'utf8',
  );
}

async function rows(file: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(namedQuery(file));
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

function duckType(type: string): string {
  return type === 'string' ? 'VARCHAR' : type.toUpperCase();
}

type Row = Record<string, string | number | null>;

async function insert(table: string, values: Row[]): Promise<void> {
  for (const row of values) {
    const columns = Object.keys(row);
    const literals = Object.values(row).map((v) =>
      v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`,
    );
    await connection.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${literals.join(', ')})`);
  }
}

const kpi = (period: string, segment: string, rank: number, accounts: number, cadence = 'monthly'): Row => ({
  cadence,
  period,
  segment,
  rank,
  accounts,
  revenue_t12m: accounts * 1000,
});

const account = (
  period: string,
  id: string,
  segment: string,
  previous: string,
  movement: string,
  movementAmount: number,
  growth: number | null,
  revenue = 50_000,
): Row => ({
  cadence: 'monthly',
  period,
  account_id: id,
  segment,
  previous_segment: previous,
  movement,
  movement_amount: movementAmount,
  growth_yoy: growth,
  revenue_t12m: revenue,
});

beforeAll(async () => {
  for (const [table, columns] of Object.entries(SNAPSHOT_TABLE_SCHEMAS)) {
    const definitions = columns.map((c) => `${c.name} ${duckType(glueColumnType(c.type))}`);
    await connection.run(
      `CREATE TABLE ${table} (${[...definitions, 'cadence VARCHAR', 'period VARCHAR'].join(', ')})`,
    );
  }
  await insert('segment_kpis', [
    kpi('2026-09', 'High', 0, 5),
    kpi('2026-09', 'Medium', 1, 20),
    kpi('2026-10', 'Inactive', 3, 9),
    kpi('2026-10', 'Medium', 1, 21),
    kpi('2026-10', 'High', 0, 6),
    kpi('2026-10', 'Low', 2, 40),
    kpi('2026-Q4', 'High', 0, 99, 'quarterly'),
  ]);
  await insert('segment_migrations', [
    { cadence: 'monthly', period: '2026-09', from_segment: 'Low', to_segment: 'Medium', accounts: 7 },
    { cadence: 'monthly', period: '2026-10', from_segment: 'High', to_segment: 'High', accounts: 3 },
    { cadence: 'monthly', period: '2026-10', from_segment: 'Low', to_segment: 'Inactive', accounts: 1 },
    { cadence: 'monthly', period: '2026-10', from_segment: 'High', to_segment: 'Medium', accounts: 1 },
    { cadence: 'monthly', period: '2026-10', from_segment: 'Medium', to_segment: 'High', accounts: 2 },
  ]);
  // portfolio_kpis marks a complete snapshot (a run writes it last). 2026-11 has rows in the other tables but
  // none here: a run killed while rewriting it, which the queries must not take for the latest period.
  await insert('portfolio_kpis', [
    { cadence: 'monthly', period: '2026-09', accounts: 25 },
    { cadence: 'monthly', period: '2026-10', accounts: 76 },
    { cadence: 'quarterly', period: '2026-Q4', accounts: 99 },
  ]);
  await insert('segment_kpis', [kpi('2026-11', 'High', 0, 1), kpi('2026-11', 'Low', 2, 1)]);
  await insert('segment_migrations', [
    { cadence: 'monthly', period: '2026-11', from_segment: 'Low', to_segment: 'High', accounts: 50 },
  ]);
  await insert('account_segments', [
    account('2026-11', 'A1', 'Medium', 'High', 'contraction', -90_000, -0.6),
    account('2026-11', 'A9', 'Medium', 'Low', 'expansion', 99_000, 3),
  ]);
  await insert('account_segments', [
    account('2026-10', 'A1', 'High', 'High', 'contraction', -20_000, -0.1, 150_000),
    account('2026-10', 'A2', 'High', 'High', 'expansion', 10_000, 0.1, 160_000),
    account('2026-10', 'A3', 'Medium', 'High', 'contraction', -60_000, -0.5),
    account('2026-10', 'A4', 'Inactive', 'High', 'churn', -120_000, -1, 0),
    account('2026-10', 'A5', 'Medium', 'Medium', 'contraction', -5_000, -0.2),
    account('2026-10', 'A6', 'High', 'Medium', 'expansion', 70_000, -0.05, 120_000),
    account('2026-10', 'A7', 'Low', 'Low', 'expansion', 2_000, 0.5, 6_000),
    account('2026-10', 'A8', 'Medium', 'Medium', 'unchanged', 0, 0.3),
    account('2026-10', 'A9', 'Medium', 'Low', 'expansion', 9_000, 0.1),
    account('2026-10', 'A10', 'Medium', 'Medium', 'unchanged', 0, 0.1),
    account('2026-10', 'A11', 'Inactive', 'Inactive', 'reactivation', 0, null, 0),
    account('2026-09', 'A1', 'High', 'High', 'churn', -1, -1, 170_000),
    account('2026-09', 'A12', 'Low', 'Low', 'expansion', 5_000, 2, 4_000),
  ]);
});

afterAll(() => {
  connection.closeSync();
});

describe('Athena named queries', () => {
  it('has a file for each named query', () => {
    expect(NAMED_QUERIES.map((q) => q.file)).toEqual([
      'latest-segment-summary',
      'segment-trend',
      'migrations-this-period',
      'high-value-at-risk',
      'growth-opportunities',
    ]);
  });

  it('latest segment summary: the newest monthly period, highest bracket first', async () => {
    const result = await rows('latest-segment-summary');
    expect(result.map((r) => [r.period, r.segment, r.accounts])).toEqual([
      ['2026-10', 'High', '6'],
      ['2026-10', 'Medium', '21'],
      ['2026-10', 'Low', '40'],
      ['2026-10', 'Inactive', '9'],
    ]);
  });

  it('segment trend: every monthly period in order, segments in rank order', async () => {
    const result = await rows('segment-trend');
    expect(result.map((r) => `${r.period} ${r.segment}`)).toEqual([
      '2026-09 High',
      '2026-09 Medium',
      '2026-10 High',
      '2026-10 Medium',
      '2026-10 Low',
      '2026-10 Inactive',
    ]);
  });

  it('migrations this period: only moves between segments, most accounts first', async () => {
    const result = await rows('migrations-this-period');
    expect(result.map((r) => [r.from_segment, r.to_segment, r.accounts])).toEqual([
      ['Medium', 'High', '2'],
      ['High', 'Medium', '1'],
      ['Low', 'Inactive', '1'],
    ]);
  });

  it('high-value accounts at risk: in the top bracket now or before, shrinking, biggest loss first', async () => {
    // A1 contraction, A3 fell out of High, A4 churned from High, A6 is High with negative YoY;
    // not A2 (growing) nor A5 (never High) nor last month's A1 row.
    const result = await rows('high-value-at-risk');
    expect(result.map((r) => r.account_id)).toEqual(['A4', 'A3', 'A1', 'A6']);
  });

  it('growth opportunities: active accounts below the top bracket growing fast or expanding, biggest gain first', async () => {
    // A9 (+9,000 expansion), A7 (+2,000, +50%), A8 (+30% YoY); not A6 (High), A10 (+10%, unchanged),
    // A11 (no revenue), nor last month's A12.
    const result = await rows('growth-opportunities');
    expect(result.map((r) => r.account_id)).toEqual(['A9', 'A7', 'A8']);
  });
});
