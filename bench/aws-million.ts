// `tsx bench/aws-million.ts write <file.csv> <accounts>` writes a synthetic book's account_features result as
// Athena writes it to S3 (header, every value quoted, NULL empty). `tsx bench/aws-million.ts run <file.csv>`
// then reads it through the AWS result reader (S3 and Athena mocked: GetObject streams the local file,
// GetQueryResults gives the column types) and runs the job's in-memory steps on it: segment and KPIs,
// predictions, clusters and plan, snapshot tables and their Parquet, the mails. Its last line is a JSON
// summary with each stage's time, the peak RSS and the peak heap. Prints numbers; asserts nothing.
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AthenaClient, type ColumnInfo, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { fetchAthenaResults } from '../lambdas/adapters/aws/athena-results.ts';
import { FileSqlSource } from '../lambdas/adapters/local/file-sql-source.ts';
import { analyzePortfolio } from '../lambdas/core/analyze-portfolio.ts';
import { parseRunConfig } from '../lambdas/core/config.ts';
import { MONTH_COLUMNS } from '../lambdas/core/features.ts';
import { parsePeriod } from '../lambdas/core/period.ts';
import { computePredictions } from '../lambdas/core/predictions.ts';
import type { QuarantineSummary } from '../lambdas/core/quarantine.ts';
import { planPeriod, runPlaybook } from '../lambdas/core/quarterly-review.ts';
import { buildLeadershipMail, buildOwnerMails } from '../lambdas/core/report/index.ts';
import { encodeParquet } from '../lambdas/core/snapshot/parquet.ts';
import { buildSnapshotTables } from '../lambdas/core/snapshot/tables.ts';
import type { AccountFeatures } from '../lambdas/core/types.ts';
import { readAccountFeatures } from '../lambdas/jobs/steps/read-input.ts';
import type { QueryEngine } from '../lambdas/ports/query-engine.ts';
import { syntheticCohorts, syntheticFeatureRows, syntheticPurchases } from './synthetic-book.ts';

const [mode, file, count, ownerCount] = process.argv.slice(2);
if ((mode !== 'write' && mode !== 'run') || !file) {
  throw new Error('usage: aws-million.ts write <file.csv> <accounts> [owners] | run <file.csv>');
}

/** sql/account_features.sql's columns and their Athena types, in order. */
const FEATURE_COLUMNS: [string, string][] = [
  ['account_id', 'varchar'],
  ['account_name', 'varchar'],
  ['owner_email', 'varchar'],
  ['owner_name', 'varchar'],
  ['industry', 'varchar'],
  ['country', 'varchar'],
  ['employee_count', 'double'],
  ['created_on', 'date'],
  ['last_reviewed_on', 'date'],
  ['revenue_t12m', 'double'],
  ['revenue_prior_t12m', 'double'],
  ['invoices_t12m', 'bigint'],
  ['invoices_prior_t12m', 'bigint'],
  ['first_invoice_on', 'date'],
  ['last_invoice_on', 'date'],
  ['recency_days', 'bigint'],
  ['tenure_days', 'bigint'],
  ...MONTH_COLUMNS.map((c): [string, string] => [c, 'double']),
];

