import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { QueryError } from '../../lambdas/core/errors.ts';
import { writeSnapshot } from '../../lambdas/jobs/steps/snapshot-store.ts';
import { snapshotFor } from '../fixtures/snapshot-analysis.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "revseg-query-it's-"));
  const store = new FolderObjectStore(root);
  await writeSnapshot(store, { cadence: 'monthly', periodId: '2026-09' }, snapshotFor('2026-09'));
  await writeSnapshot(
    store,
    { cadence: 'monthly', periodId: '2026-10' },
    snapshotFor('2026-10', 'monthly', 2),
  );
  await writeSnapshot(
    store,
    { cadence: 'quarterly', periodId: '2026-Q3' },
    snapshotFor('2026-Q3', 'quarterly', 3),
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('querySnapshots', () => {
  it('answers the CLI example over one period', async () => {
    const result = await querySnapshots(
      root,
      "select segment, revenue_t12m from segment_kpis where period='2026-10' order by rank",
    );
    expect(result).toEqual({
      columns: ['segment', 'revenue_t12m'],
      rows: [
        { segment: 'High', revenue_t12m: 300_000 },
        { segment: 'Medium', revenue_t12m: 0 },
        { segment: 'Low', revenue_t12m: 10_000 },
        { segment: 'Inactive', revenue_t12m: 0 },
      ],
    });
  });

  it('sees both periods and both cadences through the partition columns', async () => {
    const { rows } = await querySnapshots(
      root,
      `select cadence, period, period_end, accounts, revenue_t12m from portfolio_kpis order by cadence, period`,
    );
    expect(rows).toEqual([
      { cadence: 'monthly', period: '2026-09', period_end: '2026-09-30', accounts: 3, revenue_t12m: 155_000 },
      { cadence: 'monthly', period: '2026-10', period_end: '2026-10-31', accounts: 3, revenue_t12m: 310_000 },
      {
        cadence: 'quarterly',
        period: '2026-Q3',
        period_end: '2026-09-30',
        accounts: 3,
        revenue_t12m: 465_000,
      },
    ]);
  });

  it('joins tables and returns plain numbers for counts and sums', async () => {
    const { rows } = await querySnapshots(
      root,
      `select a.period, count(*) as accounts, sum(a.invoices_t12m) as invoices, max(a.created_on) as newest,
              any_value(p.quarantined_lines) as quarantined
         from account_segments a join portfolio_kpis p using (cadence, period)
        where a.cadence = 'monthly' group by a.period order by a.period`,
    );
    expect(rows).toEqual([
      { period: '2026-09', accounts: 3, invoices: 14, newest: '2022-12-01', quarantined: 1 },
      { period: '2026-10', accounts: 3, invoices: 14, newest: '2022-12-01', quarantined: 1 },
    ]);
  });

  it('keeps nulls and non-ASCII text', async () => {
    const { rows } = await querySnapshots(
      root,
      "select account_name, industry, employee_count from account_segments where account_id = 'A-2' and period = '2026-09'",
    );
    expect(rows).toEqual([
      { account_name: 'Société Générale Ünïcode 東京 😀', industry: null, employee_count: null },
    ]);
  });

  it('names the tables that exist when a query fails', async () => {
    const query = querySnapshots(root, 'select * from segment_forecasts');
    await expect(query).rejects.toThrow(QueryError);
    await expect(querySnapshots(root, 'select * from segment_forecasts')).rejects.toThrow(
      'account_segments, cohort_retention, portfolio_kpis, quarantine, segment_firmographics, segment_kpis, segment_migrations',
    );
  });

  it('skips tables without files and says so when there is no snapshot at all', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'revseg-query-empty-'));
    try {
      await new FolderObjectStore(empty).put(
        'snapshots/segment_kpis/README',
        new TextEncoder().encode('no data'),
      );
      expect(await querySnapshots(empty, 'select 1 as one')).toEqual({
        columns: ['one'],
        rows: [{ one: 1 }],
      });
      await expect(querySnapshots(empty, 'select * from segment_kpis')).rejects.toThrow(
        'none yet; run a period first',
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
