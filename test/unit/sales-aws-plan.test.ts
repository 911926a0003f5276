import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { planAthenaStatements } from '../../lambdas/adapters/aws/athena-statement-plan.ts';
import { PrecomputedAthenaQueryEngine } from '../../lambdas/adapters/aws/precomputed-athena-query-engine.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import type { PortfolioAnalysis } from '../../lambdas/core/types.ts';
import { planEnvSchema, readEnv } from '../../lambdas/handlers/env.ts';
import { plannedQueries } from '../../lambdas/jobs/steps/read-input.ts';
import {
  costParams,
  readSalesInputs,
  salesInputQueries,
  salesOfRun,
} from '../../lambdas/jobs/steps/read-sales-inputs.ts';
import { parseDeployConfig } from '../../lib/config.ts';
import { buildStacks } from '../../lib/stacks.ts';

const period = parsePeriod('2026-10', 'monthly');
const names = (optional: readonly string[]) =>
  plannedQueries(period, '2026-11-02', 1, 'USD', optional).map((q) => q.name);

describe('sales inputs on AWS', () => {
  it('plans the opportunities and costs queries only for the optional tables the deployment has', () => {
    expect(names([])).not.toEqual(expect.arrayContaining(['opportunities']));
    expect(names([]).filter((n) => n === 'opportunities' || n === 'costs')).toEqual([]);
    expect(names(['opportunities', 'costs']).filter((n) => n === 'opportunities' || n === 'costs')).toEqual([
      'opportunities',
      'costs',
    ]);
    // 2026-10: the T12M window starts in November 2025; a fiscal quarter id can be a year behind its months,
    // so costs of 2023 and before are not read.
    expect(salesInputQueries(['costs', 'fx_rates'], period)).toEqual([
      { name: 'costs', params: { from_year: '2024' } },
    ]);
    expect(salesInputQueries(['costs'], parsePeriod('2026-12', 'monthly'))[0]?.params).toEqual({
      from_year: '2025',
    });
  });

  it('binds them as statements with the values the job issues them with', () => {
    const statements = planAthenaStatements(
      salesInputQueries(['opportunities', 'costs'], period),
      new FileSqlSource(),
    );
    expect(statements.map((s) => s.name)).toEqual(['opportunities', 'costs']);
    expect(statements[1]?.queryString).toContain("'2024'");
    expect(statements[0]?.queryString).toMatch(/FROM opportunities\s*$/);
  });

  it('the job reads the planned statements results by execution id, running nothing live', async () => {
    const athena = mockClient(AthenaClient);
    const results = (columns: string[], rows: (string | null)[][]) => ({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: 'varchar' })) },
        Rows: [columns, ...rows].map((r) => ({
          Data: r.map((v) => (v === null ? {} : { VarCharValue: v })),
        })),
      },
    });
    for (const id of ['exec-0', 'exec-1']) {
      athena.on(GetQueryExecutionCommand, { QueryExecutionId: id }).resolves({
        QueryExecution: { QueryExecutionId: id, StatementType: 'DML', Status: { State: 'SUCCEEDED' } },
      });
    }
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'exec-0' }).resolves(
      results(
        ['opportunity_id', 'account_id', 'created_on', 'closed_on', 'stage', 'amount'],
        [
          ['O-1', 'A1', '2026-01-01', '2026-02-15', 'won', '1.2E4'],
          ['O-2', 'A1', '2026-01-01', null, 'stalled', '10.0'],
        ],
      ),
    );
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'exec-1' })
      .resolves(
        results(
          ['period', 'account_id', 'segment', 'kind', 'amount'],
          [['2026-Q1', null, 'Low', 'service', '300.0']],
        ),
      );
    const sql = new FileSqlSource();
    const warnings: string[] = [];
    const engine = new PrecomputedAthenaQueryEngine({
      queries: planAthenaStatements(salesInputQueries(['opportunities', 'costs'], period), sql).map(
        (s, i) => ({
          ...s,
          queryExecutionId: `exec-${i}`,
        }),
      ),
      live: {
        query: async () => {
          throw new Error('not planned');
        },
        describeTable: async (table) => ({
          table,
          source: `glue:db.${table}`,
          columns: [
            'period',
            'account_id',
            'segment',
            'kind',
            'amount',
            'opportunity_id',
            'created_on',
            'closed_on',
            'stage',
          ],
        }),
      },
      logger: { info() {}, error() {}, warn: (m) => warnings.push(m) },
      athena: new AthenaClient({ region: 'eu-west-1' }),
    });
    const analysis = {
      period,
      accounts: [
        {
          accountId: 'A1',
          accountName: 'A1',
          ownerEmail: 'jane@example.com',
          ownerName: 'Jane',
          segment: 'Low',
          revenueT12m: 1_000,
          revenuePeriod: 100,
          firstInvoiceOn: '2026-02-20',
        },
      ],
    } as unknown as PortfolioAnalysis;
    const quarantine = {
      counts: [],
      revenueLinesChecked: 1,
      revenueLinesQuarantined: 0,
      accountsChecked: 1,
      accountsQuarantined: 0,
    };
    const config = parseRunConfig({ validation: { maxQuarantinedShare: 0.5 } });
    const {
      sales,
      quarantine: merged,
      quarantinedRows,
    } = salesOfRun(
      await readSalesInputs(
        engine,
        sql,
        new Set(analysis.accounts.map((a) => a.accountId)),
        config,
        analysis.period,
        '2026-11-02',
      ),
      analysis,
      config,
      quarantine,
    );
    expect(warnings).toEqual([]);
    expect(sales.opportunities?.opportunities.map((o) => [o.opportunityId, o.amount])).toEqual([
      ['O-1', 12_000],
    ]);
    expect(merged.counts).toEqual([{ table: 'opportunities', reason: 'unknown_stage', rows: 1, amount: 10 }]);
    expect(quarantinedRows).toEqual([
      expect.objectContaining({
        table: 'opportunities',
        reason: 'unknown_stage',
        accountId: 'A1',
        amount: '10.0',
      }),
    ]);
    const low = sales.segments.find((s) => s.segment === 'Low' && s.window.name === 't12m');
    expect(low?.opportunities).toMatchObject({ won: 1, conversionRate: 1, cycleMedianDays: 45 });
    // Q1 2026 spread over January to March: all three months are in the T12M window.
    expect(low?.economics).toMatchObject({ costToServe: 300, newAccounts: 1, acquisitionCost: 0 });
    athena.restore();
  });

  it('reads the planned optional tables from REVSEG_OPTIONAL_TABLES, none when unset, and refuses a bad list', () => {
    const base = {
      REVSEG_RUN_CONFIG_FILE: '/var/task/run-config.json',
      REVSEG_SQL_DIR: '/var/task/sql',
      REVSEG_PLAN_BUCKET: 'results-bucket',
    };
    expect(readEnv(planEnvSchema, base).REVSEG_OPTIONAL_TABLES).toEqual([]);
    expect(
      readEnv(planEnvSchema, { ...base, REVSEG_OPTIONAL_TABLES: 'opportunities,costs' })
        .REVSEG_OPTIONAL_TABLES,
    ).toEqual(['opportunities', 'costs']);
    expect(() => readEnv(planEnvSchema, { ...base, REVSEG_OPTIONAL_TABLES: 'opportunities; costs' })).toThrow(
      /REVSEG_OPTIONAL_TABLES="opportunities; costs": use table names separated by commas/,
    );
  });

  it('creates the Glue input tables and tells the plan function when the deployment configures them', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = buildStacks(
      app,
      parseDeployConfig({
        account: '123456789012',
        region: 'eu-west-1',
        input: { optionalTables: ['opportunities', 'costs'] },
        runConfig: { mail: { allowedDomains: ['example.com'] } },
      }),
    );
    const data = Template.fromStack(stacks.data);
    for (const [table, columns] of [
      ['opportunities', ['opportunity_id', 'account_id', 'created_on', 'closed_on', 'stage', 'amount']],
      ['costs', ['period', 'account_id', 'segment', 'kind', 'amount']],
    ] as const) {
      data.hasResourceProperties('AWS::Glue::Table', {
        TableInput: Match.objectLike({
          Name: table,
          StorageDescriptor: Match.objectLike({
            Columns: columns.map((name) => ({ Name: name, Type: 'string' })),
          }),
        }),
      });
    }
    Template.fromStack(stacks.pipeline).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REVSEG_OPTIONAL_TABLES: 'opportunities,costs' }) },
    });
  });
});

describe('costs of fiscal quarters', () => {
  it('reads a fiscal quarter named by the year before the window starts (fiscal year from October)', () => {
    // 2027-01 with a fiscal year from October: the window starts in February 2026; 2025-Q4 is July to September
    // 2026, inside it, and its id starts with 2025.
    const period = parsePeriod('2027-01', 'monthly', 10);
    const fromYear = String(costParams(period).from_year);
    expect('2025' >= fromYear).toBe(true);
  });
});
