import { bindNamedParameters } from '../../core/sql-params.ts';
import type { SqlValue } from '../../ports/query-engine.ts';
import type { SqlSource } from '../../ports/sql-source.ts';
import { toExecutionParameters } from './athena-literals.ts';

/** A named SQL file with the values a run binds to it. */
export interface NamedQuery {
  readonly name: string;
  readonly params: Readonly<Record<string, SqlValue>>;
}

/** One statement ready for Athena's StartQueryExecution: `?` markers and their literals, in order. */
export interface AthenaStatement {
  readonly name: string;
  readonly queryString: string;
  /** Absent when the statement has no parameters (Athena rejects an empty list). */
  readonly executionParameters?: string[];
}

/** Loads and binds the named queries of a run so that the state machine can run them on Athena. */
export function planAthenaStatements(queries: readonly NamedQuery[], sql: SqlSource): AthenaStatement[] {
  return queries.map(({ name, params }) => {
    const bound = bindNamedParameters(sql.load(name), params);
    const executionParameters = toExecutionParameters(bound.values);
    return executionParameters
      ? { name, queryString: bound.sql, executionParameters }
      : { name, queryString: bound.sql };
  });
}
