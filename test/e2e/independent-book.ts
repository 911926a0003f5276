// An independent, deliberately plain recomputation of what the job should find in a CSV sample book:
// no DuckDB, no SQL, no code from lambdas/ beyond nothing at all — only the rules of DESIGN §3 and §5.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF; an unquoted empty field is null. */
export function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (text[q + 1] === '"') {
          out += text.slice(j, q + 1);
          j = q + 2;
        } else {
          out += text.slice(j, q);
          i = q + 1;
          break;
        }
      }
      value = out;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    row.push(value);
    if (text[i] === ',') {
      i++;
    } else {
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

function records(file: string): Record<string, string | null>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, k) => [h ?? '', r[k] ?? null])));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: string | null | undefined): v is string =>
  typeof v === 'string' &&
  ISO_DATE.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const isAmount = (v: string | null | undefined) => typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v);
const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

export interface IndependentAccount {
  readonly accountId: string;
  readonly ownerEmail: string | null;
  /** Net valid revenue per ISO month `YYYY-MM`. */
  readonly months: Map<string, number>;
  /** Months (`YYYY-MM`) with at least one valid line of a positive amount: purchases, for the cohorts. */
  readonly purchaseMonths: Set<string>;
}

/** Whole cents of a decimal text such as '-12.5' (no float arithmetic). */
function cents(text: string): number {
  const [whole = '0', fraction = ''] = text.trim().replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return text.trim().startsWith('-') ? -value : value;
}

/**
 * Rates in ten-thousandths by `EUR 2026-03`, from the book's fx_rates.csv (next to revenue_lines) when there is
 * one; written with at most four decimals.
 */
function readRates(revenueLines: string): Map<string, number> {
  const file = join(dirname(revenueLines), 'fx_rates.csv');
  const rates = new Map<string, number>();
  if (!existsSync(file)) return rates;
  for (const r of records(file)) {
    const [whole = '0', fraction = ''] = (r.rate_to_reporting ?? '').split('.');
    rates.set(`${r.currency} ${r.month}`, Number(whole) * 10_000 + Number(fraction.padEnd(4, '0')));
  }
  return rates;
}

/** amount x rate in cents, rounded half away from zero, in integers: cents x (rate x 10^4) / 10^4. */
function convertedCents(amountCents: number, rate: number): number {
  const scaled = Math.abs(amountCents) * rate;
  const rounded = Math.floor(scaled / 10_000) + (scaled % 10_000 >= 5_000 ? 1 : 0);
  return amountCents < 0 ? -rounded : rounded;
}

/**
 * Reads the sample book and applies the validity rules: what survives is what the job must count, in USD (a
 * line in another currency converts at its booking month's fx_rates row; an empty currency is USD).
 */
export function readIndependentBook(files: { accounts: string; revenue_lines: string }, runDate: string) {
  const rates = readRates(files.revenue_lines);
  const accounts = new Map<string, IndependentAccount>();
  for (const a of records(files.accounts)) {
    const id = a.account_id;
    if (typeof id !== 'string' || blank(id) || accounts.has(id)) continue;
    accounts.set(id, {
      accountId: id,
      ownerEmail: a.owner_email ?? null,
      months: new Map(),
      purchaseMonths: new Set(),
    });
  }
  const seen = new Set<string>();
  let checked = 0;
  let quarantined = 0;
  for (const line of records(files.revenue_lines)) {
    checked++;
    const key = JSON.stringify(line);
    const account = typeof line.account_id === 'string' ? accounts.get(line.account_id) : undefined;
    const currency = (line.currency ?? '').trim().toUpperCase() || 'USD';
    const month = (line.booked_on ?? '').slice(0, 7);
    const rate = currency === 'USD' ? 10_000 : rates.get(`${currency} ${month}`);
    const bad =
      blank(line.account_id) ||
      blank(line.invoice_id) ||
      !isDate(line.booked_on) ||
      !isAmount(line.amount) ||
      rate === undefined ||
      account === undefined ||
      (line.booked_on ?? '') > runDate ||
      seen.has(key);
    seen.add(key);
    if (bad || !account || rate === undefined) {
      quarantined++;
      continue;
    }
    const usd = convertedCents(cents(line.amount ?? ''), rate) / 100;
    account.months.set(month, (account.months.get(month) ?? 0) + usd);
    if (usd > 0) account.purchaseMonths.add(month);
  }
  return { accounts, checked, quarantined };
}

/** Sum of an account's revenue over the 12 months ending with `lastMonth` (`YYYY-MM`), offset back by `shift`. */
export function t12m(account: IndependentAccount, lastMonth: string, shift = 0): number {
  const [y, m] = lastMonth.split('-').map(Number) as [number, number];
  let total = 0;
  for (let k = shift; k < shift + 12; k++) {
    const index = y * 12 + (m - 1) - k;
    const key = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    total += account.months.get(key) ?? 0;
  }
  return total;
}
