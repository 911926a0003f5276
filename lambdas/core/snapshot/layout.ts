import type { Cadence } from '../period.ts';

/** Top-level prefix of every snapshot object. */
export const SNAPSHOTS_PREFIX = 'snapshots';

/** Name of the single data file of one table partition. */
export const PART_FILE = 'part-00000.parquet';

/**
 * Columns that are encoded in the path (`cadence=<c>/period=<p>`), not in the files: Athena partition
 * projection and DuckDB hive partitioning add them as string columns.
 */
export const SNAPSHOT_PARTITION_KEYS = [
  { name: 'cadence', type: 'STRING' },
  { name: 'period', type: 'STRING' },
] as const;

/** Folder (with a trailing `/`) holding one table's data for one period: `snapshots/<table>/cadence=<c>/period=<p>/`. */
export function partitionPrefix(table: string, cadence: Cadence, periodId: string): string {
  return `${SNAPSHOTS_PREFIX}/${table}/cadence=${cadence}/period=${periodId}/`;
}

/** Key of the data file of one table partition. */
export function partitionFileKey(table: string, cadence: Cadence, periodId: string): string {
  return `${partitionPrefix(table, cadence, periodId)}${PART_FILE}`;
}

/** Key of the manifest that marks the snapshot of a period complete. */
export function manifestKey(cadence: Cadence, periodId: string): string {
  return `${SNAPSHOTS_PREFIX}/_manifests/cadence=${cadence}/period=${periodId}.json`;
}
