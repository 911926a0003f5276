import type { SqlValue } from '../ports/query-engine.ts';
import { type BoundSql, bindNamedParameters } from './sql-params.ts';

/**
 * Includes that are a whole SELECT over a large input and depend only on values fixed for a run (the run date,
 * the reporting currency): an engine may evaluate each once per run and let every statement read the result.
 * The local engine keeps them in temporary tables; on Athena they are staged as Parquet by CREATE TABLE AS, so a
 * run scans each input once.
 */
export const RUN_SCOPED_INCLUDES = [
  'checked_revenue_lines',
  'parsed_activities',
  'parsed_campaign_responses',
] as const;

/** Comment lines around an include that an engine may evaluate once and reuse; plain comments to any other engine. */
export function markInclude(name: string, text: string): string {
  return `-- @begin-include ${name}\n${text}\n-- @end-include ${name}`;
}

const MARKED = /^-- @begin-include ([a-z0-9_]+)\n([\s\S]*?)\n-- @end-include \1$/gm;

/** One marked include inside a statement, with the values of the parameters it uses. */
export interface MarkedInclude {
  readonly name: string;
  /** The include's SQL, with its `:named` parameters. */
  readonly sql: string;
  /** The include with its parameters bound, ready to run. */
  readonly bound: BoundSql;
  /** Identifies the include's result: its name, text and bound values; equal keys give equal results. */
  readonly key: string;
}

/** The marked includes of a statement, each once, by the block of text that stands for it. */
export function findMarkedIncludes(
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
): Map<string, MarkedInclude> {
  const found = new Map<string, MarkedInclude>();
  for (const match of sql.matchAll(MARKED)) {
    const [block, name = '', text = ''] = match;
    if (found.has(block)) continue;
    const bound = bindNamedParameters(text, params);
    found.set(block, { name, sql: text, bound, key: JSON.stringify([name, text, bound.values]) });
  }
  return found;
}

/** Swaps each marked include block of `sql` for the text `replacement` gives it. */
export function substituteMarkedIncludes(sql: string, replacement: ReadonlyMap<string, string>): string {
  return sql.replace(MARKED, (block) => replacement.get(block) ?? block);
}

/**
 * Finds the marked includes of a statement and lets `replace` swap each block for other SQL (e.g. a read of a
 * table that holds its result). Parameters the include does not use do not enter its key, so queries with
 * different `:period_end` share the lines checked for one `:run_date`.
 */
export async function replaceMarkedIncludes(
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
  replace: (include: MarkedInclude) => Promise<string>,
): Promise<string> {
  const found = findMarkedIncludes(sql, params);
  if (found.size === 0) return sql;
  const replacements = new Map<string, string>();
  for (const [block, include] of found) replacements.set(block, await replace(include));
  return substituteMarkedIncludes(sql, replacements);
}
