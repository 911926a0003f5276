import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverInputs, openLocalRuntime } from '../../lambdas/adapters/local/local-runtime.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { type RunSummary, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';

// The multi-currency golden fixtures (test/fixtures/sql/fx/README.md): 18 lines, 8 of them quarantined.
const fixtures = fileURLToPath(new URL('../fixtures/sql/fx/', import.meta.url));
const clock = fixedClock('2026-11-02T09:00:00Z');
const lenient = parseRunConfig({
  validation: { maxQuarantinedShare: 0.9 },
  mail: { leadership: ['cfo@example.com'] },
});

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'revseg-fx-job-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data folder with the fixture book and, when given, one of the fixture rate files as fx_rates.csv. */
function dataFolder(name: string, fxRates?: string): string {
  const dir = path.join(root, name, 'data');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(fixtures, 'revenue_lines.csv'), path.join(dir, 'revenue_lines.csv'));
  copyFileSync(path.join(fixtures, 'accounts.csv'), path.join(dir, 'accounts.csv'));
  if (fxRates) copyFileSync(path.join(fixtures, fxRates), path.join(dir, 'fx_rates.csv'));
  return dir;
}

async function run(name: string, fxRates: string | undefined, config = lenient) {
  const out = path.join(root, name, 'out');
  const runtime = await openLocalRuntime({
    inputs: discoverInputs(dataFolder(name, fxRates)),
    outDir: out,
    logger: silentLogger,
    clock,
  });
  try {
    const summary = await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
    return { summary, out, error: undefined };
  } catch (error) {
    return { summary: undefined, out, error: error as Error };
  } finally {
    await runtime.close();
  }
}

const leadershipText = (out: string) =>
  readFileSync(path.join(out, 'outbox', 'monthly-2026-10-leadership.html'), 'utf8').replaceAll('\u00a0', ' ');

