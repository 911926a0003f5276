import { createHash } from 'node:crypto';
import { QueryError } from '../../core/errors.ts';
import { findMarkedIncludes, substituteMarkedIncludes } from '../../core/sql-includes.ts';
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
 * Where a run stages the includes every statement shares: `tag` makes the staged tables the run's own (lower-case
 * letters, digits and _), `location` is the S3 folder (with a trailing `/`) that holds one staged table's files.
 */
export interface StagingTarget {
  readonly tag: string;
  readonly location: (table: string) => string;
}

/** A run's statements in the order the state machine runs them. */
export interface StagedPlan {
  /** CREATE TABLE AS of each shared include, run first, one after another: the only reads of the large inputs. */
  readonly stages: AthenaStatement[];
  /** The run's queries, each reading the staged tables instead of the inputs; they may run in parallel. */
  readonly statements: AthenaStatement[];
  /** DROP TABLE of each staged table, after the job (the files expire with the query results). */
  readonly cleanup: AthenaStatement[];
}

const TAG = /^[a-z0-9_]{1,40}$/;

/**
 * The text Athena runs for a SQL file and its values. Every statement sent to Athena goes through here (the
 * planned ones, the live ones and the tests' Trino engine), so they are the same text for the same values. With
 * a staging tag, each marked include becomes a read of the table the run staged it into.
 */
export function athenaStatementText(
  sql: string,
  params: Readonly<Record<string, SqlValue>> = {},
  stagingTag?: string,
): string {
  if (stagingTag === undefined) return inlineNamedParameters(sql, params);
  return stageIncludes(sql, params, stagingTag).text;
}

/** A statement with each marked include read from its staged table, and the SELECT that stages each table. */
function stageIncludes(
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
  tag: string,
): { text: string; staged: Map<string, { name: string; select: string }> } {
  const reads = new Map<string, string>();
  const staged = new Map<string, { name: string; select: string }>();
  for (const [block, include] of findMarkedIncludes(sql, params)) {
    const select = inlineNamedParameters(include.sql, params);
    const table = stagedTableName(tag, include.name, select);
    reads.set(block, `SELECT * FROM ${table}`);
    staged.set(table, { name: include.name, select });
  }
  return { text: inlineNamedParameters(substituteMarkedIncludes(sql, reads), params), staged };
}

/** The staged table of an include with its values: the same name wherever it is computed, the run's own by tag. */
export function stagedTableName(tag: string, include: string, text: string): string {
  if (!TAG.test(tag))
    throw new QueryError(`staging tag '${tag}' must be 1-40 lower-case letters, digits or _`);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return `revseg_stage_${tag}_${include}_${digest}`;
}

/** Loads and binds the named queries of a run so that the state machine can run them on Athena. */
export function planAthenaStatements(queries: readonly NamedQuery[], sql: SqlSource): AthenaStatement[] {
  return queries.map(({ name, params }) => ({
    name,
    queryString: athenaStatementText(sql.load(name), params),
  }));
}

/**
 * Plans a run that reads each large input once: every include marked in `sql` (see RUN_SCOPED_INCLUDES) is
 * evaluated once per distinct set of values into a Parquet table by CREATE TABLE AS, and the run's queries read
 * those tables. The bytes the run scans are then the inputs once plus the staged tables, whose size is known.
 */
export function planStagedAthenaStatements(
  queries: readonly NamedQuery[],
  sql: SqlSource,
  staging: StagingTarget,
): StagedPlan {
  const stages = new Map<string, AthenaStatement>();
  const statements = queries.map(({ name, params }) => {
    const { text, staged } = stageIncludes(sql.load(name), params, staging.tag);
    for (const [table, include] of staged) {
      if (stages.has(table)) continue;
      const location = staging.location(table).replaceAll("'", "''");
      stages.set(table, {
        name: `stage ${include.name}`,
        queryString: `CREATE TABLE ${table}\nWITH (format = 'PARQUET', external_location = '${location}')\nAS\n${include.select}`,
      });
    }
    return { name, queryString: text };
  });
  return {
    stages: [...stages.values()],
    statements,
    cleanup: [...stages.keys()].map((table) => ({
      name: `drop ${table}`,
      queryString: `DROP TABLE IF EXISTS ${table}`,
    })),
  };
}
