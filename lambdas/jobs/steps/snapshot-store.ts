import { z } from 'zod';
import { type Cadence, parsePeriod } from '../../core/period.ts';
import { manifestKey, partitionFileKey, SNAPSHOTS_PREFIX } from '../../core/snapshot/layout.ts';
import { decodeParquet, encodeParquet } from '../../core/snapshot/parquet.ts';
import { SnapshotError } from '../../core/snapshot/snapshot-error.ts';
import type { SnapshotRow, SnapshotTableName, SnapshotTables } from '../../core/snapshot/tables.ts';
import type { PreviousSegment } from '../../core/types.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

/**
 * The table a run writes last (after every other table, before the manifest) and deletes first: a period has a
 * `portfolio_kpis` row exactly when its snapshot is complete, which readers that cannot see the manifest (the
 * Athena named queries) rely on.
 */
export const COMPLETION_TABLE = 'portfolio_kpis';

/** Which partition a snapshot is written to. */
export interface SnapshotTarget {
  readonly cadence: Cadence;
  readonly periodId: string;
}

const manifestSchema = z.object({
  cadence: z.enum(['monthly', 'quarterly']),
  period: z.string(),
  metricVersion: z.string(),
  generatedAt: z.string(),
  tables: z.array(
    z.object({
      name: z.string(),
      key: z.string(),
      rows: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
    }),
  ),
  extras: z.record(z.string(), z.unknown()),
});

/** The last object of a snapshot: its presence means every table listed was written completely. */
export type SnapshotManifest = z.infer<typeof manifestSchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes one period's snapshot, replacing that partition of every table and nothing else.
 * Steps:
 * 1. check the partition and encode every table as Parquet (a bad value fails here, before anything is touched);
 * 2. delete the period's manifest and its `portfolio_kpis` partition, so the period reads as incomplete from now on;
 * 3. per table, `portfolio_kpis` last, write `snapshots/<table>/cadence=<c>/period=<p>/part-00000.parquet`; then delete every other
 *    file of this period under `snapshots/`, in the tables written and in those this run no longer writes;
 * 4. write the manifest (tables, keys, row counts, metric version, generated_at, extras) last.
 * @returns the manifest's key.
 */
