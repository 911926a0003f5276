import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import type { GoldenEngine, OpenEngine } from './golden-engine.ts';

/** Runs these golden cases on the engine `open` gives; the expectations do not depend on the engine. */
export function modelsSqlTests(engineName: string, open: OpenEngine): void {
  // Golden tests of the model queries on the shared hand-written fixtures (test/fixtures/sql/README.md):
  // they must read exactly the valid lines (no quarantined, duplicate, future or unknown-account line).
  const fixtures = fileURLToPath(new URL('../fixtures/sql/', import.meta.url));
  const RUN_DATE = '2026-11-02';

  let engine: GoldenEngine;
  const sql = new FileSqlSource();

  beforeAll(async () => {
    engine = await open({
      revenue_lines: { path: path.join(fixtures, 'revenue_lines.csv'), format: 'csv' },
      accounts: { path: path.join(fixtures, 'accounts.csv'), format: 'csv' },
    });
  });
  afterAll(() => engine.close());

  describe(`sql/rfm_summary.sql (${engineName})`, () => {
    it('summarises purchase days of valid lines up to 2026-10-31', async () => {
      // A1 purchase days: 2024-10-31 (500), 2024-11-01 (1000), 2025-10-31 (2000), 2025-11-01 (3000 + 250.50),
      // 2026-10-31 (4000, its duplicate line 8 counted once); 2026-03-15 is a credit note only, 2026-11-01 is
      // after the period. x = 4, t_x = T = 730 days, repeat mean (1000 + 2000 + 3250.5 + 4000) / 4.
      // A2: 2026-01-10 (100), 2026-10-05 (40); its bad-date/amount/id lines are quarantined. x = 1,
      // t_x = 268, T = 294. A3: 2025-06-15 (+300) then a credit on 06-20: one purchase, T = 503.
      // A4 has no lines, ZZ is an unknown account.
      expect(
        await engine.query(sql.load('rfm_summary'), {
          period_end: '2026-10-31',
          run_date: RUN_DATE,
          reporting_currency: 'USD',
        }),
      ).toEqual([
        { account_id: 'A1', frequency: 4, recency_days: 730, age_days: 730, avg_repeat_value: 2562.625 },
        { account_id: 'A2', frequency: 1, recency_days: 268, age_days: 294, avg_repeat_value: 40 },
        { account_id: 'A3', frequency: 0, recency_days: 0, age_days: 503, avg_repeat_value: 0 },
      ]);
    });

    it('ignores lines after an earlier period end (2025-10-31)', async () => {
      // A1: 2024-10-31, 2024-11-01 (1000), 2025-10-31 (2000); A2 starts in 2026; A3 aged 138 days.
      expect(
        await engine.query(sql.load('rfm_summary'), {
          period_end: '2025-10-31',
          run_date: RUN_DATE,
          reporting_currency: 'USD',
        }),
      ).toEqual([
        { account_id: 'A1', frequency: 2, recency_days: 365, age_days: 365, avg_repeat_value: 1500 },
        { account_id: 'A3', frequency: 0, recency_days: 0, age_days: 138, avg_repeat_value: 0 },
      ]);
    });
  });

  describe(`sql/cohort_revenue.sql (${engineName})`, () => {
    it('gives each cohort’s size, active accounts and net revenue per calendar quarter (fiscal year from January)', async () => {
      expect(
        await engine.query(sql.load('cohort_revenue'), {
          period_end: '2026-10-31',
          run_date: RUN_DATE,
          reporting_currency: 'USD',
          fiscal_year_start_month: 1,
        }),
      ).toEqual([
        // one account per cohort here: A1 from 2024-10, A3 from 2025-04 (net 0: not active), A2 from 2026-01
        {
          first_quarter: '2024-10-01',
          quarter: '2024-10-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 1500,
        },
        {
          first_quarter: '2024-10-01',
          quarter: '2025-10-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 5250.5,
        },
        {
          first_quarter: '2024-10-01',
          quarter: '2026-01-01',
          cohort_accounts: 1,
          active_accounts: 0,
          revenue: -500,
        },
        {
          first_quarter: '2024-10-01',
          quarter: '2026-10-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 4000,
        },
        {
          first_quarter: '2025-04-01',
          quarter: '2025-04-01',
          cohort_accounts: 1,
          active_accounts: 0,
          revenue: 0,
        },
        {
          first_quarter: '2026-01-01',
          quarter: '2026-01-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 100,
        },
        {
          first_quarter: '2026-01-01',
          quarter: '2026-10-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 40,
        },
      ]);
    });

    it('follows fiscal quarters starting in February (Feb, May, Aug, Nov)', async () => {
      // 2024-10-31 falls in the quarter from 2024-08-01, 2024-11-01 starts the next; 2026-01-10 is in the
      // quarter from 2025-11-01; 2026-03-15 in the one from 2026-02-01.
      expect(
        await engine.query(sql.load('cohort_revenue'), {
          period_end: '2026-10-31',
          run_date: RUN_DATE,
          reporting_currency: 'USD',
          fiscal_year_start_month: 2,
        }),
      ).toEqual([
        {
          first_quarter: '2024-08-01',
          quarter: '2024-08-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 500,
        },
        {
          first_quarter: '2024-08-01',
          quarter: '2024-11-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 1000,
        },
        {
          first_quarter: '2024-08-01',
          quarter: '2025-08-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 2000,
        },
        {
          first_quarter: '2024-08-01',
          quarter: '2025-11-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 3250.5,
        },
        {
          first_quarter: '2024-08-01',
          quarter: '2026-02-01',
          cohort_accounts: 1,
          active_accounts: 0,
          revenue: -500,
        },
        {
          first_quarter: '2024-08-01',
          quarter: '2026-08-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 4000,
        },
        {
          first_quarter: '2025-05-01',
          quarter: '2025-05-01',
          cohort_accounts: 1,
          active_accounts: 0,
          revenue: 0,
        },
        {
          first_quarter: '2025-11-01',
          quarter: '2025-11-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 100,
        },
        {
          first_quarter: '2025-11-01',
          quarter: '2026-08-01',
          cohort_accounts: 1,
          active_accounts: 1,
          revenue: 40,
        },
      ]);
    });
  });
}
