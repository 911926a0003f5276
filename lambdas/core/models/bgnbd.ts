import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import { InputContractError } from '../errors.ts';
import { logHyp2f1 } from './hypergeometric.ts';
import { type LikelihoodProblem, type MleOptions, maximizeLikelihood } from './mle.ts';
import { ModelError } from './model-error.ts';
import { assertValidRfm, type RfmObservation } from './rfm.ts';
import { type Duration, durationIn, type TimeUnit } from './time-unit.ts';

/** BG/NBD parameters: purchase rates ~ Gamma(r, alpha) per time unit, dropout probability ~ Beta(a, b). */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * A boundary of BG/NBD whose limiting model still predicts: 'no-dropout' (a -> 0 or b -> infinity: nobody
 * drops out, the NBD), 'homogeneous-dropout' (a, b -> infinity at a fixed a / (a + b) = p: every account
 * drops out with the same p after each purchase).
 */
export type BgNbdLimit = 'no-dropout' | 'homogeneous-dropout';

/** Fitted parameters together with the time unit they are expressed in. */
export interface BgNbdModel {
  readonly unit: TimeUnit;
  /**
   * In a limit, `a` and `b` stand for its dropout p: a = 0, b = 1 without dropout; a = p, b = 1 - p for a
   * homogeneous dropout, so that a / (a + b) is p in both. Absent for the full model.
   */
  readonly limit?: BgNbdLimit | null;
  readonly params: BgNbdParams;
}

/** A BG/NBD maximum-likelihood fit and how far to trust it. */
export interface BgNbdFit extends BgNbdModel {
  /** From the inverse Hessian of -LL; null when it is not positive definite. */
  readonly standardErrors: BgNbdParams | null;
  readonly logLikelihood: number;
  readonly accounts: number;
  /** Accounts with at least one repeat purchase (they alone inform a and b). */
  readonly repeatCustomers: number;
  readonly iterations: number;
  /** True only at an interior optimum; never on a boundary. */
  readonly converged: boolean;
  /** Why the fit did not converge; null when it did. */
  readonly reason: string | null;
  /**
   * Set when the maximum lies on a boundary of BG/NBD, where the full model gains no likelihood over the
   * limiting one: `params` then hold the limit's fit (see {@link BgNbdModel.limit}), which
   * {@link probabilityAlive} and {@link expectedTransactionsIfAlive} evaluate exactly. Null otherwise.
   */
  readonly limit: BgNbdLimit | null;
}

type History = Pick<RfmObservation, 'frequency' | 'recency' | 'age'>;

const NAMES = ['r', 'alpha', 'a', 'b'] as const;
/** Below this |a - 1| the expectation uses its limit at a = 1 (error O(|a - 1|), no cancellation). */
const NEAR_ONE = 1e-7;

function toParams([r = 0, alpha = 0, a = 0, b = 0]: readonly number[]): BgNbdParams {
  return { r, alpha, a, b };
}

