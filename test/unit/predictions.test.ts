import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { type BgNbdModel, expectedTransactions } from '../../lambdas/core/models/bgnbd.ts';
import { simulateAccounts } from '../../lambdas/core/models/simulate.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import {
  boundaryExpectedTransactions,
  computePredictions,
  type PurchaseSummary,
} from '../../lambdas/core/predictions.ts';
import type { ClassifiedAccount } from '../../lambdas/core/types.ts';

const period = parsePeriod('2026-08', 'monthly');

function account(p: Partial<ClassifiedAccount> & Pick<ClassifiedAccount, 'accountId'>): ClassifiedAccount {
  return {
    accountName: p.accountId,
    ownerEmail: 'owner@example.com',
    ownerName: 'Owner',
    industry: 'Software',
    country: 'US',
    employeeCount: null,
    createdOn: null,
    revenueT12m: 5_000,
    revenuePriorT12m: 5_000,
    invoicesT12m: 5,
    invoicesPriorT12m: 5,
    firstInvoiceOn: '2024-01-01',
    lastInvoiceOn: '2026-08-01',
    recencyDays: 30,
    tenureDays: 900,
    monthlyRevenue: new Array(24).fill(5_000 / 12),
    segment: 'Low',
    previousSegment: 'Low',
    previousRevenueT12m: 5_000,
    revenuePeriod: 400,
    growthYoy: 0,
    movement: 'unchanged',
    movementAmount: 0,
    bridgeSegment: 'Low',
    ...p,
  };
}

describe('boundaryExpectedTransactions', () => {
  const model: BgNbdModel = { unit: 'days', params: { r: 2, alpha: 10, a: 200, b: 19_800 } };

  it('is (1 - (alpha / (alpha + p t))^r) / p for a new account, worked by hand', () => {
    // p = 200 / 20000 = 0.01; t = 100: 100 (1 - (10 / 11)^2) = 100 (1 - 100/121) = 2100/121
    const fresh = { accountId: 'n', frequency: 0, recency: 0, age: 0 };
    expect(boundaryExpectedTransactions(model, fresh, { value: 100, unit: 'days' })).toBeCloseTo(
      2100 / 121,
      10,
    );
  });

  it('is the limit of the general BG/NBD expectation as a and b grow at a fixed a / (a + b)', () => {
    const history = { accountId: 'h', frequency: 4, recency: 80, age: 100 };
    const general = expectedTransactions(model, history, { value: 60, unit: 'days' });
    expect(boundaryExpectedTransactions(model, history, { value: 60, unit: 'days' })).toBeCloseTo(general, 1);
  });
});

