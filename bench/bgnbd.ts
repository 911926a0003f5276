import { performance } from 'node:perf_hooks';
import { type BgNbdParams, fitBgNbd } from '../lambdas/core/models/bgnbd.ts';
import { simulateAccounts } from '../lambdas/core/models/simulate.ts';

/** Result of one BG/NBD fit benchmark. */
export interface BgNbdBenchmark {
  readonly accounts: number;
  readonly unit: 'days';
  /** Wall time to simulate the book (not part of the fit). */
  readonly simulateMs: number;
  /** Wall time of `fitBgNbd`, standard errors included. */
  readonly fitMs: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** The boundary whose limit the fit used, if any. */
  readonly limit: string | null;
  readonly truth: BgNbdParams;
  readonly fitted: BgNbdParams;
}

/** Purchase every 4 weeks on average per live account, about 1 in 4 dropping out per purchase. */
const TRUTH: BgNbdParams = { r: 0.25, alpha: 28, a: 0.8, b: 2.5 };
/** The same purchase rates without dropout (Beta(1e-9, 1) puts every dropout chance at 0): a boundary fit. */
export const NO_DROPOUT: BgNbdParams = { r: 0.25, alpha: 28, a: 1e-9, b: 1 };

/**
 * Simulates `accounts` accounts from known BG/NBD parameters (seeded, acquired over three years,
 * recency and age rounded to whole days as sql/rfm_summary.sql returns them) and times the fit.
 */
export function benchmarkBgNbd(accounts: number, truth: BgNbdParams = TRUTH): BgNbdBenchmark {
  const start = performance.now();
  const book = simulateAccounts({ accounts, bgNbd: truth, minAge: 30, maxAge: 1095, seed: 2005 }).map((a) => {
    const age = Math.round(a.age);
    return { ...a, age, recency: a.frequency === 0 ? 0 : Math.min(age, Math.round(a.recency)) };
  });
  const simulated = performance.now();
  const fit = fitBgNbd(book, 'days');
  const fitted = performance.now();
  return {
    accounts,
    unit: 'days',
    simulateMs: simulated - start,
    fitMs: fitted - simulated,
    iterations: fit.iterations,
    converged: fit.converged,
    limit: fit.limit,
    truth,
    fitted: fit.params,
  };
}
