/**
 * Test-side readers for the sample book, written apart from the generator so that tests check the
 * generator's output against an independent reading of it.
 */

/** A cell as read from CSV: null for an empty unquoted field, '' for `""`. */
export type CsvCell = string | null;

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of cells. */
export function parseCsv(text: string): CsvCell[][] {
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let cell: CsvCell;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quoted field at offset ${i}`);
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cell = value;
    } else {
      let end = i;
      while (end < n && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n') end++;
      const raw = text.slice(i, end);
      if (raw.includes('"')) throw new Error(`stray quote in unquoted field '${raw}'`);
      cell = raw === '' ? null : raw;
      i = end;
    }
    row.push(cell);
    if (text[i] === ',') {
      i++;
      if (i === n) row.push(null);
    } else {
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

/** Rows of a CSV with a header, as objects keyed by column name. */
export function parseCsvRecords(text: string): Record<string, CsvCell>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((cells) => {
    if (cells.length !== header.length)
      throw new Error(`row has ${cells.length} cells, header ${header.length}`);
    return Object.fromEntries(header.map((name, i) => [name ?? '', cells[i] ?? null]));
  });
}

export interface LineLike {
  readonly accountId: string | null;
  readonly invoiceId: string | null;
  readonly bookedOn: string | null;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly product: string | null;
}

/** The currency as the SQL reads it: trimmed, upper-cased, empty = USD (the reporting currency). */
function currencyCode(currency: string | null): string {
  return (currency ?? '').trim().toUpperCase() || 'USD';
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string | null): boolean {
  if (text === null || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function isAmount(text: string | null): boolean {
  return text !== null && /^-?\d+(\.\d+)?$/.test(text);
}

export const LINE_REASONS = [
  'missing_account_id',
  'missing_invoice_id',
  'unparsable_date',
  'unparsable_amount',
  'unknown_account',
  'duplicate_line',
  'future_dated',
  'invalid_currency',
  'missing_fx_rate',
] as const;

/** The fx_rates of a book as `EUR 2026-03` keys, for {@link classifyLines}. */
export function fxRateKeys(
  rows: readonly { readonly currency?: string | null; readonly month?: string | null }[],
): Set<string> {
  return new Set(rows.map((r) => `${r.currency} ${r.month}`));
}

/**
 * Counts bad lines per class, one class per line in the priority order of QUARANTINE_REASONS; the first
 * copy of a duplicated line is valid, later copies are `duplicate_line`. A line in a currency other than USD
 * (an empty one is USD) needs a rate in `fxRates` (`EUR 2026-03`) unless it is after `asOf`.
 */
export function classifyLines(
  lines: Iterable<LineLike>,
  accountIds: ReadonlySet<string>,
  asOf: string,
  fxRates: ReadonlySet<string> = new Set(),
): { counts: Record<(typeof LINE_REASONS)[number], number>; valid: number } {
  const counts = Object.fromEntries(LINE_REASONS.map((r) => [r, 0])) as Record<
    (typeof LINE_REASONS)[number],
    number
  >;
  const seen = new Set<string>();
  let valid = 0;
  for (const l of lines) {
    const key = JSON.stringify([l.accountId, l.invoiceId, l.bookedOn, l.amount, l.currency, l.product]);
    const firstCopy = !seen.has(key);
    seen.add(key);
    if (!l.accountId) counts.missing_account_id++;
    else if (!l.invoiceId) counts.missing_invoice_id++;
    else if (!isIsoDate(l.bookedOn)) counts.unparsable_date++;
    else if (!isAmount(l.amount)) counts.unparsable_amount++;
    else if (!/^[A-Z]{3}$/.test(currencyCode(l.currency))) counts.invalid_currency++;
    else if (
      currencyCode(l.currency) !== 'USD' &&
      (l.bookedOn as string) <= asOf &&
      !fxRates.has(`${currencyCode(l.currency)} ${(l.bookedOn as string).slice(0, 7)}`)
    )
      counts.missing_fx_rate++;
    else if (!accountIds.has(l.accountId)) counts.unknown_account++;
    else if (!firstCopy) counts.duplicate_line++;
    else if ((l.bookedOn as string) > asOf) counts.future_dated++;
    else valid++;
  }
  return { counts, valid };
}

/** An address with one @, a non-empty local part and a dotted domain. */
export function isValidEmail(text: string | null): boolean {
  return text !== null && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text);
}