function logAddExp(p: number, q: number): number {
  const m = Math.max(p, q);
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/** Identical (x, t_x, T) triples merged with a weight, so each likelihood evaluation is cheap. */
interface Grouped {
  readonly x: Int32Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  /** Distinct x values and, per group, the index into them. */
  readonly xValues: readonly number[];
  readonly xIndex: Int32Array;
  readonly total: number;
}

function group(rows: readonly History[]): Grouped {
  const weights = new Map<string, { x: number; tx: number; T: number; w: number }>();
  for (const { frequency, recency, age } of rows) {
    const key = `${frequency}|${recency}|${age}`;
    const g = weights.get(key);
    if (g) g.w += 1;
    else weights.set(key, { x: frequency, tx: recency, T: age, w: 1 });
  }
  const groups = [...weights.values()];
  const xValues = [...new Set(groups.map((g) => g.x))].sort((p, q) => p - q);
  const position = new Map(xValues.map((x, i) => [x, i]));
  return {
    x: Int32Array.from(groups, (g) => g.x),
    tx: Float64Array.from(groups, (g) => g.tx),
    T: Float64Array.from(groups, (g) => g.T),
    weight: Float64Array.from(groups, (g) => g.w),
    xValues,
    xIndex: Int32Array.from(groups, (g) => position.get(g.x) ?? 0),
    total: rows.length,
  };
}

function negLogLikelihood(d: Grouped, [r = 0, alpha = 0, a = 0, b = 0]: readonly number[]): number {
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const perX = d.xValues.map((x) => ({
    constant: gammaln(r + x) + gammaln(b + x) - gammaln(a + b + x),
    logRatio: x > 0 ? logA - Math.log(b + x - 1) : 0,
  }));
  let ll = d.total * (-gammaln(r) + r * logAlpha + gammaln(a + b) - gammaln(b));
  for (let i = 0; i < d.weight.length; i++) {
    const x = d.x[i] ?? 0;
    const A3 = -(r + x) * Math.log(alpha + (d.T[i] ?? 0));
    const p = perX[d.xIndex[i] ?? 0];
    if (!p) continue;
    // For x > 0 the second term is a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) times the first: add in log space.
    const term = x > 0 ? logAddExp(A3, p.logRatio - (r + x) * Math.log(alpha + (d.tx[i] ?? 0))) : A3;
    ll += (d.weight[i] ?? 0) * (p.constant + term);
  }
  return -ll;
}

function gradient(d: Grouped, [r = 0, alpha = 0, a = 0, b = 0]: readonly number[]): number[] {
  const psiAB = digamma(a + b);
  let gr = d.total * (Math.log(alpha) - digamma(r));
  let gAlpha = (d.total * r) / alpha;
  let ga = d.total * psiAB;
  let gb = d.total * (psiAB - digamma(b));
  const perX = d.xValues.map((x) => ({
    psiR: digamma(r + x),
    psiB: digamma(b + x),
    psiAB: digamma(a + b + x),
    logRatio: x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0,
  }));
  for (let i = 0; i < d.weight.length; i++) {
    const w = d.weight[i] ?? 0;
    const x = d.x[i] ?? 0;
    const p = perX[d.xIndex[i] ?? 0];
    if (!p) continue;
    const logT = Math.log(alpha + (d.T[i] ?? 0));
    const A3 = -(r + x) * logT;
    let w4 = 0;
    let logTx = 0;
    if (x > 0) {
      logTx = Math.log(alpha + (d.tx[i] ?? 0));
      const A4 = p.logRatio - (r + x) * logTx;
      w4 = 1 / (1 + Math.exp(A3 - A4));
    }
    const w3 = 1 - w4;
    gr += w * (p.psiR - w3 * logT - w4 * logTx);
    gAlpha -= w * (r + x) * (w3 / (alpha + (d.T[i] ?? 0)) + (x > 0 ? w4 / (alpha + (d.tx[i] ?? 0)) : 0));
    ga += w * (-p.psiAB + (x > 0 ? w4 / a : 0));
    gb += w * (p.psiB - p.psiAB - (x > 0 ? w4 / (b + x - 1) : 0));
  }
  return [-gr, -gAlpha, -ga, -gb];
}

/** NBD log-likelihood (BG/NBD without dropout): sum of lnG(r+x) - lnG(r) + r ln(alpha) - (r+x) ln(alpha+T). */
function nbdNegLogLikelihood(d: Grouped, [r = 0, alpha = 0]: readonly number[]): number {
  const perX = d.xValues.map((x) => gammaln(r + x));
  let ll = d.total * (-gammaln(r) + r * Math.log(alpha));
  for (let i = 0; i < d.weight.length; i++) {
    const x = d.x[i] ?? 0;
    ll += (d.weight[i] ?? 0) * ((perX[d.xIndex[i] ?? 0] ?? 0) - (r + x) * Math.log(alpha + (d.T[i] ?? 0)));
  }
  return -ll;
}

function nbdGradient(d: Grouped, [r = 0, alpha = 0]: readonly number[]): number[] {
  const perX = d.xValues.map((x) => digamma(r + x));
  let gr = d.total * (Math.log(alpha) - digamma(r));
  let gAlpha = (d.total * r) / alpha;
  for (let i = 0; i < d.weight.length; i++) {
    const w = d.weight[i] ?? 0;
    const x = d.x[i] ?? 0;
    const T = d.T[i] ?? 0;
    gr += w * ((perX[d.xIndex[i] ?? 0] ?? 0) - Math.log(alpha + T));
    gAlpha -= (w * (r + x)) / (alpha + T);
  }
  return [-gr, -gAlpha];
}

/**
 * BG/NBD with the same dropout probability p for everyone, in (r, alpha, o = p / (1 - p)): the limit a, b ->
 * infinity at a / (a + b) = p, where a / (b + x - 1) tends to o. Per account: lnG(r+x) - lnG(r) + r ln(alpha)
 * - x ln(1+o) + ln[(alpha+T)^-(r+x) + [x>0] o (alpha+t_x)^-(r+x)].
 */
function homogeneousTerms(
  d: Grouped,
  [r = 0, alpha = 0, o = 0]: readonly number[],
  withGradient: boolean,
): { nll: number; gradient: number[] } {
  const logO = Math.log(o);
  const log1pO = Math.log1p(o);
  let ll = d.total * (-gammaln(r) + r * Math.log(alpha));
  let gr = d.total * (Math.log(alpha) - digamma(r));
  let gAlpha = (d.total * r) / alpha;
  let go = 0;
  const perX = d.xValues.map((x) => ({ lg: gammaln(r + x), psi: withGradient ? digamma(r + x) : 0 }));
  for (let i = 0; i < d.weight.length; i++) {
    const w = d.weight[i] ?? 0;
    const x = d.x[i] ?? 0;
    const p = perX[d.xIndex[i] ?? 0];
    if (!p) continue;
    const logT = Math.log(alpha + (d.T[i] ?? 0));
    const A3 = -(r + x) * logT;
    const logTx = x > 0 ? Math.log(alpha + (d.tx[i] ?? 0)) : 0;
    const A4 = x > 0 ? logO - (r + x) * logTx : Number.NEGATIVE_INFINITY;
    ll += w * (p.lg - x * log1pO + (x > 0 ? logAddExp(A3, A4) : A3));
    if (!withGradient) continue;
    const w4 = x > 0 ? 1 / (1 + Math.exp(A3 - A4)) : 0;
    const w3 = 1 - w4;
    gr += w * (p.psi - w3 * logT - w4 * logTx);
    gAlpha -= w * (r + x) * (w3 / (alpha + (d.T[i] ?? 0)) + (x > 0 ? w4 / (alpha + (d.tx[i] ?? 0)) : 0));
    go += w * (-x / (1 + o) + w4 / o);
  }
  return { nll: -ll, gradient: [-gr, -gAlpha, -go] };
}

/**
 * Dropout parameters that raise the log-likelihood by less than this over the no-dropout NBD are not
 * measurable (a likelihood-ratio test needs 1.92 at 5%; this is far below any evidence).
 */
const NO_DROPOUT_GAIN = 1e-2;

/** Total BG/NBD log-likelihood of the accounts (Fader, Hardie & Lee 2005, eq. 6). */
export function bgNbdLogLikelihood(params: BgNbdParams, rows: readonly History[]): number {
  return -negLogLikelihood(group(rows), [params.r, params.alpha, params.a, params.b]);
}

/**
 * Fits BG/NBD by maximum likelihood on per-account (x, t_x, T) measured in `unit`.
 * Non-convergence is reported in `converged` / `reason`, never hidden.
 * @throws InputContractError on invalid rows (naming the row and account) or when there are none.
 */
export function fitBgNbd(
  rows: readonly RfmObservation[],
  unit: TimeUnit,
  options: MleOptions & { readonly source?: string } = {},
): BgNbdFit {
  const source = options.source ?? 'rfm summary';
  if (rows.length === 0) throw new InputContractError(`${source} has no accounts: BG/NBD needs at least one`);
  assertValidRfm(rows, source);
  const data = group(rows);
  const repeatCustomers = rows.filter((row) => row.frequency > 0).length;
  const meanX = rows.reduce((s, row) => s + row.frequency, 0) / rows.length;
  const meanT = rows.reduce((s, row) => s + row.age, 0) / rows.length;
  const start = [1, Math.max(meanT, 1e-3) / Math.max(meanX, 0.01), 1, 1];
  const problem: LikelihoodProblem = {
    names: NAMES,
    negLogLikelihood: (theta) => negLogLikelihood(data, theta),
    gradient: (theta) => gradient(data, theta),
  };
  const result = maximizeLikelihood(problem, start, options);
  const common = { unit, accounts: rows.length, repeatCustomers };
  if (repeatCustomers === 0) {
    return {
      ...common,
      params: toParams(result.params),
      standardErrors: result.standardErrors ? toParams(result.standardErrors) : null,
      logLikelihood: result.logLikelihood,
      iterations: result.iterations,
      converged: false,
      reason: 'no account has a repeat purchase, so the dropout parameters a and b cannot be estimated',
      limit: null,
    };
  }
  if (!result.converged) {
    // Two boundaries of BG/NBD have limiting models that still predict: the NBD without dropout, and a dropout
    // probability shared by all. When the full model gains nothing over one of them, its maximum lies on that
    // boundary and the limit's parameters are the answer.
    const nbd = maximizeLikelihood(
      {
        names: ['r', 'alpha'],
        negLogLikelihood: (theta) => nbdNegLogLikelihood(data, theta),
        gradient: (theta) => nbdGradient(data, theta),
      },
      start.slice(0, 2),
      options,
    );
    if (nbd.converged && nbd.logLikelihood >= result.logLikelihood - NO_DROPOUT_GAIN) {
      const [r = 0, alpha = 0] = nbd.params;
      const [seR = 0, seAlpha = 0] = nbd.standardErrors ?? [];
      return {
        ...common,
        params: { r, alpha, a: 0, b: 1 },
        standardErrors: { r: seR, alpha: seAlpha, a: 0, b: 0 },
        logLikelihood: nbd.logLikelihood,
        iterations: result.iterations + nbd.iterations,
        converged: false,
        reason: `no measurable dropout: the maximum lies on the boundary a -> 0, b -> infinity (${result.reason ?? 'stopped there'}), where BG/NBD reduces to the NBD`,
        limit: 'no-dropout',
      };
    }
    const [, , fittedA = 1, fittedB = 1] = result.params;
    const homogeneous = maximizeLikelihood(
      {
        names: ['r', 'alpha', 'dropout odds'],
        negLogLikelihood: (theta) => homogeneousTerms(data, theta, false).nll,
        gradient: (theta) => homogeneousTerms(data, theta, true).gradient,
      },
      [start[0] ?? 1, start[1] ?? 1, Math.min(Math.max(fittedA / fittedB, 1e-4), 1)],
      options,
    );
    if (homogeneous.converged && homogeneous.logLikelihood >= result.logLikelihood - NO_DROPOUT_GAIN) {
      const [r = 0, alpha = 0, o = 0] = homogeneous.params;
      const [seR = 0, seAlpha = 0] = homogeneous.standardErrors ?? [];
      const p = o / (1 + o);
      return {
        ...common,
        params: { r, alpha, a: p, b: 1 - p },
        standardErrors: { r: seR, alpha: seAlpha, a: 0, b: 0 },
        logLikelihood: homogeneous.logLikelihood,
        iterations: result.iterations + nbd.iterations + homogeneous.iterations,
        converged: false,
        reason: `the same dropout chance for every account: the maximum lies on the boundary where a and b grow together (${result.reason ?? 'stopped there'})`,
        limit: 'homogeneous-dropout',
      };
    }
  }
  return {
    ...common,
    params: toParams(result.params),
    standardErrors: result.standardErrors ? toParams(result.standardErrors) : null,
    logLikelihood: result.logLikelihood,
    iterations: result.iterations,
    converged: result.converged,
    reason: result.reason,
    limit: null,
  };
}

/**
 * Log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): the odds that the account has dropped out; in the
 * homogeneous limit a/(b+x-1) tends to p/(1-p), which `a` and `b` hold as p and 1 - p.
 */
function logDropoutOdds(model: BgNbdModel, { frequency: x, recency, age }: History): number {
  const { r, alpha, a, b } = model.params;
  if (x === 0 || model.limit === 'no-dropout') return Number.NEGATIVE_INFINITY;
  const prior =
    model.limit === 'homogeneous-dropout' ? Math.log(a) - Math.log(b) : Math.log(a) - Math.log(b + x - 1);
  return prior + (r + x) * (Math.log(alpha + age) - Math.log(alpha + recency));
}

/** P(alive | x, t_x, T): 1 for accounts without a repeat purchase (the model lets them drop out only after one). */
export function probabilityAlive(model: BgNbdModel, history: History): number {
  return 1 / (1 + Math.exp(logDropoutOdds(model, history)));
}

/** -expm1(k w) / k, with its limit -w at k = 0. */
function oneMinusExpOver(k: number, w: number): number {
  return Math.abs(k) < NEAR_ONE ? -w : -Math.expm1(k * w) / k;
}

/**
 * Expected transactions in the next `horizon`, given the account's history (FHL 2005, eq. 10),
 * in the model's time unit: {@link expectedTransactionsIfAlive} x {@link probabilityAlive}.
 */
export function expectedTransactions(model: BgNbdModel, history: History, horizon: Duration): number {
  return expectedTransactionsIfAlive(model, history, horizon) * probabilityAlive(model, history);
}

/**
 * The factor of the BG/NBD expectation (FHL 2005, eq. 10) that multiplies P(alive): expected transactions
 * in the next `horizon` of an account known to be alive. It depends on x and T only, not on t_x, so many
 * accounts share it (callers may cache it per (x, T)).
 *
 * Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) with A = r+x, B = b+x,
 * C = a+b+x-1 and z = t/(alpha+T+t) turns ((alpha+T)/(alpha+T+t))^(r+x) 2F1(...) into
 * (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): small parameters, no overflow for accounts with
 * thousands of transactions. The factor 1/(a-1) is taken as a limit when a is 1.
 */
export function expectedTransactionsIfAlive(
  model: BgNbdModel,
  history: Pick<History, 'frequency' | 'age'>,
  horizon: Duration,
): number {
  const t = durationIn(horizon, model.unit);
  if (t === 0) return 0;
  const { r, alpha, a, b } = model.params;
  const x = history.frequency;
  // Without dropout: a Gamma-Poisson purchaser whose rate's posterior is Gamma(r + x, alpha + T).
  if (model.limit === 'no-dropout') return ((r + x) * t) / (alpha + history.age);
  // The same dropout p for all (a, b -> infinity at a / (a + b) = p), the limit of eq. 10 if alive:
  // (1 - ((alpha + T) / (alpha + T + p t))^(r + x)) / p; 2F1 overflows there while this is exact.
  if (model.limit === 'homogeneous-dropout') {
    const p = a / (a + b);
    return -Math.expm1(-(r + x) * Math.log1p((p * t) / (alpha + history.age))) / p;
  }
  const z = t / (alpha + history.age + t);
  const k = a - 1;
  const c = a + b + x - 1;
  // log((1-z)^k F) / k, with F = 1 + k S so that k -> 0 has the finite limit log(1-z) + S. F is taken as a
  // logarithm because it overflows a double when a and b are large (a fit near the homogeneous-dropout
  // boundary), where (1-z)^k F itself stays near 1.
  const logPart =
    Math.abs(k) < NEAR_ONE
      ? Math.log1p(-z) + hyp2f1Derivative(a + b - 1 - r, c, z)
      : Math.log1p(-z) + logHyp2f1(a + b - 1 - r, k, c, z) / k;
  return c * oneMinusExpOver(k, logPart);
}

/**
 * d/dB 2F1(A, B; C; z) at B = 0: the sum over n >= 1 of (A)_n (n-1)! / ((C)_n n!) z^n. Term n+1 is
 * term n times z (A+n)/(C+n) n/(n+1) <= rho = z max((A+n)/(C+n), 1) once n > -A, -C, which bounds the
 * tail as in {@link hyp2f1}.
 */
function hyp2f1Derivative(A: number, C: number, z: number): number {
  let coefficient = 1;
  let sum = 0;
  for (let n = 1; n < 2_000_000; n++) {
    coefficient *= ((A + n - 1) / (C + n - 1)) * z;
    const term = coefficient / n;
    sum += term;
    if (term === 0) return sum;
    if (n > Math.max(-A, -C, 0)) {
      const rho = z * Math.max((A + n) / (C + n), 1);
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= 1e-15 * Math.abs(sum)) return sum;
    }
  }
  throw new ModelError(`BG/NBD expectation at a = 1 did not converge for z = ${z}`);
}

/** Expected transactions of a newly acquired account over `t` (FHL 2005, eq. 9): E[X(t)]. */
export function expectedTransactionsNewAccount(model: BgNbdModel, horizon: Duration): number {
  return expectedTransactions(model, { frequency: 0, recency: 0, age: 0 }, horizon);
}
