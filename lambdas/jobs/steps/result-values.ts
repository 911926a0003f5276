import { QueryError, RevsegError } from '../../core/errors.ts';

// Readers of query result values (Athena returns every value as text, DuckDB typed values); each error names
// the query row and column.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The run date bound to a query, checked. */
export function assertRunDate(runDate: string): string {
  if (!ISO_DATE.test(runDate))
    throw new RevsegError(`run date '${runDate}' is not an ISO date: use YYYY-MM-DD`);
  return runDate;
}

/** A value as text, null for SQL NULL. */
export function optionalText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Non-empty text. */
export function requiredText(value: unknown, column: string, where: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new QueryError(`${where}: ${column} is ${JSON.stringify(value)}, expected text`);
}

/** A whole number >= 0 (a count). */
export function wholeNumber(value: unknown, column: string, where: string): number {
  const n = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  throw new QueryError(
    `${where}: ${column} is ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}, expected a whole number >= 0`,
  );
}

/** A finite number. */
export function finiteNumber(value: unknown, column: string, where: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw new QueryError(`${where}: ${column} is ${JSON.stringify(value)}, expected a number`);
}

/** A date as YYYY-MM-DD (a timestamp's date part is accepted). */
export function isoDay(value: unknown, column: string, where: string): string {
  const s = typeof value === 'string' ? value.slice(0, 10) : value;
  if (typeof s === 'string' && ISO_DATE.test(s)) return s;
  throw new QueryError(`${where}: ${column} is ${JSON.stringify(value)}, expected a date YYYY-MM-DD`);
}
