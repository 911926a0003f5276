import { ModelError } from './model-error.ts';

/** Relative size of the bounded remaining tail at which the series stops. */
const RELATIVE_TOLERANCE = 1e-15;
/** Hard cap on terms; reached only for z within about 1e-5 of 1. */
const MAX_TERMS = 2_000_000;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1, by its power series.
 *
 * Written by hand because no maintained JavaScript library provides 2F1 (stdlib has gammaln, betaln,
 * digamma but no hypergeometric function). Term m+1 is term m times z (a+m)/(c+m) (b+m)/(m+1).
 * Once m exceeds -a, -b and -c every factor is positive and each fraction is monotone in m, tending
 * to 1, so every later ratio is at most rho = z max((a+m)/(c+m), 1) max((b+m)/(m+1), 1). When rho < 1
 * the remaining tail is at most |term| rho / (1 - rho); summation stops when that bound is below
 * 1e-15 of the sum. This is a proof of accuracy, not a heuristic.
 *
 * Callers keep z away from 1 and the parameters small where they can (the BG/NBD expectation uses
 * Euler's transformation), so a few hundred terms usually suffice.
 * @throws ModelError when z is outside [0, 1), c is a non-positive integer, or the cap is reached.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new ModelError(`hyp2f1: z = ${z} is outside [0, 1)`);
  if (c <= 0 && Number.isInteger(c)) {
    throw new ModelError(`hyp2f1: c = ${c} is a non-positive integer, where 2F1 is undefined`);
  }
  if (z === 0 || a === 0 || b === 0) return 1;
  const positiveFrom = Math.max(-a, -b, -c, 0);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (term === 0) return sum;
    const m = n + 1;
    if (m > positiveFrom) {
      const rho = z * Math.max((a + m) / (c + m), 1) * Math.max((b + m) / (m + 1), 1);
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= RELATIVE_TOLERANCE * Math.abs(sum)) return sum;
    }
  }
  throw new ModelError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}