export async function writeSnapshot(
  store: ObjectStore,
  target: SnapshotTarget,
  snapshot: SnapshotTables,
  manifestExtras: Readonly<Record<string, unknown>> = {},
): Promise<string> {
  const { cadence, periodId } = target;
  parsePeriod(periodId, cadence);
  if (snapshot.cadence !== cadence || snapshot.periodId !== periodId) {
    throw new SnapshotError(
      `snapshot of ${snapshot.cadence} ${snapshot.periodId} cannot be written to ${cadence} ${periodId}; ` +
        'build the tables for the period being written',
    );
  }
  const files = snapshot.tables.map((table) => ({
    name: table.name,
    key: partitionFileKey(table.name, cadence, periodId),
    rows: table.rowCount ?? table.rows.length,
    body: encodeParquet(table),
  }));

  const manifestAt = manifestKey(cadence, periodId);
  // The completion table goes first and comes back last, so a reader without the manifest (Athena's named
  // queries take their periods from it) never sees a period whose tables are half rewritten.
  const writeOrder = [...files].sort(
    (a, b) => Number(a.name === COMPLETION_TABLE) - Number(b.name === COMPLETION_TABLE),
  );
  await store.delete([manifestAt, partitionFileKey(COMPLETION_TABLE, cadence, periodId)]);
  // Every file of this period in any table folder, so the partitions of tables this run no longer writes
  // (an input since removed, a table since renamed) go too instead of lingering beside the new snapshot.
  const partitionOf = new RegExp(
    `^${SNAPSHOTS_PREFIX}/([a-z][a-z0-9_]*)/cadence=${cadence}/period=${periodId}/`,
  );
  const existing = (await store.list(`${SNAPSHOTS_PREFIX}/`)).filter((key) => partitionOf.test(key));
  for (const file of writeOrder) {
    await store.put(file.key, file.body, 'application/vnd.apache.parquet');
  }
  const written = new Set(files.map((f) => f.key));
  const stale = existing.filter((key) => !written.has(key));
  if (stale.length > 0) await store.delete(stale);
  const manifest: SnapshotManifest = {
    cadence,
    period: periodId,
    metricVersion: snapshot.metricVersion,
    generatedAt: snapshot.generatedAt,
    tables: files.map(({ name, key, rows, body }) => ({ name, key, rows, bytes: body.byteLength })),
    extras: { ...manifestExtras },
  };
  await store.put(manifestAt, encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`), 'application/json');
  return manifestAt;
}

/** Reads the manifest of a period, or undefined when that period has no complete snapshot. */
export async function readManifest(
  store: ObjectStore,
  cadence: Cadence,
  periodId: string,
): Promise<SnapshotManifest | undefined> {
  const key = manifestKey(cadence, periodId);
  const body = await store.get(key);
  if (body === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch (error) {
    throw new SnapshotError(
      `manifest ${store.locate(key)} is not valid JSON (${(error as Error).message}); rerun ${cadence} ${periodId} to rewrite it`,
      { cause: error },
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SnapshotError(
      `manifest ${store.locate(key)} is invalid (${problems.join('; ')}); rerun ${cadence} ${periodId} to rewrite it`,
    );
  }
  return parsed.data;
}

/**
 * Reads one table of a period's complete snapshot as row objects (DATE as ISO text, BIGINT as number).
 * @param columns the only columns to decode (a reader that needs 3 of 52 skips the rest). @default all
 * @returns undefined when the period has no complete snapshot or the snapshot has no such table.
 */
export async function readSnapshotTable(
  store: ObjectStore,
  table: SnapshotTableName,
  cadence: Cadence,
  periodId: string,
  columns?: readonly string[],
): Promise<SnapshotRow[] | undefined> {
  const manifest = await readManifest(store, cadence, periodId);
  const entry = manifest?.tables.find((t) => t.name === table);
  if (!entry) return undefined;
  const body = await store.get(entry.key);
  if (body === undefined) {
    throw new SnapshotError(
      `snapshot ${cadence} ${periodId} lists ${store.locate(entry.key)} but it is missing; rerun ${cadence} ${periodId}`,
    );
  }
  const rows = await decodeParquet(body, store.locate(entry.key), columns);
  if (rows.length !== entry.rows) {
    throw new SnapshotError(
      `${store.locate(entry.key)} has ${rows.length} rows but its manifest says ${entry.rows}; rerun ${cadence} ${periodId}`,
    );
  }
  return rows;
}

/**
 * Each account's segment and T12M from a period's complete snapshot, to classify movements of the next period.
 * @returns undefined when that period has no complete snapshot.
 */
export async function readPreviousSegments(
  store: ObjectStore,
  cadence: Cadence,
  periodId: string,
): Promise<ReadonlyMap<string, PreviousSegment> | undefined> {
  const rows = await readSnapshotTable(store, 'account_segments', cadence, periodId, [
    'account_id',
    'segment',
    'revenue_t12m',
  ]);
  if (rows === undefined) return undefined;
  const previous = new Map<string, PreviousSegment>();
  rows.forEach((row, index) => {
    const { account_id: accountId, segment, revenue_t12m: revenueT12m } = row;
    if (typeof accountId !== 'string' || typeof segment !== 'string' || typeof revenueT12m !== 'number') {
      throw new SnapshotError(
        `account_segments of ${cadence} ${periodId}, row ${index + 1}: account_id, segment and revenue_t12m must be ` +
          `set (got ${JSON.stringify({ accountId, segment, revenueT12m })}); rerun ${cadence} ${periodId}`,
      );
    }
    previous.set(accountId, { segment, revenueT12m });
  });
  return previous;
}
