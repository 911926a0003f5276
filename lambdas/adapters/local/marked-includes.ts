import { type BoundSql, bindNamedParameters } from '../../core/sql-params.ts';
import type { SqlValue } from '../../ports/query-engine.ts';

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
  const found = [...sql.matchAll(MARKED)];
  if (found.length === 0) return sql;
  const replacements = new Map<string, string>();
  for (const match of found) {
    const [block, name = '', text = ''] = match;
    if (replacements.has(block)) continue;
    const bound = bindNamedParameters(text, params);
    const key = JSON.stringify([name, text, bound.values]);
    replacements.set(block, await replace({ name, sql: text, bound, key }));
  }
  return sql.replace(MARKED, (block) => replacements.get(block) ?? block);
}
