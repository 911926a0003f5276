import { QueryError } from '../../core/errors.ts';
import type { SqlValue } from '../../ports/query-engine.ts';

/**
 * Renders one bound value as the SQL literal Athena expects in `ExecutionParameters`
 * (Athena substitutes each `?` with the literal text, so strings need their quotes).
 */
export function toAthenaLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new QueryError(
        `cannot bind ${value} as an Athena parameter: only finite numbers have a SQL literal`,
      );
    }
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** The `ExecutionParameters` of a statement, or undefined when it has none (Athena rejects an empty list). */
export function toExecutionParameters(values: readonly SqlValue[]): string[] | undefined {
  return values.length === 0 ? undefined : values.map(toAthenaLiteral);
}

/** Identifies a bound statement, so a result computed ahead of time is found again by the same SQL and values. */
export function statementKey(
  queryString: string,
  executionParameters: readonly string[] | undefined,
): string {
  return JSON.stringify([queryString, executionParameters ?? []]);
}