function csvLine(values: readonly unknown[]): string {
  return `${values.map((v) => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`)).join(',')}\n`;
}

function featureValues(f: AccountFeatures): unknown[] {
  const months = [...f.monthlyRevenue].reverse();
  return [
    f.accountId,
    f.accountName,
    f.ownerEmail,
    f.ownerName,
    f.industry,
    f.country,
    f.employeeCount,
    f.createdOn,
    f.lastReviewOn ?? null,
    f.revenueT12m,
    f.revenuePriorT12m,
    f.invoicesT12m,
    f.invoicesPriorT12m,
    f.firstInvoiceOn,
    f.lastInvoiceOn,
    f.recencyDays,
    f.tenureDays,
    ...months,
  ];
}

if (mode === 'write') {
  const fd = openSync(file, 'w');
  let chunk = csvLine(FEATURE_COLUMNS.map(([name]) => name));
  for (const features of syntheticFeatureRows(Number(count ?? 1_000_000), 11, Number(ownerCount ?? 200))) {
    chunk += csvLine(featureValues(features));
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  process.exit(0);
}

const started = performance.now();
let peakHeapMb = 0;
const stages: { stage: string; ms: number; rows?: number }[] = [];
async function stage<T>(name: string, work: () => T | Promise<T>, rows?: (value: T) => number): Promise<T> {
  const at = performance.now();
  const value = await work();
  stages.push({ stage: name, ms: Math.round(performance.now() - at), rows: rows?.(value) });
  peakHeapMb = Math.max(peakHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
  return value;
}
// Heap peaks inside a stage too; sample it while the stages run.
const sampler = setInterval(() => {
  peakHeapMb = Math.max(peakHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
}, 50);

const location = 's3://results-bucket/results/features.csv';
const columns: ColumnInfo[] = FEATURE_COLUMNS.map(([Name, Type]) => ({ Name, Type }));
mockClient(AthenaClient)
  .on(GetQueryResultsCommand)
  .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [] } });
mockClient(S3Client)
  .on(GetObjectCommand)
  .callsFake(async () => ({ Body: createReadStream(file) }));
const athena = new AthenaClient({ region: 'eu-west-1' });
const s3 = new S3Client({ region: 'eu-west-1' });
const engine: QueryEngine = {
  query: async <T>() =>
    (await fetchAthenaResults(
      athena,
      {
        QueryExecutionId: 'bench',
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        ResultConfiguration: { OutputLocation: location },
      },
      s3,
    )) as T[],
  describeTable: async () => undefined,
};

const config = parseRunConfig({});
const period = parsePeriod('2026-10', 'monthly', 1);
const generatedAt = new Date('2026-11-02T06:00:00Z');
const features = await stage(
  'read account_features (S3 CSV)',
  () => readAccountFeatures(engine, new FileSqlSource(path.resolve('sql')), period, '2026-11-02', 'USD'),
  (f) => f.length,
);
const ids = features.map((f) => f.accountId);
const purchases = syntheticPurchases(ids, 2005);
const cohortRows = syntheticCohorts(ids, 3);
const analysis = await stage(
  'segment and compute KPIs',
  () => analyzePortfolio(features, period, config.segments),
  (a) => a.accounts.length,
);
const predictions = await stage('predict', () =>
  computePredictions({ period, accounts: analysis.accounts, purchases, cohortRows, config }),
);
const planned = await stage('cluster and plan', () => planPeriod(analysis, config, runPlaybook(config)));
const quarantine = {
  revenueLinesChecked: features.length * 75,
  revenueLinesQuarantined: 0,
  accountsChecked: features.length,
  accountsQuarantined: 0,
  counts: [],
} as unknown as QuarantineSummary;
const tables = await stage('build snapshot tables', () =>
  buildSnapshotTables({
    analysis,
    quarantine,
    quarantinedRows: [],
    config,
    generatedAt,
    clusters: planned.clusters,
    predictions,
  }),
);
await stage(
  'encode snapshot Parquet',
  () => tables.tables.reduce((bytes, table) => bytes + encodeParquet(table).byteLength, 0),
  () => tables.tables.reduce((rows, table) => rows + table.rows.length, 0),
);
const context = {
  config,
  analysis,
  quarantine,
  generatedAt,
  snapshotLocation: 's3://store-bucket/snapshots/',
  clusters: planned.clusters,
  resourcePlan: planned.resourcePlan,
  predictions,
};
await stage(
  'build leadership and owner mails',
  () => [buildLeadershipMail(context), ...buildOwnerMails(context)],
  (mails) => mails.length,
);
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({
    totalMs: Math.round(performance.now() - started),
    // CPU time as well: on a shared machine the wall time says more about the neighbours than about the job.
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    accounts: features.length,
    stages,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapMb: Math.round(peakHeapMb),
  })}\n`,
);
