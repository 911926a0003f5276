import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import type { GoldenEngine, OpenEngine } from './golden-engine.ts';

/** Runs these golden cases on the engine `open` gives; the expectations do not depend on the engine. */
export function salesSqlTests(engineName: string, open: OpenEngine): void {
  const fixtures = fileURLToPath(new URL('../fixtures/sales-sql/', import.meta.url));
  const csv = (table: string) => ({ path: path.join(fixtures, `${table}.csv`), format: 'csv' as const });

  const OPPORTUNITIES = [
    {
      opportunity_id: 'O-1',
      account_id: 'A1',
      created_on: '2026-01-10',
      closed_on: '2026-03-01',
      stage: 'won',
      amount: '1200.50',
    },
    {
      opportunity_id: 'O-2',
      account_id: 'A1',
      created_on: '2026-02-01',
      closed_on: null,
      stage: 'open',
      amount: '300',
    },
    {
      opportunity_id: null,
      account_id: 'A2',
      created_on: '2026-02-01',
      closed_on: '2026-02-30',
      stage: 'Won',
      amount: '12',
    },
    {
      opportunity_id: 'O-3',
      account_id: 'A2, Inc',
      created_on: '2026-04-01',
      closed_on: '2026-03-01',
      stage: 'negotiation',
      amount: '-5',
    },
  ];
  const COSTS = [
    { period: '2026-10', account_id: 'A1', segment: null, kind: 'service', amount: '300.00' },
    { period: '2026-Q3', account_id: null, segment: 'Medium', kind: 'acquisition', amount: '900' },
    { period: '2026-13', account_id: 'A1', segment: 'Low', kind: 'marketing', amount: '-1' },
    { period: 'Q3 2024', account_id: null, segment: 'Low', kind: 'service', amount: '70' },
    { period: '2025-01', account_id: 'A2', segment: null, kind: 'acquisition', amount: '80' },
  ];

  /** Golden tests of the SQL over the optional sales inputs of issue 6 (hand-written fixtures, README there). */
  describe(`sales-input SQL (${engineName})`, () => {
    const sql = new FileSqlSource();
    let engine: GoldenEngine;
    let parquetEngine: GoldenEngine;
    let dir: string;

    beforeAll(async () => {
      engine = await open({ opportunities: csv('opportunities'), costs: csv('costs') });
      // The same rows as typed Parquet (dates as DATE, amounts as DOUBLE), as an export would write them.
      dir = mkdtempSync(path.join(tmpdir(), 'revseg-sales-sql-'));
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const opportunities = path.join(dir, 'opportunities.parquet');
      const costs = path.join(dir, 'costs.parquet');
      await connection.run(
        `COPY (SELECT opportunity_id, account_id, CAST(created_on AS DATE) AS created_on, CAST(closed_on AS DATE) AS closed_on, stage, CAST(amount AS DOUBLE) AS amount
       FROM read_csv('${csv('opportunities').path}', all_varchar = true) WHERE opportunity_id = 'O-1') TO '${opportunities}' (FORMAT parquet)`,
      );
      await connection.run(
        `COPY (SELECT period, account_id, segment, kind, CAST(amount AS DOUBLE) AS amount
       FROM read_csv('${csv('costs').path}', all_varchar = true) WHERE period = '2026-10') TO '${costs}' (FORMAT parquet)`,
      );
      connection.closeSync();
      instance.closeSync();
      parquetEngine = await open({
        opportunities: { path: opportunities, format: 'parquet' },
        costs: { path: costs, format: 'parquet' },
      });
    });
    afterAll(async () => {
      await engine.close();
      await parquetEngine.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('opportunities returns every row as text, in file order, empty values as null', async () => {
      expect(await engine.query(sql.load('opportunities'))).toEqual(OPPORTUNITIES);
    });

    it('costs returns every row as text from :from_year on, in file order, and every period it cannot read', async () => {
      // 2024-12 and 2024-Q4 are before 2025: no window of the run reaches them. 'Q3 2024' is no period: kept.
      expect(await engine.query(sql.load('costs'), { from_year: '2025' })).toEqual(COSTS);
      expect(await engine.query(sql.load('costs'), { from_year: '2024' })).toHaveLength(7);
      expect(await engine.query(sql.load('costs'), { from_year: '2026' })).toEqual(
        COSTS.filter((c) => c.period !== '2025-01'),
      );
    });

    it('typed Parquet reads back as the same dates and numbers', async () => {
      const [opportunity] = await parquetEngine.query(sql.load('opportunities'));
      expect({ ...opportunity, amount: Number(opportunity?.amount) }).toEqual({
        ...OPPORTUNITIES[0],
        amount: 1200.5,
      });
      const [cost] = await parquetEngine.query(sql.load('costs'), { from_year: '2025' });
      expect({ ...cost, amount: Number(cost?.amount) }).toEqual({ ...COSTS[0], amount: 300 });
    });
  });
}