describe('computePredictions on a simulated book (BG/NBD and Gamma-Gamma truth known)', () => {
  const truth = { r: 0.25, alpha: 28, a: 0.8, b: 2.5 };
  const simulated = simulateAccounts({
    accounts: 3_000,
    bgNbd: truth,
    gammaGamma: { p: 6, q: 4, v: 15 },
    minAge: 60,
    maxAge: 1_000,
    seed: 42,
  });
  const purchases: PurchaseSummary[] = simulated.map((s) => {
    const ageDays = Math.round(s.age);
    return {
      accountId: s.accountId,
      frequency: s.frequency,
      recencyDays: s.frequency === 0 ? 0 : Math.min(ageDays, Math.round(s.recency)),
      ageDays,
      avgRepeatValue: s.averageValue,
    };
  });
  const accounts = [
    ...simulated.map((s, i) =>
      account({ accountId: s.accountId, segment: i % 3 === 0 ? 'Medium' : 'Low', employeeCount: 10 + i }),
    ),
    account({ accountId: 'never-bought', revenueT12m: 0, revenuePriorT12m: 0, segment: 'Inactive' }),
  ];
  const config = parseRunConfig({
    models: { fitUnit: 'days', clv: { horizonMonths: 12, grossMargin: 0.5, monthlyDiscountRate: 0.01 } },
  });
  const predictions = computePredictions({ period, accounts, purchases, cohortRows: [], config });
  const { bgNbd, gammaGamma } = predictions.fits;

  it('fits both models and recovers the simulated BG/NBD rates', () => {
    expect(bgNbd.converged).toBe(true);
    expect(bgNbd.used).toBe(true);
    expect(bgNbd.unit).toBe('days');
    expect(bgNbd.params?.r).toBeGreaterThan(0.2);
    expect(bgNbd.params?.r).toBeLessThan(0.3);
    expect(gammaGamma.spendBasis).toBe('gamma-gamma');
    expect(predictions.accounts.size).toBe(accounts.length);
  });

  it('gives no model numbers to an account without a purchase and flags no risk for it', () => {
    expect(predictions.accounts.get('never-bought')).toMatchObject({
      probabilityAlive: null,
      expectedTransactions: null,
      expectedSpend: null,
      clv: null,
      churnRisk: 'none',
      revenueAtRisk: 0,
      hiddenGem: false,
    });
  });

  it('uses the Gamma-Gamma conditional mean p (v + x zbar) / (p x + q - 1) for repeat customers only', () => {
    const gg = gammaGamma.params;
    if (!gg) throw new Error('no Gamma-Gamma fit');
    for (const purchase of purchases.slice(0, 200)) {
      const prediction = predictions.accounts.get(purchase.accountId);
      if (purchase.frequency === 0) {
        expect(prediction?.expectedSpend).toBeNull();
        expect(prediction?.clv).toBeNull();
        continue;
      }
      const x = purchase.frequency;
      expect(prediction?.expectedSpend).toBeCloseTo(
        (gg.p * (gg.v + x * purchase.avgRepeatValue)) / (gg.p * x + gg.q - 1),
        8,
      );
      expect(prediction?.probabilityAlive).toBeGreaterThanOrEqual(0);
      expect(prediction?.probabilityAlive).toBeLessThanOrEqual(1);
      // discounting at 1% a month over 12 months keeps CLV between (1.01)^-12 and 1 times the undiscounted value
      const undiscounted = (prediction?.expectedTransactions ?? 0) * (prediction?.expectedSpend ?? 0) * 0.5;
      expect(prediction?.clv).toBeLessThanOrEqual(undiscounted + 1e-9);
      expect(prediction?.clv).toBeGreaterThanOrEqual(undiscounted / 1.01 ** 12 - 1e-9);
    }
  });

  it('sums CLV and revenue at risk per segment from the accounts', () => {
    const all = [...predictions.accounts.values()];
    const segmentOf = new Map(accounts.map((a) => [a.accountId, a.segment]));
    for (const s of predictions.clvBySegment) {
      const members = all.filter((p) => segmentOf.get(p.accountId) === s.segment);
      const values = members.map((p) => p.clv).filter((v): v is number => v !== null);
      expect(s.accounts).toBe(members.length);
      expect(s.accountsWithClv).toBe(values.length);
      if (values.length > 0)
        expect(s.totalClv).toBeCloseTo(
          values.reduce((t, v) => t + v, 0),
          6,
        );
    }
    for (const s of predictions.atRiskRevenue) {
      const flagged = all.filter((p) => segmentOf.get(p.accountId) === s.segment && p.churnRisk !== 'none');
      expect(s.totalRevenueAtRisk).toBeCloseTo(flagged.length * 5_000, 6); // every account has T12M 5,000
      expect(s.accounts.high + s.accounts.medium + s.accounts.low).toBe(flagged.length);
    }
    for (const p of all) {
      if (p.churnRisk !== 'none') expect(p.churnReason.length).toBeGreaterThan(0);
    }
  });

  it('forecasts the next month per segment from the same expectations', () => {
    expect(predictions.forecast?.periodId).toBe('2026-09');
    expect(predictions.forecast?.horizon).toEqual({ value: 1, unit: 'months' });
    const low = predictions.forecast?.segments.find((s) => s.segment === 'Low');
    const lowAccounts = accounts.filter((a) => a.segment === 'Low');
    expect(low?.accounts).toBe(lowAccounts.length);
    expect(low?.accountsWithoutSpend).toBe(
      lowAccounts.filter((a) => predictions.accounts.get(a.accountId)?.expectedSpend === null).length,
    );
  });

  it('marks only Low or Medium accounts as hidden gems, best score first', () => {
    expect(predictions.hiddenGems.length).toBeGreaterThan(0);
    for (const gem of predictions.hiddenGems) {
      expect(['Low', 'Medium']).toContain(gem.segment);
      expect(predictions.accounts.get(gem.accountId)?.hiddenGem).toBe(true);
    }
    const scores = predictions.hiddenGems.map((g) => g.score);
    expect(scores).toEqual([...scores].sort((p, q) => q - p));
  });
});

