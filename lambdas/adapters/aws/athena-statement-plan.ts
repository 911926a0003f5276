import { inlineNamedParameters } from '../../core/sql-params.ts';
import type { SqlValue } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';

/** A named SQL file with the values a run binds to it. */
export interface NamedQuery {
  readonly name: string;
  readonly params: Readonly<Record<string, SqlValue>>;
}

/** One statement ready for Athena's StartQueryExecution, its run values written in as literals. */
export interface AthenaStatement {
  readonly name: string;
  readonly queryString: string;
}

/**
 * The text Athena runs for a SQL file and its values. Every statement sent to Athena goes through here (the
 * planned ones, the live ones and the tests' Trino engine), so they are the same text for the same values.
 */
export function athenaStatementText(sql: string, params: Readonly<Record<string, SqlValue>> = {}): string {
  return inlineNamedParameters(sql, params);
}

/** Loads and binds the named queries of a run so that the state machine can run them on Athena. */
export function planAthenaStatements(queries: readonly NamedQuery[], sql: SqlSource): AthenaStatement[] {
  return queries.map(({ name, params }) => ({
    name,
    queryString: athenaStatementText(sql.load(name), params),
  }));
}
