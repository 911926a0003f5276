import type { Cadence } from '../../core/period.ts';
import type { SegmentQuarter } from '../../core/quarterly-review.ts';
import { SnapshotError } from '../../core/snapshot/snapshot-error.ts';
import type { SnapshotRow } from '../../core/snapshot/tables.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { readSnapshotTable } from './snapshot-store.ts';

/** A number (or, when `nullable`, null) read back from a snapshot row; the error names the row and field. */
export function snapshotNumber(
  row: SnapshotRow,
  field: string,
  where: string,
  nullable: boolean,
): number | null {
  const value = row[field];
  if ((value === null || value === undefined) && nullable) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SnapshotError(
      `${where}: ${field} must be a number${nullable ? ' or null' : ''}, got ${JSON.stringify(value ?? null)}; rerun that period to rewrite its snapshot`,
    );
  }
  return value;
}

/** Reads one `segment_kpis` snapshot row as a period's per-segment KPIs; the error names the row and field. */
export function segmentQuarterFromRow(row: SnapshotRow, where: string): SegmentQuarter {
  const segment = row.segment;
  if (typeof segment !== 'string' || segment.length === 0) {
    throw new SnapshotError(
      `${where}: segment must be set, got ${JSON.stringify(segment ?? null)}; rerun that period to rewrite its snapshot`,
    );
  }
  return {
    segment,
    rank: snapshotNumber(row, 'rank', where, false) as number,
    accounts: snapshotNumber(row, 'accounts', where, false) as number,
    revenueT12m: snapshotNumber(row, 'revenue_t12m', where, false) as number,
    revenueShare: snapshotNumber(row, 'revenue_share', where, false) as number,
    arpa: snapshotNumber(row, 'arpa', where, true),
    nrr: snapshotNumber(row, 'retention_nrr', where, true),
    grr: snapshotNumber(row, 'retention_grr', where, true),
  };
}

/**
 * The segment KPIs of the given periods, in the order given, from their complete `segment_kpis` snapshots,
 * segments in report order; a period without a complete snapshot is left out.
 */
export async function readSegmentKpiHistory(
  store: ObjectStore,
  cadence: Cadence,
  periodIds: readonly string[],
): Promise<{ periodId: string; segments: SegmentQuarter[] }[]> {
  const history: { periodId: string; segments: SegmentQuarter[] }[] = [];
  for (const periodId of periodIds) {
    const rows = await readSnapshotTable(store, 'segment_kpis', cadence, periodId);
    if (rows === undefined) continue;
    const segments = rows
      .map((row, i) => segmentQuarterFromRow(row, `segment_kpis of ${cadence} ${periodId}, row ${i + 1}`))
      .sort((a, b) => a.rank - b.rank);
    history.push({ periodId, segments });
  }
  return history;
}
