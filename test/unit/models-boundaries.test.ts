import gammaRandom from '@stdlib/random-base-gamma';
import { describe, expect, it } from 'vitest';
import {
  expectedTransactions,
  expectedTransactionsIfAlive,
  fitBgNbd,
  probabilityAlive,
} from '../../lambdas/core/models/bgnbd.ts';
import { fitGammaGamma } from '../../lambdas/core/models/gamma-gamma.ts';
import { maximizeLikelihood } from '../../lambdas/core/models/mle.ts';
import type { RfmObservation } from '../../lambdas/core/models/rfm.ts';
import { simulateAccounts } from '../../lambdas/core/models/simulate.ts';

/** A book whose purchase process has no dropout: Beta(1e-9, 1) puts every dropout chance at 0. */
function noDropoutBook(accounts: number, seed: number): RfmObservation[] {
  return simulateAccounts({
    accounts,
    bgNbd: { r: 0.8, alpha: 3, a: 1e-9, b: 1 },
    minAge: 10,
    maxAge: 150,
    seed,
  }).map(({ accountId, frequency, recency, age }) => ({ accountId, frequency, recency, age }));
}

describe('BG/NBD on a book whose purchase process has no dropout', () => {
  const rows = noDropoutBook(4_000, 5);
  const fit = fitBgNbd(rows, 'weeks');

  it('finds the maximum on the no-dropout boundary, never calls it converged, and keeps the NBD fit', () => {
    expect(fit.limit).toBe('no-dropout');
    expect(fit.converged).toBe(false);
    expect(fit.reason).toMatch(/^no measurable dropout/);
    // r and alpha are well determined: within 4 standard errors of the truth
    expect(Math.abs(fit.params.r - 0.8)).toBeLessThan(4 * (fit.standardErrors?.r ?? 0));
    expect(Math.abs(fit.params.alpha - 3)).toBeLessThan(4 * (fit.standardErrors?.alpha ?? 0));
  });

  it('predicts from the limit: everyone alive, (r + x) t / (alpha + T) expected transactions', () => {
    const history = { frequency: 4, recency: 20, age: 60 };
    expect(probabilityAlive(fit, history)).toBe(1);
    const { r, alpha } = fit.params;
    expect(expectedTransactions(fit, history, { value: 10, unit: 'weeks' })).toBeCloseTo(
      ((r + 4) * 10) / (alpha + 60),
      12,
    );
  });

  it('is the limit of the full model as a -> 0: the general formula at a = 1e-8 agrees', () => {
    const history = { frequency: 3, recency: 30, age: 50 };
    const { r, alpha } = fit.params;
    const nearly = { unit: 'weeks' as const, params: { r, alpha, a: 1e-8, b: 1 } };
    const horizon = { value: 26, unit: 'weeks' as const };
    expect(expectedTransactionsIfAlive(nearly, history, horizon)).toBeCloseTo(
      expectedTransactionsIfAlive(fit, history, horizon),
      5,
    );
  });

  it('stops when the likelihood no longer improves instead of chasing b for hundreds of iterations', () => {
    expect(fit.iterations).toBeLessThan(80);
  });
});

describe('BG/NBD on a book whose accounts all share one dropout chance', () => {
  // Beta(2e5, 2e7): every dropout chance within a hair of 1%
  const rows = simulateAccounts({
    accounts: 4_000,
    bgNbd: { r: 1.2, alpha: 4, a: 2e5, b: 2e7 },
    minAge: 20,
    maxAge: 150,
    seed: 9,
  });
  const fit = fitBgNbd(rows, 'weeks');

  it('stops on that boundary, not converged, with the shared chance near the truth', () => {
    expect(fit.limit).toBe('homogeneous-dropout');
    expect(fit.converged).toBe(false);
    const p = fit.params.a / (fit.params.a + fit.params.b);
    expect(p).toBeGreaterThan(0.005);
    expect(p).toBeLessThan(0.02);
  });

  it('predicts close to what the true parameters predict', () => {
    // the truth's a and b are so large that the shared chance p = a / (a + b) is exact to 1e-5: its limit
    const p = 2e5 / (2e5 + 2e7);
    const truth = {
      unit: 'weeks' as const,
      limit: 'homogeneous-dropout' as const,
      params: { r: 1.2, alpha: 4, a: p, b: 1 - p },
    };
    const horizon = { value: 52, unit: 'weeks' as const };
    const total = (m: Parameters<typeof expectedTransactions>[0]) =>
      rows.reduce((s, row) => s + expectedTransactions(m, row, horizon), 0);
    expect(Math.abs(total(fit) / total(truth) - 1)).toBeLessThan(0.05);
  });
});

describe('a fit whose parameters run off is never converged', () => {
  it('a likelihood that keeps improving towards theta -> infinity reports the runaway, even past an optimum test', () => {
    // -LL = 1/theta: flat far out, so the Newton decrement passes any tolerance once theta is large enough
    const result = maximizeLikelihood(
      {
        names: ['theta'],
        negLogLikelihood: ([t = 1]) => 1 / t,
        gradient: ([t = 1]) => [-1 / (t * t)],
      },
      [1],
    );
    expect(result.converged).toBe(false);
    expect(result.runaway).toEqual([{ name: 'theta', towards: 'infinity' }]);
    expect(result.reason).toMatch(/theta runs off towards infinity/);
  });

  it('50 accounts that either stop after one repeat or buy steadily: a + b run to 0, withheld, not converged', () => {
    const rows: RfmObservation[] = [];
    for (let i = 0; i < 25; i++)
      rows.push({ accountId: `s${i}`, frequency: 40 + i, recency: 100, age: 100.5 });
    for (let i = 0; i < 25; i++)
      rows.push({ accountId: `g${i}`, frequency: 1, recency: 2 + i / 10, age: 100 });
    const fit = fitBgNbd(rows, 'weeks');
    expect(fit.converged).toBe(false);
    expect(fit.limit).toBeNull();
    expect(fit.reason).toMatch(/runs off|stopped improving/);
  });

  it('Gamma-Gamma whose averages vary only across accounts (inverse-gamma, no spread within) runs p off', () => {
    const gamma = gammaRandom.factory({ seed: 3 });
    const rows = Array.from({ length: 200 }, (_, i) => ({
      accountId: `a${i}`,
      frequency: 1 + (i % 5),
      averageValue: 1000 / gamma(3, 1),
    }));
    const fit = fitGammaGamma(rows);
    expect(fit.converged).toBe(false);
    expect(fit.reason).toMatch(/p runs off towards infinity/);
  });
});
