import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectedAverageSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type SpendObservation,
} from '../../lambdas/core/models/gamma-gamma.ts';
import { simulateAccounts } from '../../lambdas/core/models/simulate.ts';
import { cdnowFile } from './cdnow-data.ts';

const cdnowPath = cdnowFile('cdnow_customers_summary_with_transactions.csv');
const hasCdnow = cdnowPath !== null;

function readSpend(): SpendObservation[] {
  return readFileSync(cdnowPath ?? '', 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [id = '', x, , , zbar] = line.split(',');
      return { accountId: id, frequency: Number(x), averageValue: Number(zbar) };
    });
}

describe('Gamma-Gamma conditional expected spend, by hand', () => {
  it('is (v + x zbar) p / (p x + q - 1)', () => {
    // p=2, q=3, v=10, x=4, zbar=20: (10 + 80) * 2 / (8 + 2) = 18
    expect(expectedAverageSpend({ p: 2, q: 3, v: 10 }, { frequency: 4, averageValue: 20 })).toBeCloseTo(
      18,
      12,
    );
  });
  it('is the population mean v p / (q - 1) without repeat transactions', () => {
    expect(expectedAverageSpend({ p: 2, q: 3, v: 10 }, { frequency: 0, averageValue: 0 })).toBeCloseTo(
      10,
      12,
    );
  });
  it('has no finite value for a newcomer when q <= 1', () => {
    expect(expectedAverageSpend({ p: 2, q: 0.8, v: 10 }, { frequency: 0, averageValue: 0 })).toBeNull();
  });
});

// The CDNOW reference data lives outside the repo: see cdnow-data.ts for when the checks skip or fail.
describe.skipIf(!hasCdnow)('Gamma-Gamma reproduces the published CDNOW results', () => {
  const rows = hasCdnow ? readSpend() : [];
  const fit = hasCdnow ? fitGammaGamma(rows) : undefined;

  it('fits p=6.25, q=3.74, v=15.44 on the 946 repeat customers', () => {
    expect(fit?.converged).toBe(true);
    expect(fit?.customers).toBe(946);
    expect(fit?.excluded).toHaveLength(2357 - 946);
    // Published to 2 decimals from a spreadsheet solver: agreement within 0.2% each.
    expect(Math.abs((fit?.params.p ?? 0) / 6.25 - 1)).toBeLessThan(0.002);
    expect(Math.abs((fit?.params.q ?? 0) / 3.74 - 1)).toBeLessThan(0.002);
    expect(Math.abs((fit?.params.v ?? 0) / 15.44 - 1)).toBeLessThan(0.002);
    expect(Math.abs((fit?.populationMeanSpend ?? 0) - 35.17)).toBeLessThan(0.01);
    const published = gammaGammaLogLikelihood(
      { p: 6.25, q: 3.74, v: 15.44 },
      rows.filter((r) => r.frequency > 0),
    );
    expect(fit?.logLikelihood ?? 0).toBeGreaterThanOrEqual(published);
  });

  it('reports a weak frequency/value correlation and no warning', () => {
    expect(Math.abs(fit?.frequencyValueCorrelation ?? 1)).toBeLessThan(0.3);
    expect(fit?.correlationWarning).toBe(false);
  });

  it.each([
    [2, 22.35, 24.66],
    [7, 73.74, 71.46],
  ])('x=%i, zbar=%f: conditional expected spend %f (published to 2 decimals)', (x, zbar, expected) => {
    // The note computes these from unrounded parameters; at the rounded ones x=7 gives 71.47.
    if (!fit) throw new Error('no fit');
    const e = expectedAverageSpend(fit.params, { frequency: x, averageValue: zbar });
    expect(Math.abs((e ?? 0) - expected)).toBeLessThan(0.005);
  });
});

describe('Gamma-Gamma recovers the parameters it was simulated from', () => {
  const truth = { p: 6, q: 4, v: 15 };
  it.each([21, 22])('seed %i: each parameter within 3 standard errors of the truth', (seed) => {
    const sim = simulateAccounts({
      accounts: 10_000,
      bgNbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
      gammaGamma: truth,
      minAge: 26,
      maxAge: 78,
      seed,
    });
    const fit = fitGammaGamma(sim);
    expect(fit.converged).toBe(true);
    const se = fit.standardErrors;
    if (!se) throw new Error('no standard errors');
    for (const k of ['p', 'q', 'v'] as const)
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * se[k]);
    // The population mean spend v p / (q - 1) = 30 is pinned down far better than p, q, v apiece.
    expect(Math.abs((fit.populationMeanSpend ?? 0) / 30 - 1)).toBeLessThan(0.05);
    expect(fit.correlationWarning).toBe(false);
  });
});

describe('Gamma-Gamma input handling', () => {
  it('leaves out non-repeat and non-positive accounts, saying why', () => {
    const rows = [
      { accountId: 'a', frequency: 0, averageValue: 0 },
      { accountId: 'b', frequency: 3, averageValue: -5 },
      ...Array.from({ length: 30 }, (_, i) => ({
        accountId: `c${i}`,
        frequency: 1 + (i % 4),
        averageValue: 10 + i,
      })),
    ];
    const fit = fitGammaGamma(rows);
    expect(fit.customers).toBe(30);
    expect(fit.excluded).toEqual([
      { accountId: 'a', reason: 'no repeat transaction' },
      { accountId: 'b', reason: 'average repeat transaction -5 is not positive (credits exceed invoices)' },
    ]);
  });

  it('warns when spend rises with frequency (|r| > 0.3)', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      accountId: `c${i}`,
      frequency: 1 + (i % 10),
      averageValue: 10 * (1 + (i % 10)) + (i % 3),
    }));
    const fit = fitGammaGamma(rows);
    expect(fit.frequencyValueCorrelation ?? 0).toBeGreaterThan(0.9);
    expect(fit.correlationWarning).toBe(true);
  });

  it('names the row and account of a value that is not a number', () => {
    expect(() =>
      fitGammaGamma([{ accountId: 'acme', frequency: 2, averageValue: Number.NaN }], {
        source: 'sql/rfm_summary.sql',
      }),
    ).toThrow(/sql\/rfm_summary.sql row 1 \(account 'acme'\)/);
  });

  it('refuses a book without usable repeat customers', () => {
    expect(() => fitGammaGamma([{ accountId: 'a', frequency: 0, averageValue: 0 }])).toThrow(
      /cannot be fitted/,
    );
  });
});
