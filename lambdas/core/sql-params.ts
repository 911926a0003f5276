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
 * Rewrites `:name` parameters as positional `?` and lists the values in order, so that both
 * DuckDB prepared statements and Athena ExecutionParameters bind them; nothing is spliced.
 */
export function bindNamedParameters(sql: string, params: Readonly<Record<string, SqlValue>> = {}): BoundSql {
  const values: SqlValue[] = [];
  const missing = new Set<string>();
  const out = sql.replace(TOKEN, (match, name: string | undefined) => {
    if (name === undefined) return match;
    if (!Object.hasOwn(params, name)) {
      missing.add(name);
      return match;
    }
    values.push(params[name] ?? null);
    return '?';
  });
  if (missing.size > 0) {
    throw new QueryError(`SQL parameter(s) not bound: ${[...missing].map((n) => `:${n}`).join(', ')}`);
  }
  return { sql: out, values };
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
