import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import { sampleCorrelation } from 'simple-statistics';
import { InputContractError } from '../errors.ts';
import { type LikelihoodProblem, type MleOptions, maximizeLikelihood } from './mle.ts';

/** Gamma-Gamma spend parameters: transaction values ~ Gamma(p, nu), nu ~ Gamma(q, v) across accounts. */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

/** One account's repeat-transaction spend. */
export interface SpendObservation {
  readonly accountId: string;
  /** x: repeat transactions. */
  readonly frequency: number;
  /** zbar: mean value of the repeat transactions (0 or anything when x = 0; such rows are not fitted). */
  readonly averageValue: number;
}

/** An account left out of the spend fit, and why. */
export interface ExcludedAccount {
  readonly accountId: string;
  readonly reason: string;
}

/** Correlation above which the Gamma-Gamma independence assumption is in doubt. */
export const CORRELATION_WARNING_THRESHOLD = 0.3;

/** A Gamma-Gamma maximum-likelihood fit with the frequency/value independence check. */
export interface GammaGammaFit {
  readonly params: GammaGammaParams;
  readonly standardErrors: GammaGammaParams | null;
  readonly logLikelihood: number;
  /** Accounts used: repeat customers with a positive average value. */
  readonly customers: number;
  readonly excluded: readonly ExcludedAccount[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly reason: string | null;
  /** v p / (q - 1): mean spend per transaction across accounts; null when q <= 1 (no finite mean). */
  readonly populationMeanSpend: number | null;
  /** Pearson correlation between frequency and average value of the fitted accounts; null under 3 accounts. */
  readonly frequencyValueCorrelation: number | null;
  /** True when |correlation| > 0.3: the model assumes spend does not depend on frequency. */
  readonly correlationWarning: boolean;
}

const NAMES = ['p', 'q', 'v'] as const;

interface SpendData {
  readonly x: Float64Array;
  readonly z: Float64Array;
}

function negLogLikelihood({ x, z }: SpendData, [p = 0, q = 0, v = 0]: readonly number[]): number {
  const base = -gammaln(q) + q * Math.log(v);
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? 0;
    const zi = z[i] ?? 0;
    const px = p * xi;
    ll +=
      base +
      gammaln(px + q) -
      gammaln(px) +
      (px - 1) * Math.log(zi) +
      px * Math.log(xi) -
      (px + q) * Math.log(xi * zi + v);
  }
  return -ll;
}

function gradient({ x, z }: SpendData, [p = 0, q = 0, v = 0]: readonly number[]): number[] {
  let gp = 0;
  let gq = 0;
  let gv = 0;
  const psiQ = digamma(q);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? 0;
    const zi = z[i] ?? 0;
    const px = p * xi;
    const psiPQ = digamma(px + q);
    const logDenominator = Math.log(xi * zi + v);
    gp += xi * (psiPQ - digamma(px) + Math.log(zi) + Math.log(xi) - logDenominator);
    gq += psiPQ - psiQ + Math.log(v) - logDenominator;
    gv += q / v - (px + q) / (xi * zi + v);
  }
  return [-gp, -gq, -gv];
}

/** Total Gamma-Gamma log-likelihood of repeat customers' average values (Fader & Hardie's note, eq. 4). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: readonly SpendObservation[]): number {
  const data = {
    x: Float64Array.from(rows, (r) => r.frequency),
    z: Float64Array.from(rows, (r) => r.averageValue),
  };
  return -negLogLikelihood(data, [params.p, params.q, params.v]);
}

function toParams([p = 0, q = 0, v = 0]: readonly number[]): GammaGammaParams {
  return { p, q, v };
}

/**
 * Fits Gamma-Gamma on accounts with at least one repeat transaction and a positive average value;
 * others are listed in `excluded` with the reason. Reports the frequency/value correlation.
 * @throws InputContractError on a non-finite value (naming row and account) or with no usable account.
 */
export function fitGammaGamma(
  rows: readonly SpendObservation[],
  options: MleOptions & { readonly source?: string } = {},
): GammaGammaFit {
  const source = options.source ?? 'spend summary';
  const used: SpendObservation[] = [];
  const excluded: ExcludedAccount[] = [];
  rows.forEach((row, i) => {
    if (!Number.isInteger(row.frequency) || row.frequency < 0 || !Number.isFinite(row.averageValue)) {
      throw new InputContractError(
        `${source} row ${i + 1} (account '${row.accountId}'): frequency = ${row.frequency}, averageValue = ${row.averageValue}; frequency must be a whole number >= 0 and averageValue a number`,
      );
    }
    if (row.frequency === 0) excluded.push({ accountId: row.accountId, reason: 'no repeat transaction' });
    else if (row.averageValue <= 0) {
      excluded.push({
        accountId: row.accountId,
        reason: `average repeat transaction ${row.averageValue} is not positive (credits exceed invoices)`,
      });
    } else used.push(row);
  });
  if (used.length === 0) {
    throw new InputContractError(
      `${source}: no account has a repeat transaction with a positive average value, so the spend model cannot be fitted`,
    );
  }
  const data = {
    x: Float64Array.from(used, (r) => r.frequency),
    z: Float64Array.from(used, (r) => r.averageValue),
  };
  const mean = used.reduce((s, r) => s + r.averageValue, 0) / used.length;
  const problem: LikelihoodProblem = {
    names: NAMES,
    negLogLikelihood: (theta) => negLogLikelihood(data, theta),
    gradient: (theta) => gradient(data, theta),
  };
  // Start at p = 1, q = 2 and v matching the observed mean spend (mean = v p / (q - 1)).
  const result = maximizeLikelihood(problem, [1, 2, mean], options);
  const params = toParams(result.params);
  const correlation = used.length >= 3 ? pearson(used) : null;
  return {
    params,
    standardErrors: result.standardErrors ? toParams(result.standardErrors) : null,
    logLikelihood: result.logLikelihood,
    customers: used.length,
    excluded,
    iterations: result.iterations,
    converged: result.converged,
    reason: result.reason,
    populationMeanSpend: params.q > 1 ? (params.v * params.p) / (params.q - 1) : null,
    frequencyValueCorrelation: correlation,
    correlationWarning: correlation !== null && Math.abs(correlation) > CORRELATION_WARNING_THRESHOLD,
  };
}

function pearson(rows: readonly SpendObservation[]): number | null {
  const r = sampleCorrelation(
    rows.map((row) => row.frequency),
    rows.map((row) => row.averageValue),
  );
  return Number.isFinite(r) ? r : null;
}

/**
 * E[average transaction value | x, zbar] = (v + x zbar) p / (p x + q - 1): a weighted mean of the
 * population mean and the account's own average. Accounts without repeat transactions (or with a
 * non-positive average) get the population mean.
 * @returns null when q <= 1 and the account has no usable history (the population mean is infinite).
 */
export function expectedAverageSpend(
  params: GammaGammaParams,
  spend: Pick<SpendObservation, 'frequency' | 'averageValue'>,
): number | null {
  const { p, q, v } = params;
  const x = spend.frequency > 0 && spend.averageValue > 0 ? spend.frequency : 0;
  const denominator = p * x + q - 1;
  if (denominator <= 0) return null;
  return (p * (v + x * (x > 0 ? spend.averageValue : 0))) / denominator;
}
