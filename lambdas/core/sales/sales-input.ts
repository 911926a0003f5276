import { clean } from '../input-values.ts';
import { toCents } from '../metrics/money.ts';
import type { AnyQuarantineReason, QuarantineCount, QuarantinedRow } from '../quarantine.ts';

/** The optional inputs of sales efficiency and profitability (issue 6). */
export type SalesInputTable = 'opportunities' | 'costs';

/** A row of `opportunities` or `costs` that was set aside, with a message that names the row and what to do. */
export interface SalesRejection {
  readonly table: SalesInputTable;
  /** 1-based row number in the input (header not counted). */
  readonly row: number;
  readonly reason: AnyQuarantineReason;
  readonly message: string;
  readonly accountId: string | null;
  /** The raw amount as text. */
  readonly amount: string | null;
  /** The other raw values, as `key=value; ...`. */
  readonly detail: string;
}

/** How many rows of one sales input were read and how many of them were set aside. */
export interface SalesInputCheck {
  readonly table: SalesInputTable;
  /** Where the rows come from (file path or Glue table), for messages. */
  readonly source: string;
  readonly rowsChecked: number;
  readonly rejected: readonly SalesRejection[];
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number written with a dot (as exports and both engines write it), or null. */
export function parseAmount(value: string | null): number | null {
  const text = clean(value);
  if (text === null || !NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** `key=value; ...` of the raw values worth keeping, empty values shown as empty. */
export function rawDetail(row: number, values: Readonly<Record<string, string | null>>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${v ?? ''}`);
  return [`row=${row}`, ...parts].join('; ');
}

/** The rejected rows as rows of the `quarantine` snapshot table, raw values kept. */
export function quarantinedSalesRows(checks: readonly SalesInputCheck[]): QuarantinedRow[] {
  return checks.flatMap((c) =>
    c.rejected.map((r) => ({
      table: r.table,
      reason: r.reason,
      accountId: r.accountId,
      invoiceId: null,
      bookedOn: null,
      amount: r.amount,
      detail: r.detail,
    })),
  );
}

/** Rejected rows per table and reason, with the sum of their parsable amounts, in order of first appearance. */
export function salesQuarantineCounts(checks: readonly SalesInputCheck[]): QuarantineCount[] {
  const counts = new Map<
    string,
    { table: SalesInputTable; reason: AnyQuarantineReason; rows: number; cents: number }
  >();
  for (const c of checks) {
    for (const r of c.rejected) {
      const key = `${r.table}\u0000${r.reason}`;
      const entry = counts.get(key) ?? { table: r.table, reason: r.reason, rows: 0, cents: 0 };
      entry.rows += 1;
      entry.cents += toCents(parseAmount(r.amount) ?? 0);
      counts.set(key, entry);
    }
  }
  return [...counts.values()].map((e) => ({
    table: e.table,
    reason: e.reason,
    rows: e.rows,
    amount: e.cents / 100,
  }));
}
