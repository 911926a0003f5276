import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lambdas/adapters/local/local-runtime.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { type RunSummary, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { type GeneratedBook, openGeneratedBook } from './generated-book.ts';
import { readIndependentBook } from './independent-book.ts';

const AS_OF = '2026-11-02';
const config = parseRunConfig({
  mail: { leadership: ['cro@example.com'] },
  models: { clv: { grossMargin: 0.6 } },
});

describe('predictive models in a local run of a generated book', () => {
  let runtime: LocalRuntime;
  let monthly: RunSummary;
  let quarterly: RunSummary;

  let generated: GeneratedBook;
  let independent: ReturnType<typeof readIndependentBook>;

  beforeAll(async () => {
    generated = await openGeneratedBook('predict', { lines: 6_000, seed: 23, asOf: AS_OF });
    ({ runtime } = generated);
    independent = readIndependentBook(generated.book.files, AS_OF);
    monthly = await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
    quarterly = await runPeriod(runtime.deps, config, { periodId: '2026-Q3', cadence: 'quarterly' });
  });

  afterAll(() => generated?.close());

  it('runs a predict stage right after segmentation and fits both models', () => {
    const names = monthly.stages.map((s) => s.stage);
    expect(names.indexOf('predict')).toBe(names.indexOf('segment and compute KPIs') + 1);
    expect(monthly.predictions.accounts.size).toBe(monthly.accounts);
    expect(monthly.predictions.fits.bgNbd.unit).toBe('weeks');
    // 67 accounts cannot tell dropout chances apart: the maximum lies on the shared-dropout boundary, whose
    // limit predicts, and such a fit is never called converged
    expect(monthly.predictions.fits.bgNbd.used).toBe(true);
    expect(monthly.predictions.fits.bgNbd.converged).toBe(false);
    expect(monthly.predictions.fits.bgNbd.homogeneousDropout).toBe(true);
    expect(monthly.predictions.fits.gammaGamma.params).not.toBeNull();
  });

  it('writes sane prediction columns to account_segments', async () => {
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select * from account_segments where cadence = 'monthly' and period = '2026-10'",
    );
    expect(rows).toHaveLength(monthly.accounts);
    let withClv = 0;
    let atRisk = 0;
    for (const row of rows) {
      const id = String(row.account_id);
      const alive = row.probability_alive as number | null;
      if (alive !== null) {
        expect(alive, id).toBeGreaterThanOrEqual(0);
        expect(alive, id).toBeLessThanOrEqual(1);
      }
      if (row.expected_transactions !== null) expect(row.expected_transactions, id).toBeGreaterThanOrEqual(0);
      if (row.clv !== null) {
        withClv++;
        // gross margin 0.6 > 0 and positive expected spend: CLV cannot be negative
        expect(row.expected_spend as number, id).toBeGreaterThan(0);
        expect(row.clv as number, id).toBeGreaterThanOrEqual(0);
      }
      expect(['high', 'medium', 'low', 'none']).toContain(row.churn_risk);
      if (row.churn_risk !== 'none') {
        atRisk++;
        expect(String(row.churn_reason).length, id).toBeGreaterThan(0);
        expect(row.revenue_at_risk, id).toBe(row.revenue_t12m);
      } else expect(row.revenue_at_risk, id).toBe(0);
      if (row.growth_score !== null) {
        expect(row.growth_score as number, id).toBeGreaterThanOrEqual(0);
        expect(row.growth_score as number, id).toBeLessThanOrEqual(100);
        expect(String(row.growth_reasons).length, id).toBeGreaterThan(0);
      }
      if (row.hidden_gem === true) expect(['Low', 'Medium']).toContain(row.segment);
    }
    expect(withClv).toBeGreaterThan(0);
    expect(atRisk).toBeGreaterThan(0);
  });

  it('writes cohort_retention rows whose retention matches their counts', async () => {
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select * from cohort_retention where cadence = 'quarterly' and period = '2026-Q3' order by cohort, age_quarters",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.active_accounts as number).toBeLessThanOrEqual(row.cohort_accounts as number);
      expect(row.logo_retention as number).toBeCloseTo(
        (row.active_accounts as number) / (row.cohort_accounts as number),
        12,
      );
      expect(String(row.quarter) <= '2026-07-01').toBe(true);
    }
    // every cohort's accounts together are the accounts with a purchase up to the period end
    const sizes = new Map(rows.map((r) => [String(r.cohort), r.cohort_accounts as number]));
    const purchasers = [...quarterly.predictions.accounts.values()].filter(
      (p) => p.probabilityAlive !== null,
    );
    expect([...sizes.values()].reduce((s, n) => s + n, 0)).toBe(purchasers.length);

    // Each cohort and quarter against the input CSVs: an account's cohort is the calendar quarter of its first
    // month with a purchase up to the period end; it is active in a quarter with positive net revenue.
    const quarterOf = (month: string) =>
      `${month.slice(0, 4)}-${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    const expected = new Map<string, { accounts: number; active: number; cents: number }>();
    const cohortSize = new Map<string, number>();
    for (const account of independent.accounts.values()) {
      const first = [...account.purchaseMonths].filter((m) => m <= '2026-09').sort()[0];
      if (!first) continue;
      const cohort = quarterOf(first);
      cohortSize.set(cohort, (cohortSize.get(cohort) ?? 0) + 1);
      const byQuarter = new Map<string, number>();
      for (const [month, usd] of account.months) {
        if (month > '2026-09' || quarterOf(month) < cohort) continue;
        byQuarter.set(quarterOf(month), (byQuarter.get(quarterOf(month)) ?? 0) + Math.round(usd * 100));
      }
      for (const [quarter, cents] of byQuarter) {
        const cell = expected.get(`${cohort} ${quarter}`) ?? { accounts: 0, active: 0, cents: 0 };
        expected.set(`${cohort} ${quarter}`, {
          ...cell,
          active: cell.active + (cents > 0 ? 1 : 0),
          cents: cell.cents + cents,
        });
      }
    }
    for (const row of rows) {
      const cell = expected.get(`${row.cohort} ${row.quarter}`) ?? { accounts: 0, active: 0, cents: 0 };
      const where = `${row.cohort} ${row.quarter}`;
      expect(row.cohort_accounts, where).toBe(cohortSize.get(String(row.cohort)));
      expect(row.active_accounts, where).toBe(cell.active);
      expect(Math.round((row.revenue as number) * 100), where).toBe(cell.cents);
    }
  });

  it('puts predicted CLV, revenue at risk, hidden gems, cohorts and the forecast in the leadership mail', async () => {
    const mail = await simpleParser(
      readFileSync(path.join(runtime.outboxDir, 'monthly-2026-10-leadership.eml')),
    );
    const text = mail.text ?? '';
    expect(text).toContain('Predictive models');
    expect(text).toContain('BG/NBD purchase model, fitted in weeks');
    expect(text).toContain('Predicted customer lifetime value (next 12 months)');
    expect(text).toContain('gross margin 60.0%');
    expect(text).toContain('Revenue at risk');
    expect(text).toContain('Hidden gems');
    expect(text).toContain('Cohorts by first-purchase quarter');
    expect(text).toContain('Next-period forecast: November 2026 (1 month)');
    expect(mail.html).toContain('Revenue at risk');
    const quarterlyMail = await simpleParser(
      readFileSync(path.join(runtime.outboxDir, 'quarterly-2026-Q3-leadership.eml')),
    );
    expect(quarterlyMail.text).toContain('Next-period forecast: Q4 2026 (3 months)');
  });
});

describe("the demo book (the demo command's size, seed and years)", () => {
  let generated: GeneratedBook;
  let summary: RunSummary;

  beforeAll(async () => {
    generated = await openGeneratedBook('demo-fit', {
      lines: 60_000,
      years: 3,
      seed: 42,
      asOf: '2026-12-05',
      plantProblems: true,
    });
    summary = await runPeriod(
      generated.runtime.deps,
      parseRunConfig({ mail: { leadership: ['cro@example.com'] } }),
      {
        periodId: '2026-11',
        cadence: 'monthly',
      },
    );
  }, 120_000);

  afterAll(() => generated?.close());

  it('has a purchase process whose BG/NBD maximum is interior, and shows CLV, probability alive and a forecast', async () => {
    const bg = summary.predictions.fits.bgNbd;
    expect(bg.converged, bg.reason ?? '').toBe(true);
    expect(bg.noDropout || bg.homogeneousDropout).toBe(false);
    const a = bg.params?.a ?? 0;
    const b = bg.params?.b ?? 0;
    expect(a).toBeGreaterThan(0);
    expect(a + b).toBeLessThan(1000);
    const withAlive = [...summary.predictions.accounts.values()].filter((p) => p.probabilityAlive !== null);
    expect(withAlive.length).toBeGreaterThan(summary.accounts / 2);
    // some accounts look gone: the dropout is measurable, not everyone alive
    expect(withAlive.some((p) => (p.probabilityAlive ?? 1) < 0.5)).toBe(true);
    expect([...summary.predictions.accounts.values()].filter((p) => p.clv !== null).length).toBeGreaterThan(
      0,
    );
    expect(summary.predictions.forecast).not.toBeNull();
    const mail = await simpleParser(
      readFileSync(path.join(generated.runtime.outboxDir, 'monthly-2026-11-leadership.eml')),
    );
    // The plain text wraps at 78 columns: look for sentences with the wrapping undone.
    const text = (mail.text ?? '').replace(/\s+/g, ' ');
    expect(text).toMatch(/a = [\d.]+ ± [\d.]+, b = [\d.]+ ± [\d.]+; converged in \d+ iterations/);
    expect(text).toContain('Predicted customer lifetime value (next 12 months)');
    expect(text).toMatch(/Total CLV/);
    expect(text).toMatch(/probability alive \d\.\d\d/);
    expect(text).toContain('Next-period forecast: December 2026 (1 month)');
    expect(text).not.toContain('Next-period forecast\nNot available');
  });
});
