import type { QuarantineReason } from '../quarantine.ts';
import type { AccountPlan, AccountRow } from './accounts.ts';

/** Planted problems that are revenue lines, in the order their groups appear in the file. */
export const PLANTED_LINE_REASONS = [
  'missing_account_id',
  'missing_invoice_id',
  'unparsable_date',
  'unparsable_amount',
  'unknown_account',
  'duplicate_line',
  'future_dated',
  'invalid_currency',
  'missing_fx_rate',
] as const satisfies readonly QuarantineReason[];

export type PlantedLineReason = (typeof PLANTED_LINE_REASONS)[number];

/** Below this many target lines every class gets a single bad row, so a tiny book stays mostly clean. */
const SMALL_BOOK_LINES = 5_000;

/** How many bad rows of each class to plant; fixed for a given target size. */
export function plantedGroupSizes(targetLines: number): Record<QuarantineReason, number> {
  if (targetLines < SMALL_BOOK_LINES) {
    return {
      missing_account_id: 1,
      missing_invoice_id: 1,
      unparsable_date: 1,
      unparsable_amount: 1,
      unknown_account: 1,
      duplicate_line: 1,
      future_dated: 1,
      invalid_currency: 1,
      missing_fx_rate: 1,
      invalid_owner_email: 1,
      duplicate_account: 1,
    };
  }
  return {
    missing_account_id: 3,
    missing_invoice_id: 2,
    unparsable_date: 3,
    unparsable_amount: 3,
    unknown_account: 4,
    duplicate_line: 3,
    future_dated: 4,
    invalid_currency: 2,
    missing_fx_rate: 3,
    invalid_owner_email: 2,
    duplicate_account: 1,
  };
}

export function noPlantedProblems(): Record<QuarantineReason, number> {
  return {
    missing_account_id: 0,
    missing_invoice_id: 0,
    unparsable_date: 0,
    unparsable_amount: 0,
    unknown_account: 0,
    duplicate_line: 0,
    future_dated: 0,
    invalid_currency: 0,
    missing_fx_rate: 0,
    invalid_owner_email: 0,
    duplicate_account: 0,
  };
}

/** Dates that no engine parses as a date: month 13, day-first, and a day that February does not have. */
export function unparsableDates(year: number): readonly string[] {
  return [`${year}-13-45`, `31/12/${year}`, `${year}-02-30`];
}

/** Currencies that are not a 3-letter code: a name, a symbol, a code with a sign. */
export const INVALID_CURRENCIES: readonly string[] = ['EURO', '€', 'US$'];

/** Amounts that no engine parses as a number: a letter O for a zero, a placeholder, European separators. */
export const UNPARSABLE_AMOUNTS: readonly string[] = ['12,5O', 'N/A', '1.234,56'];

/** Owner addresses that fail any address check: no @, and nothing after the @. */
function invalidEmail(valid: string, variant: number): string {
  const [local = 'owner', domain = 'example.com'] = valid.split('@');
  return variant % 2 === 0 ? `${local}.${domain}` : `${local}@`;
}

/** The next account from `start` (wrapping) that buys and is not in `taken`. */
function nextBuyer(plans: readonly AccountPlan[], start: number, taken: ReadonlySet<number>): number {
  for (let step = 0; step < plans.length; step++) {
    const i = (start + step) % plans.length;
    if (Number.isFinite(plans[i]?.activeFrom) && !taken.has(i)) return i;
  }
  return start % plans.length;
}

/**
 * The accounts table as written: one row per plan, some owners' addresses broken, and exact copies of
 * some rows appended at the end (a duplicate account id whose first row is as good as the copy).
 */
export function accountRowsWithProblems(
  plans: readonly AccountPlan[],
  sizes: Pick<Record<QuarantineReason, number>, 'invalid_owner_email' | 'duplicate_account'>,
): AccountRow[] {
  const rows = plans.map((p) => p.row);
  const taken = new Set<number>();
  for (let j = 0; j < sizes.invalid_owner_email; j++) {
    const i = nextBuyer(plans, Math.floor((plans.length * (0.37 + 0.34 * j)) % plans.length), taken);
    taken.add(i);
    const row = rows[i] as AccountRow;
    rows[i] = { ...row, ownerEmail: invalidEmail(row.ownerEmail, j) };
  }
  const copies: AccountRow[] = [];
  for (let j = 0; j < sizes.duplicate_account; j++) {
    const i = nextBuyer(plans, Math.floor(plans.length * 0.5) + j, taken);
    taken.add(i);
    copies.push(rows[i] as AccountRow);
  }
  return [...rows, ...copies];
}