describe('computePredictions on a small hand-made book', () => {
  const config = parseRunConfig({ models: { fitUnit: 'weeks' } });
  const accounts = [account({ accountId: 'X' }), account({ accountId: 'Y' }), account({ accountId: 'Z' })];

  it('builds cohorts up to the quarter holding the period end, quarters without revenue as 0', () => {
    const predictions = computePredictions({
      period,
      accounts,
      purchases: [],
      cohortRows: [
        {
          firstQuarter: '2026-01-01',
          quarter: '2026-01-01',
          cohortAccounts: 1,
          activeAccounts: 1,
          revenue: 100,
        },
        {
          firstQuarter: '2026-01-01',
          quarter: '2026-07-01',
          cohortAccounts: 1,
          activeAccounts: 1,
          revenue: 50,
        },
        {
          firstQuarter: '2026-04-01',
          quarter: '2026-04-01',
          cohortAccounts: 1,
          activeAccounts: 1,
          revenue: 200,
        },
      ],
      config,
    });
    expect(
      predictions.cohorts.map((c) => [
        c.cohort,
        c.ageQuarters,
        c.revenue,
        c.revenueRetention,
        c.logoRetention,
      ]),
    ).toEqual([
      ['2026-01-01', 0, 100, 1, 1],
      ['2026-01-01', 1, 0, 0, 0],
      ['2026-01-01', 2, 50, 0.5, 1],
      ['2026-04-01', 0, 200, 1, 1],
      ['2026-04-01', 1, 0, 0, 0],
    ]);
  });

  it('says why when no model can be fitted, and makes no CLV or forecast', () => {
    const predictions = computePredictions({ period, accounts, purchases: [], cohortRows: [], config });
    expect(predictions.fits.bgNbd.used).toBe(false);
    expect(predictions.fits.bgNbd.reason).toBe('no account has a purchase up to the period end');
    expect(predictions.fits.gammaGamma.reason).toMatch(/no account has a repeat transaction/);
    expect(predictions.forecast).toBeNull();
    expect([...predictions.accounts.values()].every((p) => p.clv === null)).toBe(true);
  });

  it('names the source row and account of a duplicated purchase summary', () => {
    const row = { accountId: 'X', frequency: 1, recencyDays: 7, ageDays: 14, avgRepeatValue: 10 };
    expect(() =>
      computePredictions({ period, accounts, purchases: [row, row], cohortRows: [], config }),
    ).toThrow(
      new InputContractError(
        "sql/rfm_summary.sql row 2 (account 'X'): account appears twice; the query must return one row per account",
      ),
    );
  });

  it('prints the plain warning when repeat customers are few', () => {
    const purchases = [
      { accountId: 'X', frequency: 3, recencyDays: 60, ageDays: 90, avgRepeatValue: 100 },
      { accountId: 'Y', frequency: 1, recencyDays: 20, ageDays: 200, avgRepeatValue: 80 },
      { accountId: 'Z', frequency: 0, recencyDays: 0, ageDays: 30, avgRepeatValue: 0 },
    ];
    const predictions = computePredictions({ period, accounts, purchases, cohortRows: [], config });
    expect(predictions.fits.bgNbd.repeatCustomers).toBe(2);
    expect(predictions.fits.bgNbd.reliability.reliable).toBe(false);
    expect(predictions.fits.bgNbd.reliability.caveats.join(' ')).toMatch(/only 2 repeat customers/);
  });
});
