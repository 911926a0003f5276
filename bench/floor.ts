// The floor: a bare DuckDB GROUP BY account_id over the same files, in its own process. With `dedupe`, the
// pass the job cannot skip instead: every line grouped by all its columns, as finding identical lines needs.
import { DuckDBInstance } from '@duckdb/node-api';
import { discoverInputs } from '../lambdas/adapters/local/local-runtime.ts';

const [dataDir, mode = 'group-by-account'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: floor.ts <dataDir> [group-by-account|dedupe]');
const input = discoverInputs(dataDir).revenue_lines;
if (!input) throw new Error(`no revenue_lines in ${dataDir}`);
const started = performance.now();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const source =
  input.path.endsWith('.parquet') || input.path.endsWith('.csv')
    ? input.path
    : `${input.path}/*.${input.format}`;
const reader = input.format === 'csv' ? `read_csv('${source}', header = true)` : `read_parquet('${source}')`;
const query =
  mode === 'dedupe'
    ? `SELECT count(DISTINCT account_id) AS accounts FROM (SELECT account_id, invoice_id, booked_on, amount, currency, product, count(*) AS copies FROM ${reader} GROUP BY ALL)`
    : `SELECT count(*) AS accounts FROM (SELECT account_id, sum(TRY_CAST(amount AS DOUBLE)) AS revenue FROM ${reader} GROUP BY account_id)`;
const result = await connection.runAndReadAll(query);
const accounts = Number(result.getRows()[0]?.[0]);
connection.closeSync();
process.stdout.write(
  `${JSON.stringify({ totalMs: Math.round(performance.now() - started), accounts, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
