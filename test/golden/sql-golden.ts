import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { MONTH_COLUMNS } from '../../lambdas/core/features.ts';
import type { GoldenEngine, OpenEngine } from './golden-engine.ts';

/** Runs these golden cases on the engine `open` gives; the expectations do not depend on the engine. */
export function sqlGoldenTests(engineName: string, open: OpenEngine): void {
  const fixtures = fileURLToPath(new URL('../fixtures/sql/', import.meta.url));
  const fxFixtures = path.join(fixtures, 'fx');
  const sqlDir = fileURLToPath(new URL('../../sql/', import.meta.url));
  const RUN_DATE = '2026-11-02';

  interface ExpectedFeatures extends Record<string, unknown> {
    nonzero_months: Record<string, number>;
  }

  function expected(name: string, dir = fixtures): Record<string, unknown>[] {
    return JSON.parse(readFileSync(path.join(dir, 'expected', `${name}.json`), 'utf8'));
  }

  /** Expands the hand-written sparse months into the 24 columns the query returns. */
  function expectedFeatures(name: string, dir = fixtures): Record<string, unknown>[] {
    return (expected(name, dir) as ExpectedFeatures[]).map(({ nonzero_months, ...row }) => ({
      ...row,
      ...Object.fromEntries(MONTH_COLUMNS.map((m) => [m, nonzero_months[m] ?? 0])),
    }));
  }

  const cases: { file: string; params: Record<string, string>; expected: () => Record<string, unknown>[] }[] =
    [
      {
        file: 'quarantine_summary',
        params: { run_date: RUN_DATE, reporting_currency: 'USD' },
        expected: () => expected('quarantine_summary'),
      },
      {
        file: 'quarantined_rows',
        params: { run_date: RUN_DATE, reporting_currency: 'USD' },
        expected: () => expected('quarantined_rows'),
      },
      {
        file: 'account_features',
        params: { period_end: '2026-10-31', run_date: RUN_DATE, reporting_currency: 'USD' },
        expected: () => expectedFeatures('account_features.2026-10'),
      },
      {
        file: 'account_features',
        params: { period_end: '2025-10-31', run_date: RUN_DATE, reporting_currency: 'USD' },
        expected: () => expectedFeatures('account_features.2025-10'),
      },
    ];

  const FX_RUN = { run_date: RUN_DATE, reporting_currency: 'USD' };

  /** Multi-currency lines (test/fixtures/sql/fx/README.md), reporting currency USD. */
  const fxCases: {
    file: string;
    params: Record<string, string>;
    expected: () => Record<string, unknown>[];
  }[] = [
    {
      file: 'fx_rates',
      params: { reporting_currency: 'USD' },
      expected: () => expected('fx_rates', fxFixtures),
    },
    { file: 'fx_conversion', params: FX_RUN, expected: () => expected('fx_conversion', fxFixtures) },
    {
      file: 'quarantine_summary',
      params: FX_RUN,
      expected: () => expected('quarantine_summary', fxFixtures),
    },
    { file: 'quarantined_rows', params: FX_RUN, expected: () => expected('quarantined_rows', fxFixtures) },
    {
      file: 'account_features',
      params: { period_end: '2026-10-31', ...FX_RUN },
      expected: () => expectedFeatures('account_features.2026-10', fxFixtures),
    },
  ];

  describe(`SQL golden tests (${engineName}, hand-written CSV fixtures)`, () => {
    let engine: GoldenEngine;
    const sql = new FileSqlSource();

    beforeAll(async () => {
      engine = await open({
        revenue_lines: { path: path.join(fixtures, 'revenue_lines.csv'), format: 'csv' },
        accounts: { path: path.join(fixtures, 'accounts.csv'), format: 'csv' },
      });
    });
    afterAll(() => engine.close());

    it('has a golden case for every SQL file (here or in the models golden tests)', () => {
      // test/unit/models-sql.test.ts and test/unit/optional-input-sql.test.ts
      const elsewhere = [
        'cohort_revenue',
        'rfm_summary',
        'account_activity',
        'activity_quarantine',
        'segment_overrides',
        'campaign_quarantine',
        'campaign_responses',
        'opportunities',
        'costs',
      ];
      const files = readdirSync(sqlDir)
        .filter((f) => f.endsWith('.sql'))
        .map((f) => f.replace(/\.sql$/, ''));
      expect(new Set([...cases.map((c) => c.file), ...fxCases.map((c) => c.file), ...elsewhere])).toEqual(
        new Set(files),
      );
    });

    it.each(cases.map((c) => [`${c.file} ${JSON.stringify(c.params)}`, c] as const))('%s', async (_, c) => {
      const rows = await engine.query(sql.load(c.file), c.params);
      expect(rows).toEqual(c.expected());
    });

    it('checks every line once: checked = valid + quarantined, in rows and in amounts', async () => {
      const summary = await engine.query<{
        reason: string | null;
        table_name: string;
        row_count: number;
        amount: number;
      }>(sql.load('quarantine_summary'), { run_date: RUN_DATE, reporting_currency: 'USD' });
      const lines = summary.filter((r) => r.table_name === 'revenue_lines');
      const checked = lines.find((r) => r.reason === null)?.row_count;
      const quarantined = lines.filter((r) => r.reason !== null).reduce((s, r) => s + r.row_count, 0);
      const quarantinedAmount = lines.filter((r) => r.reason !== null).reduce((s, r) => s + r.amount, 0);
      // valid lines by hand: 1-7, 9, 11, 17, 18, 22 (see test/fixtures/sql/README.md)
      const validAmounts = [500, 1000, 2000, 3000, 250.5, 4000, -500, 700, 100, 300, -300, 40];
      expect(checked).toBe(22);
      expect(quarantined + validAmounts.length).toBe(checked);
      // every parsable amount in the file, once per line
      const allParsable = [
        500, 1000, 2000, 3000, 250.5, 4000, -500, 4000, 700, 800, 100, 100, 50, 60, 70, 300, -300, 999, 999,
        800, 40,
      ];
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      expect(quarantinedAmount + sum(validAmounts)).toBeCloseTo(sum(allParsable), 6);
    });
  });

  describe(`SQL golden tests, multi-currency (${engineName}, hand-written CSV fixtures with fx_rates)`, () => {
    const sql = new FileSqlSource();
    const fxEngine = (fxRates: string, revenueLines = path.join(fxFixtures, 'revenue_lines.csv')) =>
      open({
        revenue_lines: { path: revenueLines, format: 'csv' },
        accounts: { path: path.join(fxFixtures, 'accounts.csv'), format: 'csv' },
        fx_rates: { path: path.join(fxFixtures, fxRates), format: 'csv' },
      });
    let engine: GoldenEngine;

    beforeAll(async () => {
      engine = await fxEngine('fx_rates.csv');
    });
    afterAll(() => engine.close());

    it.each(fxCases.map((c) => [`${c.file} ${JSON.stringify(c.params)}`, c] as const))('%s', async (_, c) => {
      expect(await engine.query(sql.load(c.file), c.params)).toEqual(c.expected());
    });

    it('fx_rates names the first problem of every row that cannot be used', async () => {
      const rejected = await fxEngine('fx_rates_rejected.csv');
      try {
        expect(await rejected.query(sql.load('fx_rates'), { reporting_currency: 'USD' })).toEqual(
          expected('fx_rates_rejected', fxFixtures),
        );
      } finally {
        await rejected.close();
      }
    });

    it('converts with valid rows only: a conflicting or bad rate leaves its lines without a rate', async () => {
      // fx_rates_rejected.csv: EUR 2026-10 = 1.05 is the only valid row of a month the lines use
      const rejected = await fxEngine('fx_rates_rejected.csv');
      try {
        const rows = await rejected.query<{
          outcome: string;
          currency: string;
          month: string;
          lines: number;
        }>(sql.load('fx_conversion'), FX_RUN);
        expect(
          rows.filter((r) => r.outcome === 'converted').map((r) => [r.currency, r.month, r.lines]),
        ).toEqual([['EUR', '2026-10', 1]]);
        // GBP 2026-10 has rate 0 (invalid): all four GBP lines lack a rate now; EUR Aug/Sep/Jul too
        expect(
          rows.filter((r) => r.outcome === 'missing_fx_rate').map((r) => [r.currency, r.month, r.lines]),
        ).toEqual([
          ['CHF', '2026-10', 1],
          ['EUR', '2026-07', 2],
          ['EUR', '2026-08', 1],
          ['EUR', '2026-09', 1],
          ['GBP', '2026-10', 4],
        ]);
      } finally {
        await rejected.close();
      }
    });

    it('leaves the single-currency fixture exactly as it was when an fx_rates table is present', async () => {
      const withRates = await fxEngine('fx_rates.csv', path.join(fixtures, 'revenue_lines.csv'));
      try {
        // accounts differ (A1-A4 are unknown here), so compare the line checks that do not need accounts
        const withoutRates = await open({
          revenue_lines: { path: path.join(fixtures, 'revenue_lines.csv'), format: 'csv' },
          accounts: { path: path.join(fxFixtures, 'accounts.csv'), format: 'csv' },
        });
        try {
          for (const name of ['quarantine_summary', 'quarantined_rows', 'fx_conversion']) {
            expect(await withRates.query(sql.load(name), FX_RUN)).toEqual(
              await withoutRates.query(sql.load(name), FX_RUN),
            );
          }
          expect(await withRates.query(sql.load('fx_conversion'), FX_RUN)).toEqual([]);
        } finally {
          await withoutRates.close();
        }
      } finally {
        await withRates.close();
      }
    });

    it('checks every line once: checked = valid + quarantined, and a line in another currency counts in USD', async () => {
      const summary = await engine.query<{ reason: string | null; table_name: string; row_count: number }>(
        sql.load('quarantine_summary'),
        FX_RUN,
      );
      const lines = summary.filter((r) => r.table_name === 'revenue_lines');
      const checked = lines.find((r) => r.reason === null)?.row_count;
      const quarantined = lines.filter((r) => r.reason !== null).reduce((s, r) => s + r.row_count, 0);
      // valid by hand: 1, 2, 3 (B1), 6, 7, 8, 17 (B2), 10, 11, 16 (B3)
      expect(checked).toBe(18);
      expect(quarantined).toBe(18 - 10);
      const features = await engine.query<{ revenue_t12m: number }>(sql.load('account_features'), {
        period_end: '2026-10-31',
        ...FX_RUN,
      });
      // 105 + 220.01 + 12 (EUR) + 100 - 10 + 0.03 + 15 (GBP) + 300 + 40 + 5 (USD)
      expect(features.reduce((s, f) => s + f.revenue_t12m, 0)).toBeCloseTo(787.04, 9);
    });
  });
}
