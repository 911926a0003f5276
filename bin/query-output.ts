import { stringify } from 'csv-stringify/sync';

export type QueryFormat = 'table' | 'csv' | 'json';

interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}

/** Drops binary floating-point noise (0.30000000000000004 -> 0.3) while keeping every meaningful digit. */
function clean(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}

function plain(value: unknown): unknown {
  if (typeof value === 'number') return clean(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const fourDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** A number for reading: grouped thousands, 2 decimals from 1 up, 4 below (shares, rates). */
function readableNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return grouped.format(value);
  return Math.abs(value) >= 1 ? twoDecimals.format(value) : fourDecimals.format(value);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return readableNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(plain(value));
}

function isNumeric(rows: readonly Record<string, unknown>[], column: string): boolean {
  const values = rows.map((r) => r[column]).filter((v) => v !== null && v !== undefined);
  return values.length > 0 && values.every((v) => typeof v === 'number');
}

/** An aligned text table: numbers right-aligned and readable, text left-aligned, a row count below. */
function table(result: QueryResult): string {
  const { columns, rows } = result;
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const numeric = columns.map((c) => isNumeric(rows, c));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const count = `(${rows.length.toLocaleString('en-US')} row${rows.length === 1 ? '' : 's'})`;
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), count].join('\n');
}

/** Formats a query result for the terminal (`table`) or for other tools (`csv`, `json`). */
export function formatQueryResult(result: QueryResult, format: QueryFormat): string {
  switch (format) {
    case 'table':
      return `${table(result)}\n`;
    case 'csv':
      return stringify(
        result.rows.map((r) => result.columns.map((c) => plain(r[c]))),
        {
          header: true,
          columns: [...result.columns],
          cast: { object: (v) => JSON.stringify(v), boolean: (v) => String(v) },
        },
      );
    case 'json':
      return `${JSON.stringify(result.rows.map(plain), null, 2)}\n`;
  }
}