describe('a run of a multi-currency book', () => {
  let summary: RunSummary;
  let out: string;

  beforeAll(async () => {
    const result = await run('with-rates', 'fx_rates.csv');
    if (result.error) throw result.error;
    summary = result.summary as RunSummary;
    out = result.out;
  });

  it('segments on revenue converted to USD by booking month', async () => {
    const { rows } = await querySnapshots(
      path.join(out, 'store'),
      "select account_id, revenue_t12m from account_segments where period = '2026-10' order by account_id",
    );
    // by hand (README): B1 105 + 220.01 + 12; B2 100 - 10 + 0.03 + 15; B3 300 + 40 + 5
    expect(rows).toEqual([
      { account_id: 'B1', revenue_t12m: 337.01 },
      { account_id: 'B2', revenue_t12m: 105.03 },
      { account_id: 'B3', revenue_t12m: 345 },
    ]);
    expect(summary.analysis.portfolio.revenueT12m).toBeCloseTo(787.04, 9);
  });

  it('quarantines lines without a rate or with an invalid currency and records each one', async () => {
    const counts = Object.fromEntries(summary.quarantine.counts.map((c) => [c.reason, c.rows]));
    expect(counts).toMatchObject({ missing_fx_rate: 3, invalid_currency: 2 });
    const { rows } = await querySnapshots(
      path.join(out, 'store'),
      "select reason, invoice_id from quarantine where reason in ('missing_fx_rate', 'invalid_currency') order by invoice_id",
    );
    expect(rows).toEqual([
      { reason: 'missing_fx_rate', invoice_id: 'F-12' },
      { reason: 'invalid_currency', invoice_id: 'F-17' },
      { reason: 'missing_fx_rate', invoice_id: 'F-4' },
      { reason: 'missing_fx_rate', invoice_id: 'F-5' },
      { reason: 'invalid_currency', invoice_id: 'F-9' },
    ]);
    const { rows: details } = await querySnapshots(
      path.join(out, 'store'),
      "select amount, detail from quarantine where invoice_id = 'F-4'",
    );
    expect(details).toEqual([
      {
        amount: '50.00',
        detail: 'no fx_rates row for EUR in 2026-07: add it to fx_rates; currency=EUR; product=Core',
      },
    ]);
  });

  it('snapshots the conversion per outcome, currency and month', async () => {
    const { rows } = await querySnapshots(
      path.join(out, 'store'),
      "select outcome, line_currency, booked_month, lines, amount_line_currency, amount_reporting, currency from currency_conversion where period = '2026-10' order by outcome, line_currency, booked_month",
    );
    expect(rows).toEqual(
      [
        ['converted', 'EUR', '2026-08', 1, 10, 12],
        ['converted', 'EUR', '2026-09', 1, 200.01, 220.01],
        ['converted', 'EUR', '2026-10', 1, 100, 105],
        ['converted', 'GBP', '2026-10', 4, 84.02, 105.03],
        ['invalid_currency', 'E1R', '2026-10', 1, 1, null],
        ['invalid_currency', 'GB£', '2026-10', 1, 10, null],
        ['missing_fx_rate', 'CHF', '2026-10', 1, 7, null],
        ['missing_fx_rate', 'EUR', '2026-07', 2, 75.5, null],
      ].map(([outcome, line_currency, booked_month, lines, amount_line_currency, amount_reporting]) => ({
        outcome,
        line_currency,
        booked_month,
        lines,
        amount_line_currency,
        amount_reporting,
        currency: 'USD',
      })),
    );
  });

  it('tells leadership the reporting currency and the revenue a missing rate affected, in its own currency', () => {
    const html = leadershipText(out);
    expect(html).toContain('All amounts are in USD, the reporting currency.');
    expect(html).toContain('Currency conversion to USD');
    expect(html).toContain('Revenue affected by missing FX rates');
    expect(html).toMatch(/EUR<\/td>\s*<td[^>]*>2026-07<\/td>\s*<td[^>]*>2<\/td>\s*<td[^>]*>EUR 75\.50<\/td>/);
    expect(html).toContain('add EUR,2026-07,&lt;rate to USD&gt; to fx_rates');
  });

  it('tells an owner whose account is invoiced in EUR that the amounts are in USD', () => {
    const owner = readFileSync(
      path.join(out, 'outbox', 'monthly-2026-10-owner-anna-example-com.html'),
      'utf8',
    );
    expect(owner).toContain('Amounts are in USD, the reporting currency');
  });
});

describe('a run that cannot trust its input', () => {
  it('stops before writing or mailing anything when an fx_rates row cannot be used', async () => {
    const { error, out } = await run('rejected-rates', 'fx_rates_rejected.csv');
    expect(error).toBeInstanceOf(InputContractError);
    expect(error?.message).toMatch(/^fx_rates \(.*fx_rates\.csv\) has 10 of 11 rows that cannot be used/);
    expect(error?.message).toContain(
      "fx_rates row (currency 'CHF', month '2026-10', rate_to_reporting '1.10'): the same currency and month appear with different rates",
    );
    expect(error?.message).toContain("month '2026-13'");
    expect(existsSync(path.join(out, 'store'))).toBe(false);
    expect(existsSync(path.join(out, 'outbox'))).toBe(false);
  });

  it('stops when the lines without a rate are too many, naming the reason', async () => {
    const { error, out } = await run('no-rates-strict', undefined, parseRunConfig({}));
    expect(error).toBeInstanceOf(InputContractError);
    // every EUR, GBP and CHF line but the future-dated F-13: both copies of F-1 and the unknown account's too,
    // as a missing rate is the line's own problem
    expect(error?.message).toMatch(/missing_fx_rate: 12/);
    expect(existsSync(path.join(out, 'store'))).toBe(false);
  });

  it('says the rates are not available when a book in several currencies has no fx_rates', async () => {
    const { error, summary, out } = await run('no-rates', undefined);
    expect(error).toBeUndefined();
    expect(summary?.analysis.portfolio.revenueT12m).toBe(345);
    expect(leadershipText(out)).toContain(
      'Revenue affected by missing FX rates: not available: needs fx_rates.',
    );
  });
});
