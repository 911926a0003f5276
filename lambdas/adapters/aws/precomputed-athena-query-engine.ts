import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { QueryError } from '../../core/errors.ts';
import type { Logger } from '../../ports/logger.ts';
import type { QueryEngine, SqlValue, TableDescription } from '../../ports/query-engine.ts';
import { fetchAthenaResults } from './athena-results.ts';
import { athenaStatementText } from './athena-statement-plan.ts';

const defaultAthena = new AthenaClient({});

/** A statement the state machine already ran on Athena, with the id of its execution. */
export interface PrecomputedQuery {
  readonly name: string;
  readonly queryString: string;
  readonly queryExecutionId: string;
}

export interface PrecomputedAthenaQueryEngineProps {
  /** The statements run ahead of time (by Step Functions), found again by their text. */
  readonly queries: readonly PrecomputedQuery[];
  /** Runs what was not planned ahead (small queries) and describes tables. */
  readonly live: QueryEngine;
  readonly logger: Logger;
  readonly athena?: AthenaClient;
  /**
   * The tag of the tables the plan staged the shared includes into (`planStagedAthenaStatements`); the job's SQL
   * must mark the same includes. @default none: the statements read the inputs
   */
  readonly stagingTag?: string;
}

/**
 * A query engine whose planned statements were already executed by the state machine (so no Lambda
 * waits on a long Athena query): it reads their results by execution id, and falls back to `live`
 * for any statement that was not planned.
 */
export class PrecomputedAthenaQueryEngine implements QueryEngine {
  private readonly byKey: Map<string, PrecomputedQuery>;
  private readonly athena: AthenaClient;

  constructor(private readonly props: PrecomputedAthenaQueryEngineProps) {
    this.athena = props.athena ?? defaultAthena;
    this.byKey = new Map(props.queries.map((q) => [q.queryString, q]));
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: Readonly<Record<string, SqlValue>>,
  ): Promise<T[]> {
    const text = athenaStatementText(sql, params, this.props.stagingTag);
    const planned = this.byKey.get(text);
    if (!planned) {
      this.props.logger.warn('statement was not planned ahead; running it on Athena now', {
        sql: text.slice(0, 200),
      });
      return this.props.live.query<T>(text);
    }
    const id = planned.queryExecutionId;
    const { QueryExecution: execution } = await this.athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = execution?.Status?.State;
    if (!execution || state !== 'SUCCEEDED') {
      throw new QueryError(
        `athena query ${id} (${planned.name}) is ${state ?? 'unknown'}, not SUCCEEDED: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`,
      );
    }
    this.props.logger.info(`reading precomputed results of ${planned.name}`, { queryExecutionId: id });
    return (await fetchAthenaResults(this.athena, execution)) as T[];
  }

  describeTable(table: string): Promise<TableDescription | undefined> {
    return this.props.live.describeTable(table);
  }
}
