import { describe, expect, it } from 'vitest';
import {
  athenaStatementText,
  planAthenaStatements,
  planStagedAthenaStatements,
} from '../../lambdas/adapters/aws/athena-statement-plan.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { RUN_SCOPED_INCLUDES } from '../../lambdas/core/sql-includes.ts';
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

describe('a staged plan reads each large input once', () => {
  const sql = new FileSqlSource(undefined, { markIncludes: RUN_SCOPED_INCLUDES });
  const period = parsePeriod('2026-10', 'monthly');
  const staging = { tag: 'monthly_2026_10_ab12', location: (t: string) => `s3://results/staging/${t}/` };
  const plan = planStagedAthenaStatements(
    plannedQueries(period, '2026-11-02', 1, 'USD', OPTIONAL_INPUT_TABLES),
    sql,
    staging,
  );
  const INPUTS = /\bFROM\s+(revenue_lines|activities|campaign_responses)\b/i;

  it('stages each shared include once per set of values, as Parquet under the run tag', () => {
    expect(plan.stages.map((s) => s.name)).toEqual([
      'stage checked_revenue_lines',
      'stage parsed_activities',
      'stage parsed_campaign_responses',
    ]);
    for (const stage of plan.stages) {
      expect(stage.queryString).toMatch(
        /^CREATE TABLE revseg_stage_monthly_2026_10_ab12_[a-z_]+_[0-9a-f]{12}\nWITH \(format = 'PARQUET', external_location = 's3:\/\/results\/staging\/revseg_stage_[a-z0-9_]+\/'\)\nAS\n/,
      );
      expect(parameterMarkers(stage.queryString)).toEqual([]);
    }
  });

  it('no planned statement reads revenue_lines, activities or campaign_responses itself', () => {
    const readers = plan.statements.filter((s) => INPUTS.test(s.queryString.replace(NOT_CODE, ' ')));
    expect(readers.map((s) => s.name)).toEqual([]);
    expect(plan.stages.filter((s) => INPUTS.test(s.queryString)).length).toBe(3);
    for (const statement of plan.statements) expect(parameterMarkers(statement.queryString)).toEqual([]);
  });

  it('the unstaged plan reads revenue_lines in many statements: what staging saves', () => {
    const unstaged = planAthenaStatements(
      plannedQueries(period, '2026-11-02', 1, 'USD', OPTIONAL_INPUT_TABLES),
      new FileSqlSource(),
    );
    const scans = unstaged
      .map((s) => [...s.queryString.replace(NOT_CODE, ' ').matchAll(/\bFROM\s+revenue_lines\b/gi)].length)
      .reduce((a, b) => a + b, 0);
    expect(scans).toBeGreaterThan(4);
  });

  it('drops every staged table afterwards, and the job finds the same statement text from the tag', () => {
    expect(plan.cleanup.map((s) => s.queryString)).toEqual(
      plan.stages.map(
        (s) => `DROP TABLE IF EXISTS ${s.queryString.split('\n')[0]?.replace('CREATE TABLE ', '')}`,
      ),
    );
    const features = plannedQueries(period, '2026-11-02', 1, 'USD', []).find(
      (q) => q.name === 'account_features',
    );
    const text = athenaStatementText(sql.load('account_features'), features?.params, staging.tag);
    expect(plan.statements.map((s) => s.queryString)).toContain(text);
  });
});
