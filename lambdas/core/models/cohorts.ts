import { InputContractError } from '../errors.ts';

/** Revenue of one account in one quarter, with the quarter of its first purchase (sql/cohort_revenue.sql). */
export interface CohortRevenueRow {
  readonly accountId: string;
  /** First day (ISO) of the quarter of the account's first purchase. */
  readonly firstQuarter: string;
  /** First day (ISO) of the quarter this revenue falls in. */
  readonly quarter: string;
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
 * `lastQuarter` (default: the latest quarter in the rows). Quarters without revenue count as 0.
 * @throws InputContractError naming the row, account and field when a quarter is malformed, precedes
 * the first quarter, is not a whole number of quarters after it, or an account has two first quarters.
 */
export function buildCohorts(
  rows: readonly CohortRevenueRow[],
  options: { readonly lastQuarter?: string; readonly source?: string } = {},
): CohortCell[] {
  const source = options.source ?? 'cohort revenue';
  const firstOf = new Map<string, number>();
  const revenue = new Map<string, Map<number, number>>();
  let last =
    options.lastQuarter === undefined
      ? Number.NEGATIVE_INFINITY
      : monthIndex(options.lastQuarter, 'lastQuarter');
  // A handful of distinct quarter strings recur on every row: parse each once.
  const parsed = new Map<string, number>();
  const quarterIndex = (value: string, where: () => string): number => {
    let index = parsed.get(value);
    if (index === undefined) {
      index = monthIndex(value, where());
      parsed.set(value, index);
    }
    return index;
  };
  rows.forEach((row, i) => {
    const where = (field: string) => `${source} row ${i + 1} (account '${row.accountId}'): ${field}`;
    const first = quarterIndex(row.firstQuarter, () => where('first_quarter'));
    const quarter = quarterIndex(row.quarter, () => where('quarter'));
    if (quarter < first || (quarter - first) % 3 !== 0) {
      throw new InputContractError(
        `${where('quarter')} '${row.quarter}' is not a whole number of quarters on or after first_quarter '${row.firstQuarter}'`,
      );
    }
    if (!Number.isFinite(row.revenue))
      throw new InputContractError(`${where('revenue')} is ${row.revenue}, not a number`);
    const known = firstOf.get(row.accountId);
    if (known !== undefined && known !== first) {
      throw new InputContractError(
        `${where('first_quarter')} '${row.firstQuarter}' differs from '${isoMonth(known)}' on an earlier row; each account has one first quarter`,
      );
    }
    firstOf.set(row.accountId, first);
    let byQuarter = revenue.get(row.accountId);
    if (!byQuarter) {
      byQuarter = new Map();
      revenue.set(row.accountId, byQuarter);
    }
    byQuarter.set(quarter, (byQuarter.get(quarter) ?? 0) + row.revenue);
    if (options.lastQuarter === undefined) last = Math.max(last, quarter);
  });

  const members = new Map<number, string[]>();
  for (const [account, first] of firstOf) {
    const cohort = members.get(first);
    if (cohort) cohort.push(account);
    else members.set(first, [account]);
  }
  const cells: CohortCell[] = [];
  for (const first of [...members.keys()].sort((p, q) => p - q)) {
    const accounts = members.get(first) ?? [];
    let base: number | null = null;
    for (let quarter = first; quarter <= last; quarter += 3) {
      const amounts = accounts.map((a) => revenue.get(a)?.get(quarter) ?? 0);
      const total = amounts.reduce((s, v) => s + v, 0);
      if (quarter === first) base = total;
      cells.push({
        cohort: isoMonth(first),
        ageQuarters: (quarter - first) / 3,
        quarter: isoMonth(quarter),
        cohortAccounts: accounts.length,
        activeAccounts: amounts.filter((v) => v > 0).length,
        revenue: total,
        revenueRetention: base !== null && base > 0 ? total / base : null,
        logoRetention: amounts.filter((v) => v > 0).length / accounts.length,
      });
    }
  }
  return cells;
}
