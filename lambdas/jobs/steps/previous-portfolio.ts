import type { Cadence } from '../../core/period.ts';
import type { PreviousPortfolioKpis } from '../../core/report/what-changed.ts';
import { SnapshotError } from '../../core/snapshot/snapshot-error.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { snapshotNumber } from './snapshot-history.ts';
import { readSnapshotTable } from './snapshot-store.ts';

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
    nrr: snapshotNumber(row, 'retention_nrr', `${where}, row 1`, true),
    grr: snapshotNumber(row, 'retention_grr', `${where}, row 1`, true),
  };
}
