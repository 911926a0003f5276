import type { Cadence } from '../../core/period.ts';
import type { PreviousPortfolioKpis } from '../../core/report/what-changed.ts';
import { SnapshotError } from '../../core/snapshot/snapshot-error.ts';
import type { SnapshotRow } from '../../core/snapshot/tables.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { readSnapshotTable } from './snapshot-store.ts';

function ratioField(row: SnapshotRow, field: string, where: string): number | null {
  const value = row[field];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SnapshotError(
      `${where}: ${field} must be a number or null, got ${JSON.stringify(value)}; rerun that period to rewrite its snapshot`,
    );
  }
  return value;
}

/**
 * The headline retention figures of the previous period from its complete `portfolio_kpis` snapshot, so the
 * leadership mail can show how NRR and GRR changed.
 * @returns undefined when that period has no complete snapshot.
 */
export async function readPreviousPortfolio(
  store: ObjectStore,
  cadence: Cadence,
  periodId: string,
): Promise<PreviousPortfolioKpis | undefined> {
  const rows = await readSnapshotTable(store, 'portfolio_kpis', cadence, periodId);
  if (rows === undefined) return undefined;
  const where = `portfolio_kpis of ${cadence} ${periodId}`;
  const [row] = rows;
  if (rows.length !== 1 || row === undefined) {
    throw new SnapshotError(
      `${where} has ${rows.length} rows, expected 1; rerun that period to rewrite its snapshot`,
    );
  }
  return {
    periodId,
    nrr: ratioField(row, 'retention_nrr', `${where}, row 1`),
    grr: ratioField(row, 'retention_grr', `${where}, row 1`),
  };
}
