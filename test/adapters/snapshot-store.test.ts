import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { METRIC_DEFINITION_VERSION } from '../../lambdas/core/config.ts';
import { SnapshotError } from '../../lambdas/core/snapshot/snapshot-error.ts';
import { SNAPSHOT_TABLE_NAMES, type SnapshotTables } from '../../lambdas/core/snapshot/tables.ts';
import {
  readManifest,
  readPreviousSegments,
  readSnapshotTable,
  writeSnapshot,
} from '../../lambdas/jobs/steps/snapshot-store.ts';
import type { ObjectStore } from '../../lambdas/ports/object-store.ts';
import { snapshotFor } from '../fixtures/snapshot-analysis.ts';

const OCT = { cadence: 'monthly', periodId: '2026-10' } as const;
const SEP = { cadence: 'monthly', periodId: '2026-09' } as const;
const MANIFEST_OCT = 'snapshots/_manifests/cadence=monthly/period=2026-10.json';
const text = (s: string) => new TextEncoder().encode(s);

/** Records every mutating call, and can fail the put of one key. */
class RecordingStore implements ObjectStore {
  readonly calls: string[] = [];
  failPutOf: string | undefined;

  constructor(private readonly inner: ObjectStore) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    this.calls.push(`put ${key}`);
    if (key === this.failPutOf) throw new Error(`disk full writing ${key}`);
    await this.inner.put(key, body);
  }
  putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    return this.inner.putIfAbsent(key, body);
  }
  putIfMatch(key: string, body: Uint8Array, version: string): Promise<boolean> {
    this.calls.push(`putIfMatch ${key}`);
    return this.inner.putIfMatch(key, body, version);
  }
  getVersioned(key: string) {
    return this.inner.getVersioned(key);
  }
  get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }
  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }
  async delete(keys: readonly string[]): Promise<void> {
    this.calls.push(`delete ${keys.join(',')}`);
    await this.inner.delete(keys);
  }
  locate(key: string): string {
    return this.inner.locate(key);
  }
}

