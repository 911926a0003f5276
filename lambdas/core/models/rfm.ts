import { InputContractError } from '../errors.ts';

/**
 * One account's purchase history summarised for BG/NBD, in the fit's time unit.
 * Purchases on the same day count as one transaction; the first purchase is not a repeat.
 */
export interface RfmObservation {
  readonly accountId: string;
  /** x: repeat transactions (purchase days after the first), an integer >= 0. */
  readonly frequency: number;
  /** t_x: time from the first to the last purchase; 0 when x = 0. */
  readonly recency: number;
  /** T: time from the first purchase to the end of the observation window; >= t_x. */
  readonly age: number;
}

function fail(row: RfmObservation, index: number, source: string, problem: string): never {
  throw new InputContractError(
    `${source} row ${index + 1} (account '${row.accountId}'): ${problem}; fix the per-account summary before fitting`,
  );
}

/**
 * Checks per-account summaries before a fit; the error names the source, row, account and field.
 * @param source where the rows come from, for messages (e.g. `sql/rfm_summary.sql`).
 */
export function assertValidRfm(rows: readonly RfmObservation[], source = 'rfm summary'): void {
  rows.forEach((row, i) => {
    const { frequency: x, recency: tx, age: T } = row;
    if (!Number.isInteger(x) || x < 0) fail(row, i, source, `frequency = ${x} is not a whole number >= 0`);
    if (!Number.isFinite(tx) || tx < 0) fail(row, i, source, `recency = ${tx} is not a number >= 0`);
    if (!Number.isFinite(T) || T < 0) fail(row, i, source, `age = ${T} is not a number >= 0`);
    if (tx > T)
      fail(row, i, source, `recency = ${tx} exceeds age = ${T} (last purchase after the window end)`);
    if (x === 0 && tx !== 0)
      fail(row, i, source, `recency = ${tx} with frequency 0 (no repeat purchase) must be 0`);
  });
}
