import { BasicAuth, type QueryResult, Trino } from 'trino-client';
import { decodeAthenaValue } from '../../lambdas/adapters/aws/athena-results.ts';
import { athenaStatementText } from '../../lambdas/adapters/aws/athena-statement-plan.ts';
import { QueryError } from '../../lambdas/core/errors.ts';
import { assertIdentifier } from '../../lambdas/core/sql-params.ts';
import type { QueryEngine, SqlValue, TableDescription } from '../../lambdas/ports/query-engine.ts';

/** Where the tests' Trino answers, and the catalog that stands in for Athena's AwsDataCatalog. */
export const TRINO_URL = process.env.REVSEG_TRINO_URL ?? 'http://127.0.0.1:18080';
export const TRINO_CATALOG = 'awsdatacatalog';

export interface TrinoQueryEngineProps {
  /** Schema standing in for the Glue database; statements name tables without a schema, as on Athena. */
  readonly schema: string;
  /** @default TRINO_URL */
  readonly server?: string;
}

/**
 * The Athena side of the QueryEngine port, run on a real Trino (the engine under Athena engine v3): each
 * statement is the exact text the Athena adapters send (`athenaStatementText`), and each result cell goes
 * through the Athena result decoder as the text Athena would return, so what the job sees is what it would
 * see on AWS.
 */
export class TrinoQueryEngine implements QueryEngine {
  private readonly trino: Trino;
  readonly schema: string;

  constructor(props: TrinoQueryEngineProps) {
    this.schema = assertIdentifier(props.schema, 'trino schema');
    this.trino = Trino.create({
      server: props.server ?? TRINO_URL,
      catalog: TRINO_CATALOG,
      schema: this.schema,
      auth: new BasicAuth('revseg-test'),
      source: 'revseg-tests',
    });
  }

  /** Every statement this engine ran, as sent, in order. */
  readonly sent: string[] = [];

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: Readonly<Record<string, SqlValue>>,
  ): Promise<T[]> {
    return (await this.execute(athenaStatementText(sql, params))) as T[];
  }

  /** Runs one statement as written (DDL in test set-up, or a statement already bound). */
  async execute(statement: string): Promise<Record<string, unknown>[]> {
    this.sent.push(statement);
    const iterator = await this.trino.query(statement);
    let columns: { name: string; type: string }[] = [];
    const rows: Record<string, unknown>[] = [];
    for await (const result of iterator as AsyncIterable<QueryResult>) {
      if (result.error) {
        throw new QueryError(
          `trino query ${result.id} failed: ${result.error.errorName}: ${result.error.message} (query: ${excerpt(statement)})`,
        );
      }
      if (result.columns) columns = result.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type }));
      for (const data of result.data ?? []) {
        const row: Record<string, unknown> = {};
        columns.forEach((column, i) => {
          row[column.name] = decodeAthenaValue(athenaText(data[i]), baseType(column.type));
        });
        rows.push(row);
      }
    }
    return rows;
  }

  /** The columns of a table in the schema, as Glue's GetTable gives them on AWS, or undefined when absent. */
  async describeTable(table: string): Promise<TableDescription | undefined> {
    const rows = await this.execute(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = '${this.schema}' AND table_name = '${assertIdentifier(table, 'table')}' ORDER BY ordinal_position`,
    );
    if (rows.length === 0) return undefined;
    return {
      table,
      source: `trino:${TRINO_CATALOG}.${this.schema}.${table}`,
      columns: rows.map((r) => String(r.column_name).toLowerCase()),
    };
  }
}

/** Athena reports `decimal` and `varchar` without their parameters (they travel in other fields). */
function baseType(type: string): string {
  return type.replace(/\(.*$/, '');
}

/** The text Athena's results hold for a value Trino's protocol returns as JSON. */
function athenaText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function excerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/** The version of the Trino at `server`, or undefined when nothing answers there. */
export async function trinoVersion(server = TRINO_URL): Promise<string | undefined> {
  try {
    const response = await fetch(`${server}/v1/info`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    const info = (await response.json()) as { nodeVersion?: { version?: string }; starting?: boolean };
    return info.starting ? undefined : info.nodeVersion?.version;
  } catch {
    return undefined;
  }
}
