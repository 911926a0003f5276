import { setTimeout as sleep } from 'node:timers/promises';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { EntityNotFoundException, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { QueryError } from '../../core/errors.ts';
import type { QueryEngine, SqlValue, TableDescription } from '../../ports/query-engine.ts';
import { fetchAthenaResults } from './athena-results.ts';
import { athenaStatementText } from './athena-statement-plan.ts';

const defaultAthena = new AthenaClient({});
const defaultGlue = new GlueClient({});

/** Where and how the engine runs queries. */
export interface AthenaQueryEngineProps {
  /** Athena workgroup; its enforced settings decide the result location and encryption. */
  readonly workGroup: string;
  /** Glue database holding the input and snapshot tables. */
  readonly database: string;
  /** @default 'AwsDataCatalog' */
  readonly catalog?: string;
  readonly athena?: AthenaClient;
  readonly glue?: GlueClient;
  /** First poll delay; it doubles up to `maxPollMs`. @default 250 */
  readonly initialPollMs?: number;
  /** @default 5000 */
  readonly maxPollMs?: number;
  /** A query still running after this long is stopped and reported. @default 840000 (14 minutes) */
  readonly timeoutMs?: number;
  /** @default node:timers/promises setTimeout */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Runs SQL on Athena in one workgroup: run values as checked literals, polling with backoff, typed results. */
export class AthenaQueryEngine implements QueryEngine {
  private readonly athena: AthenaClient;
  private readonly glue: GlueClient;
  private readonly catalog: string;

  constructor(private readonly props: AthenaQueryEngineProps) {
    this.athena = props.athena ?? defaultAthena;
    this.glue = props.glue ?? defaultGlue;
    this.catalog = props.catalog ?? 'AwsDataCatalog';
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: Readonly<Record<string, SqlValue>>,
  ): Promise<T[]> {
    const started = await this.athena.send(
      new StartQueryExecutionCommand({
        QueryString: athenaStatementText(sql, params),
        WorkGroup: this.props.workGroup,
        QueryExecutionContext: { Database: this.props.database, Catalog: this.catalog },
      }),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new QueryError(`athena returned no query execution id for: ${excerpt(sql)}`);
    const execution = await this.waitFor(id, sql);
    return (await fetchAthenaResults(this.athena, execution)) as T[];
  }

  async describeTable(table: string): Promise<TableDescription | undefined> {
    try {
      const { Table } = await this.glue.send(
        new GetTableCommand({ DatabaseName: this.props.database, Name: table }),
      );
      const columns = [...(Table?.StorageDescriptor?.Columns ?? []), ...(Table?.PartitionKeys ?? [])];
      const location = Table?.StorageDescriptor?.Location;
      return {
        table,
        source: `glue:${this.props.database}.${table}${location ? ` (${location})` : ''}`,
        columns: columns.map((c) => (c.Name ?? '').toLowerCase()),
      };
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw new QueryError(
        `describing glue table ${this.props.database}.${table} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Polls until the query ends; a failure carries the query id and Athena's reason. */
  async waitFor(id: string, sql: string): Promise<QueryExecution> {
    const sleepFor = this.props.sleep ?? sleep;
    const deadline = Date.now() + (this.props.timeoutMs ?? 840_000);
    let delay = this.props.initialPollMs ?? 250;
    for (;;) {
      const { QueryExecution: execution } = await this.athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const state = execution?.Status?.State;
      if (execution && state === 'SUCCEEDED') return execution;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = execution?.Status?.StateChangeReason ?? state;
        throw new QueryError(`athena query ${id} ${state.toLowerCase()}: ${reason} (query: ${excerpt(sql)})`);
      }
      if (Date.now() > deadline) {
        await this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        throw new QueryError(
          `athena query ${id} still ${state ?? 'pending'} after ${Math.round((this.props.timeoutMs ?? 840_000) / 1000)} s and was stopped; long queries belong in the state machine's query step (query: ${excerpt(sql)})`,
        );
      }
      await sleepFor(delay);
      delay = Math.min(delay * 2, this.props.maxPollMs ?? 5000);
    }
  }
}

function excerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
