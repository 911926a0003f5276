import { describe, expect, it } from 'vitest';
import { planAthenaStatements } from '../../lambdas/adapters/aws/athena-statement-plan.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { plannedQueries } from '../../lambdas/jobs/steps/read-input.ts';
import { OPTIONAL_INPUT_TABLES } from '../../lib/config.ts';

// Quoted strings, quoted identifiers and comments may hold '?' or ':' freely; what is left is SQL text.
const NOT_CODE = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g;

/** The `?` markers and unbound `:name` parameters in the SQL text of a statement. */
function parameterMarkers(sql: string): string[] {
  const code = sql.replace(NOT_CODE, ' ');
  return [...code.matchAll(/\?|(?<!:):[a-z_][a-z0-9_]*/gi)].map((m) => m[0]);
}

describe('statements sent to Athena', () => {
  const sql = new FileSqlSource();
  const runs = [
    ['monthly', parsePeriod('2026-10', 'monthly')],
    ['quarterly', parsePeriod('2026-Q3', 'quarterly')],
  ] as const;

  it.each(runs)(
    '%s: every planned statement carries its values as literals, no ? and no :name',
    (_, period) => {
      const statements = planAthenaStatements(
        plannedQueries(period, '2026-11-02', 1, 'USD', OPTIONAL_INPUT_TABLES),
        sql,
      );
      expect(statements.length).toBeGreaterThan(10);
      for (const statement of statements) {
        expect({ name: statement.name, markers: parameterMarkers(statement.queryString) }).toEqual({
          name: statement.name,
          markers: [],
        });
      }
    },
  );

  it('the check itself finds a marker in SELECT, and ignores one inside a string or comment', () => {
    expect(parameterMarkers("SELECT ? AS d, ':x' s -- ? :y\nFROM t WHERE a = :a")).toEqual(['?', ':a']);
    expect(parameterMarkers("SELECT '?' AS q, x::date FROM t /* ? */")).toEqual([]);
  });
});
