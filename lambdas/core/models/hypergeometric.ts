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
  const { sum, logScale } = scaledSeries(a, b, c, z);
  return logScale === 0 ? sum : sum * Math.exp(logScale);
}

/**
 * log 2F1(a, b; c; z), for a positive value too large for a double (e.g. a and c near a million, as a
 * BG/NBD fit near its homogeneous-dropout boundary gives): the same series, rescaled as it grows.
 * @throws ModelError as {@link hyp2f1} does, and when the value is not positive.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  const { sum, logScale } = scaledSeries(a, b, c, z);
  if (!(sum > 0)) throw new ModelError(`hyp2f1(${a}, ${b}; ${c}; ${z}) = ${sum} has no logarithm`);
  return Math.log(sum) + logScale;
}

/** Largest partial sum kept unscaled; beyond it sum and term are divided by it and its log is carried. */
const RESCALE_AT = 1e200;
const LOG_RESCALE = Math.log(RESCALE_AT);

/** The power series of 2F1 as sum x exp(logScale). */
function scaledSeries(a: number, b: number, c: number, z: number): { sum: number; logScale: number } {
  if (!(z >= 0 && z < 1)) throw new ModelError(`hyp2f1: z = ${z} is outside [0, 1)`);
  if (c <= 0 && Number.isInteger(c)) {
    throw new ModelError(`hyp2f1: c = ${c} is a non-positive integer, where 2F1 is undefined`);
  }
  if (z === 0 || a === 0 || b === 0) return { sum: 1, logScale: 0 };
  const positiveFrom = Math.max(-a, -b, -c, 0);
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (term === 0) return { sum, logScale };
    if (Math.abs(sum) > RESCALE_AT) {
      sum /= RESCALE_AT;
      term /= RESCALE_AT;
      logScale += LOG_RESCALE;
    }
    const m = n + 1;
    if (m > positiveFrom) {
      const rho = z * Math.max((a + m) / (c + m), 1) * Math.max((b + m) / (m + 1), 1);
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
        return { sum, logScale };
      }
    }
  }
  throw new ModelError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}
