import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

describe('querySnapshots sees only complete snapshots', () => {
  let dir: string;
  let store: FolderObjectStore;
  const periods = async (table: string) =>
    (await querySnapshots(dir, `select distinct period from ${table} order by period`)).rows.map(
      (r) => r.period,
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revseg-query-complete-'));
    store = new FolderObjectStore(dir);
    await writeSnapshot(store, { cadence: 'monthly', periodId: '2026-09' }, snapshotFor('2026-09'));
    await writeSnapshot(store, { cadence: 'monthly', periodId: '2026-10' }, snapshotFor('2026-10'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ignores a partition whose manifest is missing (a run killed mid-write) and stray files', async () => {
    expect(await periods('segment_kpis')).toEqual(['2026-09', '2026-10']);
    // A run of 2026-10 killed after it removed the manifest and rewrote one table with other numbers.
    await store.delete(['snapshots/_manifests/cadence=monthly/period=2026-10.json']);
    expect(await periods('segment_kpis')).toEqual(['2026-09']);
    expect(await periods('account_segments')).toEqual(['2026-09']);
    // A file no manifest lists, even inside a complete partition, is not read.
    const part = await store.get('snapshots/segment_kpis/cadence=monthly/period=2026-10/part-00000.parquet');
    await store.put(
      'snapshots/segment_kpis/cadence=monthly/period=2026-09/part-00001.parquet',
      part ?? new Uint8Array(),
    );
    expect(await periods('segment_kpis')).toEqual(['2026-09']);
  });

  it('drops the partitions of tables a rerun no longer writes', async () => {
    const full = snapshotFor('2026-08');
    await writeSnapshot(store, { cadence: 'monthly', periodId: '2026-08' }, full);
    expect(await periods('segment_migrations')).toContain('2026-08');
    const fewer = { ...full, tables: full.tables.filter((t) => t.name !== 'segment_migrations') };
    await writeSnapshot(store, { cadence: 'monthly', periodId: '2026-08' }, fewer);
    expect(await store.list('snapshots/segment_migrations/cadence=monthly/period=2026-08/')).toEqual([]);
    expect(await periods('segment_migrations')).not.toContain('2026-08');
    expect(await periods('segment_kpis')).toContain('2026-08');
  });
});

describe('querySnapshots is read-only', () => {
  let dir: string;
  const part = () =>
    join(dir, 'snapshots', 'segment_kpis', 'cadence=monthly', 'period=2026-10', 'part-00000.parquet');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revseg-query-ro-'));
    await writeSnapshot(
      new FolderObjectStore(dir),
      { cadence: 'monthly', periodId: '2026-10' },
      snapshotFor('2026-10'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["copy (select 1 as a) to '/tmp/revseg-query-escape.csv'", 'disabled by configuration'],
    ["attach '/tmp/revseg-query-escape.db'", 'statement 1 is ATTACH'],
    ['install httpfs', 'statement 1 is'],
    ['load httpfs', 'statement 1 is LOAD'],
    ['set enable_external_access = true', 'statement 1 is'],
    ['create table x as select 1', 'statement 1 is CREATE'],
    ['select 1; drop view segment_kpis', 'statement 2 is DROP'],
  ])('refuses %s', async (sql, message) => {
    await expect(querySnapshots(dir, sql)).rejects.toThrow(message);
  });

  it('says why a statement touching files is refused', async () => {
    await expect(querySnapshots(dir, "select * from read_csv('/etc/passwd')")).rejects.toThrow(
      'revseg query only reads the snapshot tables (no other file, no writing, no extensions): Permission Error',
    );
  });

  it('cannot overwrite a snapshot file, even one it may read', async () => {
    const before = await readFile(part());
    await expect(
      querySnapshots(dir, `copy (select 1 as a) to '${part()}' (format parquet, use_tmp_file false)`),
    ).rejects.toThrow(QueryError);
    expect(await readFile(part())).toEqual(before);
  });

  it.each([
    ["select * from read_csv('/etc/passwd')", 'disabled by configuration'],
    ["select * from read_text('/etc/hostname')", 'disabled by configuration'],
    ["select * from glob('/etc/*')", 'disabled by configuration'],
  ])('cannot read other files: %s', async (sql, message) => {
    await expect(querySnapshots(dir, sql)).rejects.toThrow(message);
  });

  it('prints any result type as plain values', async () => {
    const { rows } = await querySnapshots(
      dir,
      `select timestamptz '2026-11-02 09:30:00+02' as tz, timestamp '2026-11-02 09:30:00' as ts,
              date '2026-10-31' as d, time '10:15:00' as t, interval 3 day as iv, '00000000-0000-0000-0000-000000000001'::uuid as u,
              'ab'::blob as b, [1, 2] as l, {'a': 1} as s, map([1], ['x']) as m, 1.25::decimal(10, 2) as dec,
              170141183460469231731687303715884105727::hugeint as big, 'infinity'::timestamp as inf`,
    );
    expect(rows[0]).toMatchObject({
      tz: '2026-11-02T07:30:00.000Z',
      ts: '2026-11-02T09:30:00.000Z',
      d: '2026-10-31',
      l: [1, 2],
      dec: 1.25,
      big: '170141183460469231731687303715884105727',
      inf: 'infinity',
    });
    for (const key of ['t', 'iv', 'u', 'b', 's', 'm']) expect(rows[0]?.[key], key).toBeDefined();
  });
});
