import type { SqlValue } from '../ports/query-engine.ts';
import { QueryError } from './errors.ts';

/** SQL with its `:named` parameters turned into positional `?` markers, and the values in that order. */
export interface BoundSql {
  readonly sql: string;
  readonly values: SqlValue[];
}

// A `:name` not preceded by another ':' (so DuckDB/Trino casts like `x::date` are untouched),
// outside quoted strings and comments.
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|(?<!:):([a-z_][a-z0-9_]*)/gi;

/**
 * Replaces every `:name` parameter with what `render` makes of its value; a parameter without a value is an
 * error naming all of them, so a query never runs with a marker left in it.
 */
function replaceNamedParameters(
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
  render: (value: SqlValue) => string,
): string {
  const missing = new Set<string>();
  const out = sql.replace(TOKEN, (match, name: string | undefined) => {
    if (name === undefined) return match;
    if (!Object.hasOwn(params, name)) {
      missing.add(name);
      return match;
    }
    return render(params[name] ?? null);
  });
  if (missing.size > 0) {
    throw new QueryError(`SQL parameter(s) not bound: ${[...missing].map((n) => `:${n}`).join(', ')}`);
  }
  return out;
}

/**
 * Rewrites `:name` parameters as positional `?` and lists the values in order, so that DuckDB prepared
 * statements bind them; nothing is spliced.
 */
export function bindNamedParameters(sql: string, params: Readonly<Record<string, SqlValue>> = {}): BoundSql {
  const values: SqlValue[] = [];
  const out = replaceNamedParameters(sql, params, (value) => {
    values.push(value);
    return '?';
  });
  return { sql: out, values };
}

/**
 * Writes each `:name` parameter into the SQL as a literal. Athena accepts `?` execution parameters only in a
 * WHERE clause, while the run's values (run date, period end, reporting currency) sit in SELECT and CASE
 * expressions too, so on Athena they travel as literals: each value is checked by `toSqlLiteral` first.
 */
export function inlineNamedParameters(sql: string, params: Readonly<Record<string, SqlValue>> = {}): string {
  return replaceNamedParameters(sql, params, toSqlLiteral);
}

// Run values are dates, ISO codes, period ids, names and numbers: printable text without control characters.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * The SQL literal of one run value: NULL, TRUE/FALSE, a finite number, or a single-quoted string with its
 * quotes doubled (the only escape standard SQL strings have, on Trino and DuckDB alike). Text with control
 * characters is refused rather than escaped: no run value has any.
 */
export function toSqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new QueryError(`cannot write ${value} as a SQL literal: only finite numbers have one`);
    }
    return String(value);
  }
  if (hasControlCharacter(value)) {
    throw new QueryError(
      `cannot write ${JSON.stringify(value)} as a SQL literal: it holds a control character; run values are plain text`,
    );
  }
  return `'${value.replaceAll("'", "''")}'`;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,127}$/;

/** Checks an identifier taken from config (table, database, column) before it is used in SQL text. */
export function assertIdentifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new QueryError(
      `${what} '${value}' is not a safe SQL identifier: use lower-case letters, digits and _`,
    );
  }
  return value;
}
