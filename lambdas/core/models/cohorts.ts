import { InputContractError } from '../errors.ts';

/**
 * One cohort in one quarter (sql/cohort_revenue.sql): the accounts whose first purchase fell in `firstQuarter`,
 * how many of them had positive net revenue in `quarter`, and their net revenue there. Quarters in which none
 * of the cohort's accounts had any revenue line are absent and count as 0.
 */
export interface CohortRevenueRow {
  /** First day (ISO) of the cohort's first-purchase quarter. */
  readonly firstQuarter: string;
  /** First day (ISO) of the quarter observed. */
  readonly quarter: string;
  /** Accounts in the cohort (the same on each of its rows). */
  readonly cohortAccounts: number;
  /** Accounts of the cohort with positive net revenue in the quarter. */
  readonly activeAccounts: number;
  readonly revenue: number;
}

/** One cohort at one age: the cohort_retention snapshot row. */
export interface CohortCell {
  /** First day of the cohort's first-purchase quarter (ISO). */
  readonly cohort: string;
  /** Quarters since the first-purchase quarter; 0 is the acquisition quarter. */
  readonly ageQuarters: number;
  /** First day of the quarter observed (ISO). */
  readonly quarter: string;
  readonly cohortAccounts: number;
  /** Accounts with positive net revenue in the quarter. */
  readonly activeAccounts: number;
  readonly revenue: number;
  /** Revenue / revenue at age 0; null when the age-0 revenue is not positive. */
  readonly revenueRetention: number | null;
  /** Active accounts / cohort accounts. */
  readonly logoRetention: number;
}

const QUARTER_START = /^(\d{4})-(\d{2})-01$/;

function monthIndex(value: string, where: string): number {
  const m = QUARTER_START.exec(value);
  const month = Number(m?.[2]);
  if (!m || month < 1 || month > 12) {
    throw new InputContractError(`${where} is '${value}', not the first day of a quarter (YYYY-MM-01)`);
  }
  return Number(m[1]) * 12 + month - 1;
}

function isoMonth(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * First-purchase-quarter cohorts with revenue and logo retention by age in quarters, from age 0 up to
 * `lastQuarter` (default: the latest quarter in the rows). Quarters without a row count as 0.
 * @throws InputContractError naming the row, cohort and field when a quarter is malformed, precedes the first
 * quarter or is not a whole number of quarters after it, a count is not a whole number, more accounts are active
 * than the cohort has, or a cohort's rows disagree on its size.
 */
export function buildCohorts(
  rows: readonly CohortRevenueRow[],
  options: { readonly lastQuarter?: string; readonly source?: string } = {},
): CohortCell[] {
  const source = options.source ?? 'cohort revenue';
  const sizes = new Map<number, number>();
  const byCohort = new Map<number, Map<number, CohortRevenueRow>>();
  let last =
    options.lastQuarter === undefined
      ? Number.NEGATIVE_INFINITY
      : monthIndex(options.lastQuarter, 'lastQuarter');
  rows.forEach((row, i) => {
    const where = (field: string) => `${source} row ${i + 1} (cohort '${row.firstQuarter}'): ${field}`;
    const first = monthIndex(row.firstQuarter, where('first_quarter'));
    const quarter = monthIndex(row.quarter, where('quarter'));
    if (quarter < first || (quarter - first) % 3 !== 0) {
      throw new InputContractError(
        `${where('quarter')} '${row.quarter}' is not a whole number of quarters on or after first_quarter '${row.firstQuarter}'`,
      );
    }
    if (!Number.isFinite(row.revenue))
      throw new InputContractError(`${where('revenue')} is ${row.revenue}, not a number`);
    for (const [field, value] of [
      ['cohort_accounts', row.cohortAccounts],
      ['active_accounts', row.activeAccounts],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new InputContractError(`${where(field)} is ${value}, not a whole number >= 0`);
    }
    if (row.activeAccounts > row.cohortAccounts) {
      throw new InputContractError(
        `${where('active_accounts')} ${row.activeAccounts} exceeds the cohort's ${row.cohortAccounts} accounts`,
      );
    }
    const size = sizes.get(first);
    if (size !== undefined && size !== row.cohortAccounts) {
      throw new InputContractError(
        `${where('cohort_accounts')} is ${row.cohortAccounts}, but ${size} on an earlier row; a cohort has one size`,
      );
    }
    sizes.set(first, row.cohortAccounts);
    const quarters = byCohort.get(first) ?? new Map<number, CohortRevenueRow>();
    quarters.set(quarter, row);
    byCohort.set(first, quarters);
    if (options.lastQuarter === undefined) last = Math.max(last, quarter);
  });

  const cells: CohortCell[] = [];
  for (const first of [...byCohort.keys()].sort((p, q) => p - q)) {
    const quarters = byCohort.get(first) ?? new Map<number, CohortRevenueRow>();
    const cohortAccounts = sizes.get(first) ?? 0;
    if (cohortAccounts === 0) continue;
    let base: number | null = null;
    for (let quarter = first; quarter <= last; quarter += 3) {
      const row = quarters.get(quarter);
      const revenue = row?.revenue ?? 0;
      const active = row?.activeAccounts ?? 0;
      if (quarter === first) base = revenue;
      cells.push({
        cohort: isoMonth(first),
        ageQuarters: (quarter - first) / 3,
        quarter: isoMonth(quarter),
        cohortAccounts,
        activeAccounts: active,
        revenue,
        revenueRetention: base !== null && base > 0 ? revenue / base : null,
        logoRetention: active / cohortAccounts,
      });
    }
  }
  return cells;
}
