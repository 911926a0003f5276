import type { ClassifiedAccount, MigrationCell } from '../types.ts';
import { fromCents, toCents } from './money.ts';

/** Label of the "from" side for accounts without a previous segment (new since the previous period). */
export const NEW_ACCOUNT_LABEL = '(new)';

interface CellTotals {
  accounts: number;
  revenueCents: number;
  previousRevenueCents: number;
}

/**
 * Migration matrix previous segment x current segment, with account counts, current T12M and previous
 * T12M. Every cell is listed, zeros included, in report order: from-segments in `order`, then any
 * previous label no longer configured (alphabetically), then `(new)`; to-segments in `order`.
 */
export function migrationMatrix(
  accounts: Iterable<
    Pick<ClassifiedAccount, 'segment' | 'previousSegment' | 'revenueT12m' | 'previousRevenueT12m'>
  >,
  order: readonly string[],
): MigrationCell[] {
  const cells = new Map<string, Map<string, CellTotals>>();
  for (const account of accounts) {
    const from = account.previousSegment ?? NEW_ACCOUNT_LABEL;
    let row = cells.get(from);
    if (!row) {
      row = new Map();
      cells.set(from, row);
    }
    const cell = row.get(account.segment) ?? { accounts: 0, revenueCents: 0, previousRevenueCents: 0 };
    cell.accounts += 1;
    cell.revenueCents += toCents(account.revenueT12m);
    cell.previousRevenueCents += toCents(account.previousRevenueT12m);
    row.set(account.segment, cell);
  }
  const known = new Set(order);
  const stale = [...cells.keys()].filter((label) => !known.has(label) && label !== NEW_ACCOUNT_LABEL).sort();
  const toSegments = [
    ...order,
    ...[...new Set([...cells.values()].flatMap((row) => [...row.keys()]))]
      .filter((s) => !known.has(s))
      .sort(),
  ];
  const result: MigrationCell[] = [];
  for (const fromSegment of [...order, ...stale, NEW_ACCOUNT_LABEL]) {
    for (const toSegment of toSegments) {
      const cell = cells.get(fromSegment)?.get(toSegment);
      result.push({
        fromSegment,
        toSegment,
        accounts: cell?.accounts ?? 0,
        revenueT12m: fromCents(cell?.revenueCents ?? 0),
        previousRevenueT12m: fromCents(cell?.previousRevenueCents ?? 0),
      });
    }
  }
  return result;
}
