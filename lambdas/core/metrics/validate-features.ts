import { InputContractError } from '../errors.ts';
import { type AccountFeatures, MONTHLY_WINDOW } from '../types.ts';
import { sumRange } from './period-windows.ts';

const SOURCE = 'account features (sql/account_features.sql)';
/** T12M and the sum of its months come from the same lines; they may differ only by rounding. */
const TOLERANCE = 0.01;

function problem(index: number, accountId: string, message: string): InputContractError {
  return new InputContractError(`${SOURCE} row ${index + 1} (account '${accountId}'): ${message}`);
}

function checkNumber(index: number, id: string, field: string, value: number, integer = false): void {
  if (!Number.isFinite(value) || (integer && (!Number.isInteger(value) || value < 0))) {
    throw problem(
      index,
      id,
      `${field} is ${value}, expected a finite ${integer ? 'non-negative integer' : 'number'}; check the features query`,
    );
  }
}

function checkWindowSum(index: number, id: string, field: string, value: number, months: number): void {
  if (Math.abs(value - months) > TOLERANCE) {
    throw problem(
      index,
      id,
      `${field} is ${value} but its months in monthlyRevenue add up to ${months.toFixed(2)}; the query must compute both from the same lines, with monthlyRevenue oldest first`,
    );
  }
}

/**
 * Checks the per-account rows the metrics rely on, and stops at the first bad one with its row, account,
 * field and what to fix: unique non-empty account ids, finite amounts, MONTHLY_WINDOW monthly buckets,
 * and T12M / prior T12M equal to the sums of their months.
 */
export function assertValidFeatures(features: readonly AccountFeatures[]): void {
  const seen = new Set<string>();
  for (let index = 0; index < features.length; index++) {
    const f = features[index] as AccountFeatures;
    const id = f.accountId;
    if (typeof id !== 'string' || id.trim() === '') {
      throw problem(index, String(id), 'accountId is empty; every row needs the account_id it describes');
    }
    if (seen.has(id)) {
      throw problem(index, id, 'accountId appears twice; the features query must return one row per account');
    }
    seen.add(id);
    checkNumber(index, id, 'revenueT12m', f.revenueT12m);
    checkNumber(index, id, 'revenuePriorT12m', f.revenuePriorT12m);
    checkNumber(index, id, 'invoicesT12m', f.invoicesT12m, true);
    const monthly = f.monthlyRevenue;
    if (!Array.isArray(monthly) || monthly.length !== MONTHLY_WINDOW) {
      throw problem(
        index,
        id,
        `monthlyRevenue has ${Array.isArray(monthly) ? monthly.length : 'no'} entries, expected ${MONTHLY_WINDOW} (one per month, 0 for a month without invoices)`,
      );
    }
    for (let month = 0; month < monthly.length; month++) {
      const value = monthly[month] ?? Number.NaN;
      if (!Number.isFinite(value)) checkNumber(index, id, `monthlyRevenue[${month}]`, value);
    }
    checkWindowSum(
      index,
      id,
      'revenueT12m',
      f.revenueT12m,
      sumRange(monthly, MONTHLY_WINDOW - 12, MONTHLY_WINDOW),
    );
    checkWindowSum(
      index,
      id,
      'revenuePriorT12m',
      f.revenuePriorT12m,
      sumRange(monthly, MONTHLY_WINDOW - 24, MONTHLY_WINDOW - 12),
    );
  }
}
