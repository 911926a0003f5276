import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { planAthenaStatements } from '../../lambdas/adapters/aws/athena-statement-plan.ts';
import { PrecomputedAthenaQueryEngine } from '../../lambdas/adapters/aws/precomputed-athena-query-engine.ts';
import type { Logger } from '../../lambdas/ports/logger.ts';
import type { QueryEngine } from '../../lambdas/ports/query-engine.ts';

const athena = mockClient(AthenaClient);

const SQL: Record<string, string> = {
  features: 'SELECT account_id, revenue FROM f WHERE d <= CAST(:period_end AS DATE) AND o = :owner',
  totals: 'SELECT count(*) AS n FROM revenue_lines',
};
const sqlSource = { load: (name: string) => SQL[name] ?? '' };

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, error() {}, warn: (message) => warnings.push(message) };
}

beforeEach(() => athena.reset());

describe('planAthenaStatements', () => {
  it('writes the run values of each named query into its Athena statement as literals', () => {
    expect(
      planAthenaStatements(
        [
          { name: 'features', params: { period_end: '2026-10-31', owner: "d'Arcy" } },
          { name: 'totals', params: {} },
        ],
        sqlSource,
      ),
    ).toEqual([
      {
        name: 'features',
        queryString:
          "SELECT account_id, revenue FROM f WHERE d <= CAST('2026-10-31' AS DATE) AND o = 'd''Arcy'",
      },
      { name: 'totals', queryString: 'SELECT count(*) AS n FROM revenue_lines' },
    ]);
  });
});

describe('PrecomputedAthenaQueryEngine', () => {
  const live: QueryEngine = {
    query: async <T>() => [{ from: 'live' }] as T[],
    describeTable: async (table) => ({ table, source: 'live', columns: ['a'] }),
  };
  const statements = planAthenaStatements(
    [
      { name: 'features', params: { period_end: '2026-10-31', owner: 'x' } },
      { name: 'totals', params: {} },
    ],
    sqlSource,
  ).map((s, i) => ({ ...s, queryExecutionId: `exec-${i}` }));

  it('reads the results of a planned statement by its execution id instead of running it again', async () => {
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'exec-0' }).resolves({
      QueryExecution: { QueryExecutionId: 'exec-0', StatementType: 'DML', Status: { State: 'SUCCEEDED' } },
    });
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'exec-0' }).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'account_id', Type: 'varchar' },
            { Name: 'revenue', Type: 'double' },
          ],
        },
        Rows: [
          { Data: [{ VarCharValue: 'account_id' }, { VarCharValue: 'revenue' }] },
          { Data: [{ VarCharValue: 'A-1' }, { VarCharValue: '99.5' }] },
        ],
      },
    });
    const logger = recordingLogger();
    const engine = new PrecomputedAthenaQueryEngine({
      queries: statements,
      live,
      logger,
      athena: new AthenaClient({ region: 'eu-west-1' }),
    });

    const rows = await engine.query(SQL.features ?? '', { owner: 'x', period_end: '2026-10-31' });

    expect(rows).toEqual([{ account_id: 'A-1', revenue: 99.5 }]);
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
    expect(logger.warnings).toEqual([]);
  });

  it('runs a statement with other values live, and says so', async () => {
    const logger = recordingLogger();
    const engine = new PrecomputedAthenaQueryEngine({
      queries: statements,
      live,
      logger,
      athena: new AthenaClient({ region: 'eu-west-1' }),
    });

    await expect(engine.query(SQL.features ?? '', { owner: 'y', period_end: '2026-10-31' })).resolves.toEqual(
      [{ from: 'live' }],
    );
    expect(logger.warnings).toEqual(['statement was not planned ahead; running it on Athena now']);
    await expect(engine.describeTable('accounts')).resolves.toEqual({
      table: 'accounts',
      source: 'live',
      columns: ['a'],
    });
  });

  it('refuses results of a planned statement that did not succeed, naming the query and the reason', async () => {
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'exec-1' }).resolves({
      QueryExecution: {
        QueryExecutionId: 'exec-1',
        Status: { State: 'FAILED', StateChangeReason: 'Bytes scanned limit was exceeded' },
      },
    });
    const engine = new PrecomputedAthenaQueryEngine({
      queries: statements,
      live,
      logger: recordingLogger(),
      athena: new AthenaClient({ region: 'eu-west-1' }),
    });

    await expect(engine.query(SQL.totals ?? '')).rejects.toThrow(
      'athena query exec-1 (totals) is FAILED, not SUCCEEDED: Bytes scanned limit was exceeded',
    );
  });
});
