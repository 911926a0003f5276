import { execSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { EntityNotFoundException, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetReadObjects } from 'hyparquet';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../lambdas/adapters/aws/s3-object-store.ts';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import type { RunPlan, StartedStatement } from '../../lambdas/handlers/events.ts';
import type { RunOutcome } from '../../lambdas/handlers/run-outcome.ts';
import { leaseKey } from '../../lambdas/jobs/steps/run-lease.ts';
import { CHART_ASSETS_FOLDER, chartAssetCopyCommands } from '../../lib/constructs/revseg-function.ts';

// A whole monthly period through both Lambda handlers and the real job, with every AWS client mocked:
// Athena answers each statement by running it on DuckDB over the small book below, S3 is a Map, SES records.

const REPO = path.resolve(import.meta.dirname, '..', '..');
const STORE_BUCKET = 'store-bucket';
const RESULTS_BUCKET = 'results-bucket';

// T12M of 2026-10 spans 2025-11..2026-10; the prior window 2024-11..2025-10.
const ACCOUNTS = [
  ['A1', 'Acme Corp', 'jane@example.com', 'Jane Doe', 'Software', 'US', '250', '2020-01-15'],
  ['A2', 'Beta GmbH', 'jane@example.com', 'Jane Doe', 'Retail', 'DE', '40', '2021-03-01'],
  ['A3', 'Gamma Ltd', 'raj@example.com', 'Raj Patel', 'Logistics', 'GB', '12', '2022-07-10'],
  ['A4', 'Delta SA', 'raj@example.com', 'Raj Patel', 'Energy', 'FR', '900', '2019-05-20'],
];
const LINES = [
  ['A1', 'INV-1', '2026-01-10', '50000.00', 'USD', 'Platform'], // T12M A1: 150,000 -> High
  ['A1', 'INV-2', '2026-05-10', '50000.00', 'USD', 'Platform'],
  ['A1', 'INV-3', '2026-09-10', '50000.00', 'USD', 'Platform'],
  ['A1', 'INV-0', '2025-03-10', '100000.00', 'USD', 'Platform'], // prior window
  ['A2', 'INV-4', '2026-10-05', '20000.00', 'EUR', 'Support'], // T12M A2: (20,000 - 2,000) EUR x 1.1 = 19,800 USD -> Medium
  ['A2', 'CN-1', '2026-10-20', '-2000.00', 'EUR', 'Support'],
  ['A3', 'INV-5', '2026-02-14', '5000.00', 'GBP', 'Support'], // T12M A3: 5,000 GBP x 1.25 = 6,250 USD -> Low
  ['A4', 'INV-6', '2025-06-30', '30000.00', 'EUR', 'Platform'], // prior window only -> Inactive
  ['', 'INV-7', '2026-03-01', '999.00', 'USD', 'Platform'], // missing account_id -> quarantined
];
const EXPECTED_SEGMENTS = { A1: 'High', A2: 'Medium', A3: 'Low', A4: 'Inactive' };
const EXPECTED_T12M = { A1: 150_000, A2: 19_800, A3: 6_250, A4: 0 };
// Each line in EUR or GBP converts at its booking month's rate (issue 6).
const FX_RATES = [
  ['EUR', '2026-10', '1.10'],
  ['GBP', '2026-02', '1.25'],
  ['EUR', '2025-06', '1.05'],
];

function csv(header: string, rows: string[][]): string {
  return `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'revseg-handler-'));
writeFileSync(
  path.join(dataDir, 'accounts.csv'),
  csv('account_id,account_name,owner_email,owner_name,industry,country,employee_count,created_on', ACCOUNTS),
);
writeFileSync(
  path.join(dataDir, 'revenue_lines.csv'),
  csv('account_id,invoice_id,booked_on,amount,currency,product', LINES),
);
writeFileSync(path.join(dataDir, 'fx_rates.csv'), csv('currency,month,rate_to_reporting', FX_RATES));

const runConfigFile = path.join(dataDir, 'run-config.json');
writeFileSync(
  runConfigFile,
  JSON.stringify({
    mail: { from: 'reports@example.com', leadership: ['cro@example.com'] },
    validation: { maxQuarantinedShare: 0.5 },
  }),
);

Object.assign(process.env, {
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'revenue-segments',
  POWERTOOLS_METRICS_NAMESPACE: 'RevenueSegments',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  REVSEG_SQL_DIR: path.join(REPO, 'sql'),
  REVSEG_RUN_CONFIG_FILE: runConfigFile,
  REVSEG_ATHENA_WORKGROUP: 'revenue-segments',
  REVSEG_GLUE_DATABASE: 'revenue_segments',
  REVSEG_STORE_BUCKET: STORE_BUCKET,
  REVSEG_PLAN_BUCKET: RESULTS_BUCKET,
  REVSEG_SES_MAX_SEND_RATE: '50',
  REVSEG_CHART_ASSETS_DIR: path.join(dataDir, CHART_ASSETS_FOLDER),
});
// The chart assets as the function's bundling copies them (the same commands, into a stand-in bundle folder).
for (const command of chartAssetCopyCommands(REPO, dataDir)) execSync(command);

const athena = mockClient(AthenaClient);
const glue = mockClient(GlueClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESClient);
const objects = new Map<string, Uint8Array>();
const executions = new Map<string, Record<string, unknown>[]>();
const liveQueries: string[] = [];
const plannedStarts: string[] = [];
const planObjects = new Map<string, string>();
const statePayloads: string[] = [];
let duck: DuckDbQueryEngine;

/** Runs an Athena statement (run values written in as literals) on DuckDB, as Athena would over the same files. */
/**
 * Runs an Athena statement (run values written in as literals) on DuckDB, as Athena would over the same files.
 * A staging CREATE TABLE AS keeps its table in DuckDB: its WITH clause (Parquet, S3 location) is Athena's own.
 */
function runOnDuckDb(queryString: string): Promise<Record<string, unknown>[]> {
  return duck.query(queryString.replace(/^(CREATE TABLE \w+)\nWITH \([^\n]*\)\nAS\n/, '$1 AS\n'));
}

function athenaType(values: unknown[]): string {
  const sample = values.find((v) => v !== null && v !== undefined);
  if (typeof sample === 'boolean') return 'boolean';
  if (typeof sample === 'number')
    return values.every((v) => v === null || Number.isInteger(v)) ? 'bigint' : 'double';
  return 'varchar';
}

/** Athena's GetQueryResults pages for rows: text cells, a header row first, two data rows per page. */
function resultPages(rows: Record<string, unknown>[]): GetQueryResultsOutput[] {
  const names = Object.keys(rows[0] ?? {});
  const ColumnInfo = names.map((Name) => ({ Name, Type: athenaType(rows.map((r) => r[Name])) }));
  const cells = (values: unknown[]) => ({
    Data: values.map((v) => (v === null || v === undefined ? {} : { VarCharValue: String(v) })),
  });
  const dataRows = rows.map((r) => cells(names.map((n) => r[n])));
  const pages: GetQueryResultsOutput[] = [];
  for (let start = 0; start === 0 || start < dataRows.length; start += 2) {
    const pageRows = dataRows.slice(start, start + 2);
    pages.push({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo },
        Rows: start === 0 ? [cells(names), ...pageRows] : pageRows,
      },
      NextToken: start + 2 < dataRows.length ? `page-${start + 2}` : undefined,
    });
  }
  return pages;
}

/** Athena's result CSV for rows: a header row, every value quoted, NULL as an empty unquoted field. */
function resultCsv(rows: Record<string, unknown>[]): string {
  const names = Object.keys(rows[0] ?? {});
  const field = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`);
  return [names.map(field), ...rows.map((r) => names.map((n) => field(r[n])))]
    .map((r) => `${r.join(',')}\n`)
    .join('');
}