describe('snapshot store', () => {
  let root: string;
  let folder: FolderObjectStore;
  let store: RecordingStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'revseg-snapshot-'));
    folder = new FolderObjectStore(root);
    store = new RecordingStore(folder);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes one Parquet file per table in its partition and the manifest last', async () => {
    const key = await writeSnapshot(store, OCT, snapshotFor('2026-10'), { runDate: '2026-11-02' });
    expect(key).toBe(MANIFEST_OCT);
    expect(await folder.list('snapshots/')).toEqual([
      'snapshots/_manifests/cadence=monthly/period=2026-10.json',
      'snapshots/account_segments/cadence=monthly/period=2026-10/part-00000.parquet',
      'snapshots/cohort_retention/cadence=monthly/period=2026-10/part-00000.parquet',
      'snapshots/portfolio_kpis/cadence=monthly/period=2026-10/part-00000.parquet',
      'snapshots/quarantine/cadence=monthly/period=2026-10/part-00000.parquet',
      'snapshots/segment_firmographics/cadence=monthly/period=2026-10/part-00000.parquet',
      'snapshots/segment_kpis/cadence=monthly/period=2026-10/part-00000.parquet',
      'snapshots/segment_migrations/cadence=monthly/period=2026-10/part-00000.parquet',
    ]);
    expect(store.calls[0]).toBe(
      `delete ${MANIFEST_OCT},snapshots/portfolio_kpis/cadence=monthly/period=2026-10/part-00000.parquet`,
    );
    expect(store.calls.slice(-2)).toEqual([
      'put snapshots/portfolio_kpis/cadence=monthly/period=2026-10/part-00000.parquet',
      `put ${MANIFEST_OCT}`,
    ]);
  });

  it('the manifest lists tables, keys, row counts, metric version, generated_at and extras', async () => {
    await writeSnapshot(store, OCT, snapshotFor('2026-10'), { runDate: '2026-11-02', accountsMailed: 2 });
    const manifest = await readManifest(folder, 'monthly', '2026-10');
    expect(manifest).toMatchObject({
      cadence: 'monthly',
      period: '2026-10',
      metricVersion: METRIC_DEFINITION_VERSION,
      generatedAt: '2026-11-02T06:00:00.000Z',
      extras: { runDate: '2026-11-02', accountsMailed: 2 },
    });
    expect(manifest?.tables.map(({ name, key, rows }) => ({ name, key, rows }))).toEqual(
      [
        ['account_segments', 3],
        ['segment_kpis', 4],
        ['portfolio_kpis', 1],
        ['segment_migrations', 2],
        ['cohort_retention', 0],
        ['quarantine', 2],
        ['segment_firmographics', 0],
      ].map(([name, rows]) => ({
        name,
        rows,
        key: `snapshots/${name}/cadence=monthly/period=2026-10/part-00000.parquet`,
      })),
    );
    for (const t of manifest?.tables ?? []) expect(t.bytes).toBe((await folder.get(t.key))?.byteLength);
  });

  it.each(SNAPSHOT_TABLE_NAMES)('%s reads back exactly as built', async (name) => {
    const snapshot = snapshotFor('2026-10');
    await writeSnapshot(store, OCT, snapshot);
    const built = snapshot.tables.find((t) => t.name === name)?.rows;
    expect(await readSnapshotTable(folder, name, 'monthly', '2026-10')).toEqual(built);
  });

  it('a rerun replaces its own partition whole and leaves other periods untouched', async () => {
    await writeSnapshot(store, SEP, snapshotFor('2026-09'));
    await writeSnapshot(store, OCT, snapshotFor('2026-10'));
    const stale = 'snapshots/account_segments/cadence=monthly/period=2026-10/part-00001.parquet';
    await folder.put(stale, text('left over from an older writer'));
    const septemberBefore = await Promise.all(
      (await folder.list('snapshots/'))
        .filter((k) => k.includes('2026-09'))
        .map(async (k) => [k, await folder.get(k)] as const),
    );

    await writeSnapshot(store, OCT, snapshotFor('2026-10', 'monthly', 2));

    expect(await folder.get(stale)).toBeUndefined();
    const october = await readSnapshotTable(folder, 'account_segments', 'monthly', '2026-10');
    expect(october?.map((r) => r.revenue_t12m)).toEqual([300_000, 10_000, 0]);
    for (const [key, body] of septemberBefore) expect(await folder.get(key)).toEqual(body);
    const september = await readSnapshotTable(folder, 'account_segments', 'monthly', '2026-09');
    expect(september?.map((r) => r.revenue_t12m)).toEqual([150_000, 5_000, 0]);
    expect(await folder.list('snapshots/account_segments/')).toHaveLength(2);
  });

  it('a failure between table writes leaves no manifest, so the period reads as not snapshotted', async () => {
    await writeSnapshot(store, OCT, snapshotFor('2026-10'));
    store.failPutOf = 'snapshots/segment_kpis/cadence=monthly/period=2026-10/part-00000.parquet';

    await expect(writeSnapshot(store, OCT, snapshotFor('2026-10', 'monthly', 2))).rejects.toThrow(
      'disk full',
    );

    expect(await folder.get(MANIFEST_OCT)).toBeUndefined();
    expect(await readManifest(folder, 'monthly', '2026-10')).toBeUndefined();
    expect(await readPreviousSegments(folder, 'monthly', '2026-10')).toBeUndefined();
    expect(await readSnapshotTable(folder, 'account_segments', 'monthly', '2026-10')).toBeUndefined();
    // The table written before the failure is there, but nothing vouches for it; portfolio_kpis, which the
    // Athena named queries take complete periods from, went first and is not back.
    expect(await folder.list('snapshots/account_segments/')).toHaveLength(1);
    expect(await folder.list('snapshots/portfolio_kpis/cadence=monthly/period=2026-10/')).toEqual([]);

    store.failPutOf = undefined;
    store.calls.length = 0;
    await writeSnapshot(store, OCT, snapshotFor('2026-10', 'monthly', 2));
    expect((await readPreviousSegments(folder, 'monthly', '2026-10'))?.get('A-1')?.revenueT12m).toBe(300_000);
    const written = store.calls.filter((c) => c.startsWith('put '));
    expect(written.slice(-2)).toEqual([
      'put snapshots/portfolio_kpis/cadence=monthly/period=2026-10/part-00000.parquet',
      `put ${MANIFEST_OCT}`,
    ]);
  });

  it('a value that does not fit its column fails before anything is touched', async () => {
    await writeSnapshot(store, OCT, snapshotFor('2026-10'));
    const good = snapshotFor('2026-10');
    const [accounts, ...others] = good.tables;
    if (!accounts) throw new Error('no account_segments table');
    const bad: SnapshotTables = {
      ...good,
      tables: [
        {
          name: accounts.name,
          columns: accounts.columns,
          rows: accounts.rows.map((r, i) => (i === 1 ? { ...r, tenure_days: 1.5 } : r)),
        },
        ...others,
      ],
    };
    store.calls.length = 0;
    await expect(writeSnapshot(store, OCT, bad)).rejects.toThrow(
      'snapshot table account_segments, row 2 (account_id="A-2"), column tenure_days: expected a whole number',
    );
    expect(store.calls).toEqual([]);
    expect(await readManifest(folder, 'monthly', '2026-10')).toBeDefined();
  });

  it('readPreviousSegments maps each account to its segment and T12M', async () => {
    await writeSnapshot(store, SEP, snapshotFor('2026-09'));
    const previous = await readPreviousSegments(folder, 'monthly', '2026-09');
    expect(previous && [...previous.entries()]).toEqual([
      ['A-1', { segment: 'High', revenueT12m: 150_000 }],
      ['A-2', { segment: 'Low', revenueT12m: 5_000 }],
      ['A-3', { segment: 'Inactive', revenueT12m: 0 }],
    ]);
    expect(await readPreviousSegments(folder, 'monthly', '2026-08')).toBeUndefined();
    expect(await readPreviousSegments(folder, 'quarterly', '2026-Q3')).toBeUndefined();
  });

  it('keeps monthly and quarterly snapshots apart', async () => {
    await writeSnapshot(store, OCT, snapshotFor('2026-10'));
    await writeSnapshot(
      store,
      { cadence: 'quarterly', periodId: '2026-Q3' },
      snapshotFor('2026-Q3', 'quarterly', 3),
    );
    const rows = await readSnapshotTable(folder, 'portfolio_kpis', 'quarterly', '2026-Q3');
    expect(rows?.[0]).toMatchObject({
      revenue_t12m: 465_000,
      period_start: '2026-07-01',
      period_end: '2026-09-30',
    });
    expect((await readSnapshotTable(folder, 'portfolio_kpis', 'monthly', '2026-10'))?.[0]?.revenue_t12m).toBe(
      155_000,
    );
  });

  it.each([
    [
      { cadence: 'monthly', periodId: '2026-09' },
      'snapshot of monthly 2026-10 cannot be written to monthly 2026-09',
    ],
    [{ cadence: 'quarterly', periodId: '2026-10' }, "period '2026-10' is not a quarter"],
    [{ cadence: 'monthly', periodId: '../../etc' }, "period '../../etc' is not a month"],
  ] as const)('refuses to write to %j', async (target, message) => {
    await expect(writeSnapshot(store, target, snapshotFor('2026-10'))).rejects.toThrow(message);
    expect(store.calls).toEqual([]);
  });

  it('a damaged manifest is reported with its path and what to do', async () => {
    await folder.put(MANIFEST_OCT, text('{"cadence":"monthly"'));
    await expect(readManifest(folder, 'monthly', '2026-10')).rejects.toThrow(SnapshotError);
    await expect(readManifest(folder, 'monthly', '2026-10')).rejects.toThrow(
      `manifest ${folder.locate(MANIFEST_OCT)} is not valid JSON`,
    );
    await folder.put(MANIFEST_OCT, text('{"cadence":"monthly","period":"2026-10"}'));
    await expect(readManifest(folder, 'monthly', '2026-10')).rejects.toThrow(
      /is invalid \(metricVersion: .*\); rerun monthly 2026-10 to rewrite it/,
    );
  });

  it('a table file missing behind a manifest is an error, not an empty table', async () => {
    await writeSnapshot(store, OCT, snapshotFor('2026-10'));
    await folder.delete(['snapshots/segment_kpis/cadence=monthly/period=2026-10/part-00000.parquet']);
    await expect(readSnapshotTable(folder, 'segment_kpis', 'monthly', '2026-10')).rejects.toThrow(
      /lists .*segment_kpis.* but it is missing; rerun monthly 2026-10/,
    );
  });
});
