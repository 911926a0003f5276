import {
  AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionOutput,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { EntityNotFoundException, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine } from '../../lambdas/adapters/aws/athena-query-engine.ts';
import { QueryError } from '../../lambdas/core/errors.ts';

const athena = mockClient(AthenaClient);
const glue = mockClient(GlueClient);

/** One GetQueryResults page: column metadata plus rows of text cells (undefined = SQL NULL). */
function page(
  columns: [string, string][],
  rows: (string | undefined)[][],
  nextToken?: string,
): GetQueryResultsOutput {
  return {
    NextToken: nextToken,
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: columns.map(([Name, Type]) => ({ Name, Type })) },
      Rows: rows.map((row) => ({ Data: row.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
    },
  };
}

function engine(delays: number[] = [], timeoutMs?: number): AthenaQueryEngine {
  return new AthenaQueryEngine({
    workGroup: 'revseg-wg',
    database: 'revseg_db',
    athena: new AthenaClient({ region: 'eu-west-1' }),
    glue: new GlueClient({ region: 'eu-west-1' }),
    sleep: async (ms) => {
      delays.push(ms);
    },
    initialPollMs: 100,
    maxPollMs: 300,
    timeoutMs,
  });
}

const succeeded: GetQueryExecutionOutput = {
  QueryExecution: { QueryExecutionId: 'q-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } },
};

beforeEach(() => {
  athena.reset();
  glue.reset();
});

describe('AthenaQueryEngine.query', () => {
  it('starts the query in the workgroup with the run values written in as quoted literals', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(succeeded);
    athena.on(GetQueryResultsCommand).resolves(page([['n', 'integer']], [['n'], ['1']]));

    await engine().query(
      'SELECT count(*) AS n FROM t WHERE a = :owner AND d <= CAST(:end AS DATE) AND x = :owner',
      {
        owner: "O'Brien",
        end: '2026-10-31',
      },
    );

    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString:
        "SELECT count(*) AS n FROM t WHERE a = 'O''Brien' AND d <= CAST('2026-10-31' AS DATE) AND x = 'O''Brien'",
      WorkGroup: 'revseg-wg',
      QueryExecutionContext: { Database: 'revseg_db', Catalog: 'AwsDataCatalog' },
    });
  });

  it('never sends ExecutionParameters: Athena accepts them only in a WHERE clause', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(succeeded);
    athena.on(GetQueryResultsCommand).resolves(page([['n', 'integer']], [['n'], ['1']]));
    await engine().query('SELECT :n AS n', { n: 1 });
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input).toBeDefined();
    expect(input && 'ExecutionParameters' in input ? input.ExecutionParameters : undefined).toBeUndefined();
  });

  it('polls with exponential backoff capped at the maximum until the query succeeds', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'RUNNING' } } })
      .resolvesOnce({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'RUNNING' } } })
      .resolvesOnce({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'RUNNING' } } })
      .resolves(succeeded);
    athena.on(GetQueryResultsCommand).resolves(page([['n', 'integer']], [['n'], ['7']]));
    const delays: number[] = [];

    const rows = await engine(delays).query('SELECT 7 AS n');

    expect(rows).toEqual([{ n: 7 }]);
    expect(delays).toEqual([100, 200, 300, 300]);
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 5);
  });

  it('reads every page, drops the header row of the first page only, and decodes values by column type', async () => {
    const columns: [string, string][] = [
      ['Account_ID', 'varchar'],
      ['revenue', 'double'],
      ['invoices', 'bigint'],
      ['rank', 'integer'],
      ['amount', 'decimal'],
      ['first_on', 'date'],
      ['active', 'boolean'],
      ['note', 'varchar'],
    ];
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(succeeded);
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves(
        page(
          columns,
          [
            ['Account_ID', 'revenue', 'invoices', 'rank', 'amount', 'first_on', 'active', 'note'],
            ['A-1', '1234.5', '12', '0', '-10.25', '2025-01-31', 'true', ''],
          ],
          'token-2',
        ),
      )
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'token-2' })
      // A data row equal to the header on a later page is data, not a header.
      .resolves(
        page(columns, [
          ['Account_ID', undefined, undefined, undefined, undefined, undefined, 'false', undefined],
          ['A-3', '0', '0', '2', '0.1', '2026-10-31', 'false', 'x'],
        ]),
      );

    const rows = await engine().query('SELECT * FROM features');

    expect(rows).toEqual([
      {
        account_id: 'A-1',
        revenue: 1234.5,
        invoices: 12,
        rank: 0,
        amount: -10.25,
        first_on: '2025-01-31',
        active: true,
        note: '',
      },
      {
        account_id: 'Account_ID',
        revenue: null,
        invoices: null,
        rank: null,
        amount: null,
        first_on: null,
        active: false,
        note: null,
      },
      {
        account_id: 'A-3',
        revenue: 0,
        invoices: 0,
        rank: 2,
        amount: 0.1,
        first_on: '2026-10-31',
        active: false,
        note: 'x',
      },
    ]);
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 2);
  });

  it("reports a failed query with its id and Athena's reason", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q-9',
        Status: {
          State: 'FAILED',
          StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
        },
      },
    });

    const failure = engine().query('SELECT x FROM revenue_lines');

    await expect(failure).rejects.toThrow(QueryError);
    await expect(failure).rejects.toThrow(
      "athena query q-9 failed: COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved (query: SELECT x FROM revenue_lines)",
    );
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('stops a query that outlives the timeout and says where long queries belong', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-5' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { QueryExecutionId: 'q-5', Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const slowEngine = new AthenaQueryEngine({
      workGroup: 'revseg-wg',
      database: 'revseg_db',
      athena: new AthenaClient({ region: 'eu-west-1' }),
      timeoutMs: 0,
      sleep: () => new Promise((resolve) => setTimeout(resolve, 5)),
    });

    await expect(slowEngine.query('SELECT 1')).rejects.toThrow(
      /athena query q-5 still RUNNING .* was stopped/,
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-5' });
  });
});

describe('AthenaQueryEngine.describeTable', () => {
  it('lists the Glue columns and partition keys in lower case, naming the table and its location', async () => {
    glue.on(GetTableCommand, { DatabaseName: 'revseg_db', Name: 'revenue_lines' }).resolves({
      Table: {
        Name: 'revenue_lines',
        StorageDescriptor: {
          Location: 's3://data/input/revenue_lines/',
          Columns: [
            { Name: 'Account_Id', Type: 'string' },
            { Name: 'amount', Type: 'string' },
          ],
        },
        PartitionKeys: [{ Name: 'year', Type: 'string' }],
      },
    });

    await expect(engine().describeTable('revenue_lines')).resolves.toEqual({
      table: 'revenue_lines',
      source: 'glue:revseg_db.revenue_lines (s3://data/input/revenue_lines/)',
      columns: ['account_id', 'amount', 'year'],
    });
  });

  it('returns undefined for a table Glue does not know, and names the table for other errors', async () => {
    glue
      .on(GetTableCommand, { Name: 'opportunities' })
      .rejects(new EntityNotFoundException({ message: 'Table opportunities not found', $metadata: {} }))
      .on(GetTableCommand, { Name: 'accounts' })
      .rejects(new Error('AccessDeniedException: not authorized'));

    await expect(engine().describeTable('opportunities')).resolves.toBeUndefined();
    await expect(engine().describeTable('accounts')).rejects.toThrow(
      'describing glue table revseg_db.accounts failed: AccessDeniedException: not authorized',
    );
  });
});