function mockAws(): void {
  athena.on(StartQueryExecutionCommand).callsFake(async (input) => {
    if (input.ClientRequestToken) {
      // The state machine's query step: the same token finds the execution it already started.
      const id = `sfn-${input.ClientRequestToken}`;
      plannedStarts.push(input.ClientRequestToken);
      if (!executions.has(id)) executions.set(id, await runOnDuckDb(input.QueryString ?? ''));
      return { QueryExecutionId: id };
    }
    const id = `live-${liveQueries.length}`;
    liveQueries.push(input.QueryString);
    executions.set(id, await runOnDuckDb(input.QueryString ?? ''));
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).callsFake(async (input) => ({
    QueryExecution: {
      QueryExecutionId: input.QueryExecutionId,
      StatementType: 'DML',
      Status: { State: executions.has(input.QueryExecutionId) ? 'SUCCEEDED' : 'FAILED' },
      ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/results/${input.QueryExecutionId}.csv` },
    },
  }));
  athena.on(GetQueryResultsCommand).callsFake(async (input) => {
    const pages = resultPages(executions.get(input.QueryExecutionId) ?? []);
    const index = input.NextToken ? Number(input.NextToken.slice('page-'.length)) / 2 : 0;
    return pages[index];
  });

  const contract: Record<string, string> = {
    revenue_lines: 'account_id,invoice_id,booked_on,amount,currency,product',
    accounts: 'account_id,account_name,owner_email,owner_name,industry,country,employee_count,created_on',
    fx_rates: 'currency,month,rate_to_reporting',
  };
  glue.on(GetTableCommand).callsFake(async (input) => {
    const columns = contract[input.Name];
    if (!columns) throw new EntityNotFoundException({ message: `${input.Name} not found`, $metadata: {} });
    return {
      Table: {
        Name: input.Name,
        StorageDescriptor: {
          Location: `s3://input-bucket/input/${input.Name}/`,
          Columns: columns.split(',').map((Name) => ({ Name, Type: 'string' })),
        },
      },
    };
  });

  const etags = new Map<string, string>();
  const preconditionFailed = () =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: 412 },
      message: 'At least one of the pre-conditions you specified did not hold',
    });
  s3.on(PutObjectCommand).callsFake(async (input) => {
    if (input.Bucket === RESULTS_BUCKET) {
      planObjects.set(input.Key, new TextDecoder().decode(input.Body as Uint8Array));
      return {};
    }
    expect(input.Bucket).toBe(STORE_BUCKET);
    if (input.IfNoneMatch === '*' && objects.has(input.Key)) throw preconditionFailed();
    if (input.IfMatch !== undefined && etags.get(input.Key) !== input.IfMatch) throw preconditionFailed();
    objects.set(input.Key, new Uint8Array(input.Body as Uint8Array));
    const etag = `"${etags.size}-${Date.now()}-${Math.random()}"`;
    etags.set(input.Key, etag);
    return { ETag: etag };
  });
  s3.on(GetObjectCommand).callsFake(async (input) => {
    if (input.Bucket === RESULTS_BUCKET && planObjects.has(input.Key)) {
      const text = planObjects.get(input.Key) ?? '';
      return { Body: { transformToByteArray: async () => new TextEncoder().encode(text) } };
    }
    if (input.Bucket === RESULTS_BUCKET) {
      const id = /^results\/(.+)\.csv$/.exec(input.Key ?? '')?.[1] ?? '';
      return { Body: Readable.from([resultCsv(executions.get(id) ?? [])]) };
    }
    const body = objects.get(input.Key);
    if (!body) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return { Body: { transformToByteArray: async () => body }, ETag: etags.get(input.Key) };
  });
  s3.on(ListObjectsV2Command).callsFake(async (input) => ({
    Contents: [...objects.keys()].filter((k) => k.startsWith(input.Prefix ?? '')).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(DeleteObjectsCommand).callsFake(async (input) => {
    for (const { Key } of input.Delete?.Objects ?? []) {
      objects.delete(Key ?? '');
      etags.delete(Key ?? '');
    }
    return {};
  });

  ses
    .on(SendRawEmailCommand)
    .callsFake(async () => ({ MessageId: `ses-${ses.commandCalls(SendRawEmailCommand).length}` }));
}

type Handler<I, O> = (event: I) => Promise<O>;
let plan: Handler<unknown, RunPlan>;
let startQuery: Handler<unknown, StartedStatement>;
let job: Handler<unknown, RunOutcome>;

/**
 * What the state machine does: plan, then the query step per planned statement (started on "Athena" by key;
 * it has finished when the mock returns), then the job. The payloads go through JSON, as between states.
 */
async function runStateMachine(input: unknown): Promise<RunOutcome> {
  const planned = JSON.parse(JSON.stringify(await plan(input))) as RunPlan;
  statePayloads.push(JSON.stringify(planned));
  for (const stage of planned.stages) await startQuery(stage);
  const queries = [];
  for (const statement of planned.statements) queries.push(await startQuery(statement));
  const jobInput = {
    request: planned.request,
    runAt: planned.runAt,
    stagingTag: planned.stagingTag,
    queries,
  };
  statePayloads.push(JSON.stringify(jobInput));
  const outcome = await job(JSON.parse(JSON.stringify(jobInput)));
  for (const drop of planned.cleanup) await startQuery(drop);
  return outcome;
}

beforeAll(async () => {
  duck = await DuckDbQueryEngine.create({
    inputs: {
      revenue_lines: { path: path.join(dataDir, 'revenue_lines.csv'), format: 'csv' },
      accounts: { path: path.join(dataDir, 'accounts.csv'), format: 'csv' },
      fx_rates: { path: path.join(dataDir, 'fx_rates.csv'), format: 'csv' },
    },
  });
  mockAws();
  plan = (await import('../../lambdas/handlers/plan-queries.ts')).handler as Handler<unknown, RunPlan>;
  startQuery = (await import('../../lambdas/handlers/start-query.ts')).handler as Handler<
    unknown,
    StartedStatement
  >;
  job = (await import('../../lambdas/handlers/run-period.ts')).handler as Handler<unknown, RunOutcome>;
});

afterAll(async () => {
  await duck.close();
});

describe('a scheduled monthly run through the Lambda handlers', () => {
  let outcome: RunOutcome;
  let sends: { source: string; destinations: string[]; raw: Buffer }[];

  beforeAll(async () => {
    outcome = await runStateMachine({ cadence: 'monthly', scheduledTime: '2026-11-02T05:00:00Z' });
    sends = ses.commandCalls(SendRawEmailCommand).map((c) => ({
      source: c.args[0].input.Source ?? '',
      destinations: c.args[0].input.Destinations ?? [],
      raw: Buffer.from(c.args[0].input.RawMessage?.Data ?? new Uint8Array()),
    }));
  });

  it('runs the period that closed before the scheduled time, from precomputed results only', () => {
    expect(outcome.periodId).toBe('2026-10');
    expect(outcome.cadence).toBe('monthly');
    expect(outcome.runDate).toBe('2026-11-02');
    expect(outcome.accounts).toBe(4);
    expect(outcome.revenueLinesChecked).toBe(LINES.length);
    expect(outcome.revenueLinesQuarantined).toBe(1);
    expect(liveQueries).toEqual([]);
  });

  it('carries statement keys between the states, never SQL text; each statement started once by its token', () => {
    expect(planObjects.size).toBeGreaterThan(3);
    for (const payload of statePayloads) {
      expect(payload).not.toMatch(/\bSELECT\b|\bFROM\b/i);
      expect(payload).toContain('"key":"plans/monthly/2026-10/');
    }
    for (const text of planObjects.values()) expect(text).toMatch(/\bSELECT\b|\bDROP TABLE\b/i);
    expect(new Set(plannedStarts).size).toBe(plannedStarts.length);
  });

  it('stages the checked lines once, reads revenue_lines in no other statement, and drops the staged tables', async () => {
    const statements = [...planObjects.values()].map(
      (text) => JSON.parse(text) as { name: string; queryString: string },
    );
    const readers = statements
      .filter((s) => /\bFROM\s+revenue_lines\b/i.test(s.queryString))
      .map((s) => s.name);
    expect(readers).toEqual(['stage checked_revenue_lines']);
    expect(statements.filter((s) => s.queryString.startsWith('DROP TABLE')).length).toBe(
      statements.filter((s) => s.queryString.startsWith('CREATE TABLE')).length,
    );
    const left = await duck.query(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'revseg_stage_%'",
    );
    expect(left).toEqual([]);
  });

  it('reads each result from its CSV object in S3, asking GetQueryResults for the column types only', () => {
    const resultReads = s3
      .commandCalls(GetObjectCommand)
      .filter((c) => c.args[0].input.Bucket === RESULTS_BUCKET);
    expect(resultReads.length).toBeGreaterThan(0);
    for (const call of athena.commandCalls(GetQueryResultsCommand)) {
      expect(call.args[0].input.MaxResults).toBe(1);
    }
  });

  it('writes every snapshot table of the period and the manifest to S3', () => {
    for (const table of [
      'account_segments',
      'segment_kpis',
      'portfolio_kpis',
      'segment_migrations',
      'quarantine',
    ]) {
      expect(objects.has(`snapshots/${table}/cadence=monthly/period=2026-10/part-00000.parquet`)).toBe(true);
    }
    expect(outcome.manifestKey).toBe('snapshots/_manifests/cadence=monthly/period=2026-10.json');
    expect(objects.has(outcome.manifestKey)).toBe(true);
    expect(outcome.snapshotLocation).toBe(`s3://${STORE_BUCKET}/snapshots/`);
  });

  it('puts each account in the segment its T12M revenue calls for', async () => {
    const bytes = objects.get('snapshots/account_segments/cadence=monthly/period=2026-10/part-00000.parquet');
    const file = bytes?.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = await parquetReadObjects({ file });
    const byAccount = Object.fromEntries(rows.map((r) => [r.account_id, r]));
    for (const [id, segment] of Object.entries(EXPECTED_SEGMENTS)) {
      expect(byAccount[id]?.segment).toBe(segment);
      expect(Number(byAccount[id]?.revenue_t12m)).toBeCloseTo(
        EXPECTED_T12M[id as keyof typeof EXPECTED_T12M],
        2,
      );
    }
  });

  it('mails leadership and each owner once, from the configured sender, with the MIME message', async () => {
    expect(sends.map((s) => s.destinations[0]).sort()).toEqual([
      'cro@example.com',
      'jane@example.com',
      'raj@example.com',
    ]);
    expect(new Set(sends.map((s) => s.source))).toEqual(new Set(['reports@example.com']));
    expect(outcome.mails.sent).toBe(3);
    expect(outcome.failedMails).toEqual([]);

    const jane = sends.find((s) => s.destinations[0] === 'jane@example.com');
    const parsed = await simpleParser(jane?.raw ?? Buffer.alloc(0));
    expect(parsed.from?.text).toContain('reports@example.com');
    expect(parsed.subject).toContain('October 2026');
    const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '';
    expect(to).toContain('jane@example.com');
    const text = `${parsed.text ?? ''}${parsed.attachments.map((a) => a.content.toString('utf8')).join('')}`;
    expect(text).toContain('Acme Corp');
    expect(text).toContain('Beta GmbH');
    expect(text).not.toContain('Gamma Ltd');
    expect(text).not.toContain('Delta SA');
  });

  it('draws the charts from the bundled assets and sends them inline with the leadership mail', async () => {
    const cro = sends.find((s) => s.destinations[0] === 'cro@example.com');
    const parsed = await simpleParser(cro?.raw ?? Buffer.alloc(0), { keepCidLinks: true });
    const images = parsed.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.filename)).toEqual(
      expect.arrayContaining(['segment-trend.png', 'revenue-bridge.png', 'lorenz-curve.png']),
    );
    for (const image of images) {
      expect(image.contentDisposition).toBe('inline');
      expect(parsed.html).toContain(`cid:${image.cid}`);
      expect(image.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });

  it('records each delivery in the mail ledger', () => {
    const ledger = [...objects.keys()].filter((k) =>
      k.startsWith('mail-ledger/cadence=monthly/period=2026-10/'),
    );
    expect(ledger).toHaveLength(3);
    for (const key of ledger) {
      expect(JSON.parse(new TextDecoder().decode(objects.get(key)))).toMatchObject({ status: 'sent' });
    }
  });

  it('refuses a run of a period another run holds, with a RunLeaseError the state machine reports', async () => {
    const lease = {
      runId: 'other-run',
      host: 'another-host',
      pid: 4242,
      acquiredAt: '2026-11-02T05:00:00.000Z',
      expiresAt: '2999-01-01T00:00:00.000Z',
    };
    const key = leaseKey('monthly', '2026-08');
    const store = new S3ObjectStore({ bucket: STORE_BUCKET, client: new S3Client({ region: 'eu-west-1' }) });
    await store.put(key, new TextEncoder().encode(JSON.stringify(lease)));
    try {
      const refused = runStateMachine({ cadence: 'monthly', periodId: '2026-08' });
      await expect(refused).rejects.toMatchObject({ name: 'RunLeaseError' });
      await expect(refused).rejects.toThrow('another run of monthly 2026-08 is in progress (run other-run');
      expect(objects.has('snapshots/_manifests/cadence=monthly/period=2026-08.json')).toBe(false);
    } finally {
      await store.delete([key]);
    }
  });

  it('mails nobody for a backfill started with skipMail, and still writes its snapshot', async () => {
    const before = ses.commandCalls(SendRawEmailCommand).length;
    const backfill = await runStateMachine({ cadence: 'monthly', periodId: '2026-09', skipMail: true });
    expect(ses.commandCalls(SendRawEmailCommand).length).toBe(before);
    expect(backfill.periodId).toBe('2026-09');
    expect(backfill.mails.sent).toBe(0);
    expect(backfill.mails.skipped).toBeGreaterThan(0);
    expect(objects.has(backfill.manifestKey)).toBe(true);
  });

  it('mails nobody again when the same period runs again, and replaces the snapshot', async () => {
    const before = ses.commandCalls(SendRawEmailCommand).length;
    const rerun = await runStateMachine({ cadence: 'monthly', periodId: '2026-10' });
    expect(ses.commandCalls(SendRawEmailCommand).length).toBe(before);
    expect(rerun.mails.sent).toBe(0);
    expect(rerun.mails['already-sent']).toBe(3);
    expect(rerun.periodId).toBe('2026-10');
    expect(objects.has(rerun.manifestKey)).toBe(true);
  });
});
