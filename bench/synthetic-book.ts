// Seeded synthetic books for the benchmarks: account features, purchase histories and cohort rows shaped as
// the SQL returns them, without DuckDB or Athena.
import gammaRandom from '@stdlib/random-base-gamma';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { CohortRevenueRow } from '../lambdas/core/models/cohorts.ts';
import { simulateAccounts } from '../lambdas/core/models/simulate.ts';
import type { PurchaseSummary } from '../lambdas/core/predictions.ts';
import { type AccountFeatures, MONTHLY_WINDOW } from '../lambdas/core/types.ts';

const INDUSTRIES = ['Software', 'Retail', 'Manufacturing', 'Healthcare', 'Logistics', 'Education', null];

/** A seeded synthetic book: lognormal spend, growth, churned and new accounts, 24 months of revenue. */
export function* syntheticFeatureRows(n: number, seed: number, owners = 20): Generator<AccountFeatures> {
  const rng = xoroshiro128plus(seed);
  const u = (): number => uniformFloat64(rng);
  const normal = (): number => Math.sqrt(-2 * Math.log1p(-u())) * Math.cos(2 * Math.PI * u());
  for (let i = 0; i < n; i++) {
    const owner = i % owners;
    const annual = Math.exp(8.3 + 1.65 * normal());
    const growth = 0.3 * normal();
    const startMonth = u() < 0.15 ? Math.floor(u() * MONTHLY_WINDOW) : 0;
    const churnMonth = u() < 0.1 ? Math.floor(u() * MONTHLY_WINDOW) : MONTHLY_WINDOW;
    const monthlyRevenue = Array.from({ length: MONTHLY_WINDOW }, (_, m) =>
      m < startMonth || m >= churnMonth || u() < 0.3
        ? 0
        : Math.round((annual / 12) * Math.exp((growth * (m - MONTHLY_WINDOW)) / 12) * (0.5 + u()) * 100) /
          100,
    );
    const sum = (from: number, to: number): number =>
      Math.round(monthlyRevenue.slice(from, to).reduce((s, v) => s + v, 0) * 100) / 100;
    const active = monthlyRevenue.map((v, m) => (v !== 0 ? m : -1)).filter((m) => m >= 0);
    const first = active[0];
    const last = active.at(-1);
    const dayOfMonth = (m: number): string =>
      new Date(Date.UTC(2024, 10 + m, 1 + Math.floor(u() * 28))).toISOString().slice(0, 10);
    const industry = INDUSTRIES[Math.floor(u() * INDUSTRIES.length)] ?? null;
    yield {
      accountId: `ACC-${String(i + 1).padStart(7, '0')}`,
      accountName: `Account ${i + 1} & Sons <Ltd>`,
      ownerEmail: `owner-${owner}@example.com`,
      ownerName: `Owner ${owner}`,
      industry,
      country: ['US', 'DE', 'FR', 'GB'][i % 4] ?? null,
      employeeCount: u() < 0.8 ? Math.round(Math.exp(4 + 1.5 * normal())) : null,
      createdOn: '2020-01-01',
      revenueT12m: sum(12, 24),
      revenuePriorT12m: sum(0, 12),
      invoicesT12m: active.filter((m) => m >= 12).length,
      invoicesPriorT12m: active.filter((m) => m < 12).length,
      firstInvoiceOn: first === undefined ? null : dayOfMonth(first),
      lastInvoiceOn: last === undefined ? null : dayOfMonth(last),
      recencyDays: last === undefined ? null : (MONTHLY_WINDOW - 1 - last) * 30 + 15,
      tenureDays: first === undefined ? null : (MONTHLY_WINDOW - first) * 30,
      monthlyRevenue,
    };
  }
}

/** The synthetic book as an array. */
export function syntheticFeatures(n: number, seed: number, owners = 20): AccountFeatures[] {
  return Array.from(syntheticFeatureRows(n, seed, owners));
}

/** BG/NBD + Gamma-Gamma purchase histories in whole days, as sql/rfm_summary.sql returns them. */
export function syntheticPurchases(ids: readonly string[], seed: number): PurchaseSummary[] {
  const simulated = simulateAccounts({
    accounts: ids.length,
    bgNbd: { r: 0.25, alpha: 28, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    minAge: 30,
    maxAge: 1095,
    seed,
  });
  return simulated.map((s, i) => {
    const age = Math.round(s.age);
    return {
      accountId: ids[i] ?? s.accountId,
      frequency: s.frequency,
      recencyDays: s.frequency === 0 ? 0 : Math.min(age, Math.round(s.recency)),
      ageDays: age,
      avgRepeatValue: s.frequency === 0 ? 0 : Math.round(s.averageValue * 100) / 100,
    };
  });
}

/** Cohort rows as sql/cohort_revenue.sql gives them: per first quarter and quarter, summed over accounts. */
export function syntheticCohorts(ids: readonly string[], seed: number): CohortRevenueRow[] {
  const rng = xoroshiro128plus(seed);
  const gamma = gammaRandom.factory({ prng: () => uniformFloat64(rng) });
  const quarters = ['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01'];
  const cells = new Map<string, { first: number; quarter: number; active: number; revenue: number }>();
  const sizes = new Map<number, number>();
  ids.forEach((_, i) => {
    const first = i % quarters.length;
    sizes.set(first, (sizes.get(first) ?? 0) + 1);
    for (let q = first; q < quarters.length; q += 1 + (i % 2)) {
      const cell = cells.get(`${first} ${q}`) ?? { first, quarter: q, active: 0, revenue: 0 };
      cell.active += 1;
      cell.revenue += Math.round(gamma(2, 1 / 2000) * 100) / 100;
      cells.set(`${first} ${q}`, cell);
    }
  });
  return [...cells.values()].map((c) => ({
    firstQuarter: quarters[c.first] as string,
    quarter: quarters[c.quarter] as string,
    cohortAccounts: sizes.get(c.first) ?? 0,
    activeAccounts: c.active,
    revenue: c.revenue,
  }));
}
