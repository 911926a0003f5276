import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverInputs,
  type InputFile,
  openLocalRuntime,
} from '../../lambdas/adapters/local/local-runtime.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { PLANTED_SALES_PROBLEMS } from '../../lambdas/core/sample/sales-inputs.ts';
import { runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';

const AS_OF = '2026-11-02';
const clock = fixedClock(`${AS_OF}T09:00:00Z`);
const config = parseRunConfig({
  mail: { leadership: ['cro@example.com'] },
  models: { clv: { grossMargin: 0.6 } },
});
const PERIOD = "cadence = 'monthly' and period = '2026-10'";

async function run(root: string, out: string, inputs: Record<string, InputFile>) {
  const runtime = await openLocalRuntime({
    inputs,
    outDir: path.join(root, out),
    logger: silentLogger,
    clock,
  });
  try {
    return {
      summary: await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' }),
      runtime,
    };
  } finally {
    await runtime.close();
  }
}

async function mailText(outbox: string, id: string): Promise<string> {
  const mail = await simpleParser(readFileSync(path.join(outbox, `${id}.eml`)));
  return mail.text ?? '';
}

/**
 * Conversion, pipeline, costs and CAC per segment over T12M (2025-11-01..2026-10-31), computed in SQL straight
 * from the input CSVs and the snapshot's account segments, with the contract's rules written out again.
 */
const INDEPENDENT = `
WITH seg AS (SELECT account_id, segment, first_invoice_on, revenue_t12m FROM read_parquet($segments)),
raw AS (SELECT *, row_number() OVER () AS rn FROM read_csv($opportunities, header = true, all_varchar = true)),
firsts AS (SELECT opportunity_id, min(rn) AS rn FROM raw WHERE trim(opportunity_id) <> '' GROUP BY 1),
opp AS (
  SELECT s.segment, lower(trim(r.stage)) AS stage, CAST(r.created_on AS DATE) AS created, TRY_CAST(r.closed_on AS DATE) AS closed,
         CAST(r.amount AS DOUBLE) AS amount
  FROM raw r JOIN firsts f ON f.rn = r.rn JOIN seg s ON s.account_id = r.account_id
  WHERE lower(trim(r.stage)) IN ('open', 'won', 'lost') AND TRY_CAST(r.created_on AS DATE) IS NOT NULL
    AND (r.closed_on IS NULL OR TRY_CAST(r.closed_on AS DATE) IS NOT NULL)
    AND (lower(trim(r.stage)) = 'open' OR r.closed_on IS NOT NULL)
    AND (r.closed_on IS NULL OR CAST(r.closed_on AS DATE) >= CAST(r.created_on AS DATE))
    AND CAST(r.created_on AS DATE) <= DATE '${AS_OF}'
    AND (lower(trim(r.stage)) = 'open' OR CAST(r.closed_on AS DATE) <= DATE '${AS_OF}')
    AND TRY_CAST(r.amount AS DOUBLE) >= 0
),
opp_kpi AS (
  SELECT segment,
    count(*) FILTER (WHERE stage = 'won' AND closed BETWEEN DATE '2025-11-01' AND DATE '2026-10-31') AS won,
    count(*) FILTER (WHERE stage = 'lost' AND closed BETWEEN DATE '2025-11-01' AND DATE '2026-10-31') AS lost,
    count(*) FILTER (WHERE created <= DATE '2026-10-31' AND (stage = 'open' OR closed > DATE '2026-10-31')) AS open_count,
    coalesce(sum(amount) FILTER (WHERE created <= DATE '2026-10-31' AND (stage = 'open' OR closed > DATE '2026-10-31')), 0) AS open_amount,
    median(date_diff('day', created, closed)) FILTER (WHERE stage = 'won' AND closed BETWEEN DATE '2025-11-01' AND DATE '2026-10-31') AS cycle_median
  FROM opp GROUP BY 1
),
craw AS (SELECT * FROM read_csv($costs, header = true, all_varchar = true)),
cost AS (
  SELECT coalesce(s.segment, c.segment) AS segment, lower(trim(c.kind)) AS kind, CAST(c.amount AS DOUBLE) AS amount,
         CASE WHEN c.period LIKE '%Q%' THEN 3 ELSE 1 END AS months,
         CASE WHEN c.period LIKE '%Q%'
              THEN make_date(CAST(left(c.period, 4) AS INTEGER), 3 * CAST(right(c.period, 1) AS INTEGER) - 2, 1)
              ELSE CAST(c.period || '-01' AS DATE) END AS first_month
  FROM craw c LEFT JOIN seg s ON s.account_id = c.account_id
  WHERE (regexp_full_match(c.period, '\\d{4}-(0[1-9]|1[0-2])') OR regexp_full_match(c.period, '\\d{4}-Q[1-4]'))
    AND lower(trim(c.kind)) IN ('acquisition', 'service')
    AND ((c.account_id IS NULL) <> (c.segment IS NULL))
    AND TRY_CAST(c.amount AS DOUBLE) >= 0
    AND (c.account_id IS NULL OR s.account_id IS NOT NULL)
    AND (c.segment IS NULL OR c.segment IN ('High', 'Medium', 'Low', 'Inactive'))
),
cost_months AS (
  -- a quarter in whole cents over its months, the last month taking the remainder
  SELECT segment, kind,
    CASE WHEN k = months - 1 THEN round(amount * 100) - floor(round(amount * 100) / months) * (months - 1)
         ELSE floor(round(amount * 100) / months) END / 100 AS amount,
    first_month + INTERVAL (k) MONTH AS month
  FROM cost, range(0, 3) t(k) WHERE k < months
),
cost_kpi AS (
  SELECT segment,
    coalesce(sum(amount) FILTER (WHERE kind = 'service'), 0) AS cost_to_serve,
    coalesce(sum(amount) FILTER (WHERE kind = 'acquisition'), 0) AS acquisition
  FROM cost_months WHERE month BETWEEN DATE '2025-11-01' AND DATE '2026-10-01' GROUP BY 1
),
names AS (SELECT * FROM (VALUES ('High'), ('Medium'), ('Low'), ('Inactive')) t(segment)),
new_kpi AS (
  SELECT n.segment, count(s.account_id) FILTER (WHERE s.first_invoice_on BETWEEN DATE '2025-11-01' AND DATE '2026-10-31') AS new_accounts,
         coalesce(sum(s.revenue_t12m), 0) AS revenue
  FROM names n LEFT JOIN seg s USING (segment) GROUP BY 1
)
SELECT n.segment, coalesce(o.won, 0) AS won, coalesce(o.lost, 0) AS lost, coalesce(o.open_count, 0) AS open_count,
       coalesce(o.open_amount, 0) AS open_amount, o.cycle_median, coalesce(c.cost_to_serve, 0) AS cost_to_serve,
       coalesce(c.acquisition, 0) AS acquisition, n.new_accounts, n.revenue
FROM new_kpi n LEFT JOIN opp_kpi o USING (segment) LEFT JOIN cost_kpi c USING (segment)
ORDER BY 1`;

describe('sales efficiency and profitability, end to end on a generated book', () => {
  let root: string;
  let inputs: Record<string, InputFile>;
  let outbox: string;
  let store: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'revseg-sales-e2e-'));
    await writeSampleBook({
      outDir: path.join(root, 'data'),
      lines: 8_000,
      seed: 11,
      asOf: AS_OF,
      salesInputs: true,
    });
    inputs = discoverInputs(path.join(root, 'data'));
    const { runtime } = await run(root, 'out', inputs);
    outbox = runtime.outboxDir;
    store = runtime.storeDir;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the sales inputs and quarantines exactly the planted bad rows, with their reasons', async () => {
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['opportunities', 'costs']));
    const { rows } = await querySnapshots(
      store,
      `select source_table, reason, count(*) as n from quarantine where ${PERIOD} and source_table in ('opportunities', 'costs') group by 1, 2`,
    );
    const found: Record<string, Record<string, number>> = { opportunities: {}, costs: {} };
    for (const r of rows)
      (found[String(r.source_table)] as Record<string, number>)[String(r.reason)] = Number(r.n);
    expect(found).toEqual(PLANTED_SALES_PROBLEMS);
    const negative = await querySnapshots(
      store,
      `select amount, detail from quarantine where ${PERIOD} and reason = 'negative_cost'`,
    );
    expect(negative.rows[0]?.amount).toBe('-250.00');
    expect(String(negative.rows[0]?.detail)).toMatch(/^row=\d+; period=\d{4}-\d{2}; segment=; kind=service$/);
  });

  it('writes per-segment T12M conversion, pipeline, costs, CAC and ROI that match an independent SQL computation', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const prepared = await connection.prepare(INDEPENDENT);
    prepared.bindVarchar(
      1,
      path.join(store, 'snapshots/account_segments/cadence=monthly/period=2026-10/part-00000.parquet'),
    );
    prepared.bindVarchar(2, inputs.opportunities?.path ?? '');
    prepared.bindVarchar(3, inputs.costs?.path ?? '');
    const expected = (await prepared.runAndReadAll()).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();

    const { rows } = await querySnapshots(
      store,
      `select * from segment_sales_efficiency where ${PERIOD} and window_name = 't12m' order by segment`,
    );
    expect(rows.map((r) => r.segment)).toEqual(expected.map((e) => e.segment));
    let closed = 0;
    for (const [i, row] of rows.entries()) {
      const e = expected[i] as Record<string, unknown>;
      const won = Number(e.won);
      const lost = Number(e.lost);
      closed += won + lost;
      expect(row.opportunities_available).toBe(true);
      expect(row.opportunities_won, String(row.segment)).toBe(won);
      expect(row.opportunities_lost).toBe(lost);
      expect(row.conversion_rate).toBe(won + lost > 0 ? won / (won + lost) : null);
      expect(row.sales_cycle_median_days).toBe(e.cycle_median === null ? null : Number(e.cycle_median));
      expect(row.pipeline_open_count).toBe(Number(e.open_count));
      expect(row.pipeline_open_amount).toBeCloseTo(Number(e.open_amount), 2);
      expect(row.costs_available).toBe(true);
      const costToServe = Number(e.cost_to_serve);
      const acquisition = Number(e.acquisition);
      const newAccounts = Number(e.new_accounts);
      const revenue = Number(e.revenue);
      expect(row.cost_to_serve).toBeCloseTo(costToServe, 1);
      expect(row.acquisition_cost).toBeCloseTo(acquisition, 1);
      expect(row.new_accounts).toBe(newAccounts);
      expect(row.revenue).toBeCloseTo(revenue, 2);
      expect(row.gross_margin).toBe(0.6);
      expect(row.gross_profit).toBeCloseTo(revenue * 0.6, 2);
      const profit = revenue * 0.6 - costToServe - acquisition;
      expect(row.profit).toBeCloseTo(profit, 1);
      if (newAccounts > 0) expect(row.cac).toBeCloseTo(acquisition / newAccounts, 2);
      else expect(row.cac).toBeNull();
      expect(row.roi).toBeCloseTo(profit / (costToServe + acquisition), 6);
    }
    expect(closed).toBeGreaterThan(50);
  });

  it('reports the section in the leadership mail and each owner their pipeline', async () => {
    const leadership = await mailText(outbox, 'monthly-2026-10-leadership');
    expect(leadership).toContain('Sales efficiency and profitability');
    expect(leadership).toMatch(/Inputs: opportunities: [\d,]+ rows checked, 7 quarantined/);
    expect(leadership.replace(/\s+/g, ' ')).toContain('gross margin of 60.0% (configured)');
    expect(leadership).not.toContain('not available: needs opportunities');
    // The body names the reasons in words; the attached data-quality CSV has every table and reason.
    const mail = await simpleParser(readFileSync(path.join(outbox, 'monthly-2026-10-leadership.eml')));
    const quality = mail.attachments
      .find((a) => a.filename === 'data-quality-2026-10.csv')
      ?.content.toString('utf8');
    expect(quality).toMatch(/2026-10,opportunities,unknown_stage,1,/);
    expect(quality).toMatch(/2026-10,costs,negative_cost,1,-250,/);
    const { rows } = await querySnapshots(
      store,
      `select count(distinct owner_email) as owners from owner_sales_efficiency where ${PERIOD}`,
    );
    expect(Number(rows[0]?.owners)).toBeGreaterThan(3);
    const owners = await querySnapshots(
      store,
      `select owner_email from owner_sales_efficiency where ${PERIOD} limit 1`,
    );
    const slug = String(owners.rows[0]?.owner_email).replace(/[^a-z0-9]+/g, '-');
    expect(await mailText(outbox, `monthly-2026-10-owner-${slug}`)).toMatch(
      /Your pipeline and conversion[\s\S]*Last 12 months: \d+ won of \d+ closed/,
    );
  });

  it('says "not available: needs <table>" and writes nulls when the sales inputs are absent', async () => {
    const { opportunities: _o, costs: _c, ...without } = inputs;
    const { runtime } = await run(root, 'out-without', without);
    const { rows } = await querySnapshots(
      runtime.storeDir,
      `select opportunities_available, costs_available, conversion_rate, cac, cost_to_serve from segment_sales_efficiency where ${PERIOD}`,
    );
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row).toEqual({
        opportunities_available: false,
        costs_available: false,
        conversion_rate: null,
        cac: null,
        cost_to_serve: null,
      });
    }
    const leadership = await mailText(runtime.outboxDir, 'monthly-2026-10-leadership');
    expect(leadership.replace(/\s+/g, ' ')).toContain(
      'Conversion rate, sales cycle and open pipeline: not available: needs opportunities.',
    );
    expect(leadership.replace(/\s+/g, ' ')).toContain('not available: needs costs.');
  });

  it('stops before writing anything when too many opportunity rows are bad', async () => {
    const bad = path.join(root, 'bad-opportunities.csv');
    writeFileSync(
      bad,
      'opportunity_id,account_id,created_on,closed_on,stage,amount\nO-1,ACC-UNKNOWN,2026-01-01,2026-02-01,won,10\nO-2,ACC-UNKNOWN,2026-01-01,,pending,5\n',
    );
    const out = path.join(root, 'out-bad');
    const runtime = await openLocalRuntime({
      inputs: { ...inputs, opportunities: { path: bad, format: 'csv' } },
      outDir: out,
      logger: silentLogger,
      clock,
    });
    try {
      const attempt = runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
      await expect(attempt).rejects.toThrow(InputContractError);
      await expect(
        runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' }),
      ).rejects.toThrow(
        /2 of 2 rows of opportunities \(opportunities \(.*bad-opportunities\.csv\)\) \(100\.0%\) failed validation.*nothing was written or sent.*row 1 \(opportunity 'O-1'\): account 'ACC-UNKNOWN'/,
      );
    } finally {
      await runtime.close();
    }
    expect(existsSync(path.join(out, 'store', 'snapshots'))).toBe(false);
    expect(existsSync(path.join(out, 'outbox'))).toBe(false);
  });
});
