import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { ModelError } from './model-error.ts';

/** A likelihood over strictly positive parameters, with its analytic gradient. */
export interface LikelihoodProblem {
  /** Parameter names in order, used in messages (e.g. `['r', 'alpha', 'a', 'b']`). */
  readonly names: readonly string[];
  /** Negative log-likelihood at positive parameters; may return a non-finite value where undefined. */
  negLogLikelihood(theta: readonly number[]): number;
  /** Gradient of the negative log-likelihood with respect to the (natural) parameters. */
  gradient(theta: readonly number[]): number[];
}

/** Stopping rules of {@link maximizeLikelihood}. */
export interface MleOptions {
  /** Newton iterations before giving up. @default 200 */
  readonly maxIterations?: number;
  /**
   * Converged when the Hessian is positive definite and the Newton decrement g'H⁻¹g/2, the
   * log-likelihood still to gain by a full Newton step, is below this. @default 1e-9
   */
  readonly tolerance?: number;
  /**
   * Stops when the last {@link STALL_STEPS} accepted steps together raised the log-likelihood by less than
   * this times (1 + |log-likelihood|): a likelihood that no longer improves, as on a boundary where a
   * parameter runs off and every step gains less than the one before. @default 1e-11
   */
  readonly stallTolerance?: number;
}

/** A parameter that ran off: more than e^12 times larger or smaller than its starting value. */
export interface RunawayParameter {
  readonly name: string;
  readonly towards: 'zero' | 'infinity';
}

/** Outcome of a maximum-likelihood fit. */
export interface MleResult {
  readonly params: number[];
  /** Log-likelihood at `params` (the maximum when converged). */
  readonly logLikelihood: number;
  /** From the inverse of the numerical Hessian of -LL in the natural parameters; null when not positive definite. */
  readonly standardErrors: number[] | null;
  /** Accepted Newton steps. */
  readonly iterations: number;
  /** True only at an interior optimum: the optimum test passed and no parameter ran off. */
  readonly converged: boolean;
  /** Why the fit did not converge, in words; null when it did. */
  readonly reason: string | null;
  /** Parameters that ran off towards a boundary of their range, whatever the optimum test said. */
  readonly runaway: readonly RunawayParameter[];
  /** The likelihood stopped improving before the optimum test passed. */
  readonly stalled: boolean;
}

/** Accepted steps over which {@link MleOptions.stallTolerance} is measured. */
export const STALL_STEPS = 3;

const LOG_BOUND = 30;
/** A parameter beyond e^±12 times its starting value is reported as running off. */
const RUNAWAY_LOG = 12;
const HESSIAN_STEP = 1e-5;
const MAX_STEP = 2;

function symmetric(rows: number[][]): Matrix {
  const n = rows.length;
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m.set(i, j, ((rows[i]?.[j] ?? 0) + (rows[j]?.[i] ?? 0)) / 2);
  }
  return m;
}

/** Central-difference Jacobian of a gradient, i.e. the Hessian, with relative steps `steps`. */
function numericalHessian(
  gradient: (x: number[]) => number[],
  x: readonly number[],
  steps: number[],
): Matrix {
  const columns = x.map((_, j) => {
    const h = steps[j] ?? HESSIAN_STEP;
    const up = x.slice();
    const down = x.slice();
    up[j] = (up[j] ?? 0) + h;
    down[j] = (down[j] ?? 0) - h;
    const gUp = gradient(up);
    const gDown = gradient(down);
    return gUp.map((g, i) => (g - (gDown[i] ?? 0)) / (2 * h));
  });
  return symmetric(x.map((_, i) => columns.map((col) => col[i] ?? 0)));
}

function choleskyOf(m: Matrix): CholeskyDecomposition | null {
  if (!m.to1DArray().every(Number.isFinite)) return null;
  const chol = new CholeskyDecomposition(m);
  return chol.isPositiveDefinite() ? chol : null;
}

/**
 * Standard errors from the inverse of the numerical Hessian of the negative log-likelihood in the
 * natural parameters (central differences of the analytic gradient); null when it is not positive definite.
 */
export function standardErrorsAt(problem: LikelihoodProblem, theta: readonly number[]): number[] | null {
  const hessian = numericalHessian(
    (x) => problem.gradient(x),
    theta,
    theta.map((t) => HESSIAN_STEP * t),
  );
  const chol = choleskyOf(hessian);
  if (!chol) return null;
  const inverse = chol.solve(Matrix.eye(theta.length));
  return theta.map((_, i) => Math.sqrt(inverse.get(i, i)));
}

/**
 * Maximises a likelihood over positive parameters by damped Newton steps on their logarithms
 * (Levenberg–Marquardt damping, numerical Hessian from the analytic gradient).
 *
 * Hand-written because the installed `fmin` 0.0.4 cannot be loaded as an ES module by Node or esbuild
 * (its `main` is a UMD file in a `"type": "module"` package) and its Nelder–Mead shrink step assigns an
 * undeclared variable; no maintained JavaScript optimiser was found. Newton steps also reach the tight
 * optimum that a likelihood as flat as BG/NBD's in (a, b) needs.
 * @param start positive starting values.
 */
export function maximizeLikelihood(
  problem: LikelihoodProblem,
  start: readonly number[],
  options: MleOptions = {},
): MleResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-9;
  const stallTolerance = options.stallTolerance ?? 1e-11;
  const k = start.length;
  const f = (u: readonly number[]): number => problem.negLogLikelihood(u.map(Math.exp));
  const gradU = (u: readonly number[]): number[] => {
    const theta = u.map(Math.exp);
    return problem.gradient(theta).map((g, i) => g * (theta[i] ?? 0));
  };

  const u0 = start.map(Math.log);
  let u = u0.slice();
  let fu = f(u);
  /** -LL after each accepted step, the last STALL_STEPS + 1 of them. */
  const recent: number[] = [fu];
  let stalled = false;
  if (!Number.isFinite(fu) || !gradU(u).every(Number.isFinite)) {
    throw new ModelError(
      `likelihood is not finite at the starting values ${problem.names.map((n, i) => `${n}=${start[i]}`).join(', ')}`,
    );
  }
  let damping = 0;
  let iterations = 0;
  let reason: string | null = `no convergence within ${maxIterations} iterations`;

  outer: while (iterations < maxIterations) {
    const g = gradU(u);
    const hessian = numericalHessian(gradU, u, new Array<number>(k).fill(HESSIAN_STEP));
    const chol = choleskyOf(hessian);
    if (chol) {
      const newton = chol.solve(Matrix.columnVector(g)).to1DArray();
      const decrement = newton.reduce((s, d, i) => s + d * (g[i] ?? 0), 0) / 2;
      if (decrement < tolerance) {
        reason = null;
        break;
      }
    }
    const scale = hessian.diag().map((d) => Math.max(Math.abs(d), 1e-12));
    for (let attempt = 0; attempt < 60; attempt++) {
      const damped = hessian.clone();
      for (let i = 0; i < k; i++) damped.set(i, i, damped.get(i, i) + damping * (scale[i] ?? 1));
      const dampedChol = choleskyOf(damped);
      if (dampedChol) {
        const step = dampedChol
          .solve(Matrix.columnVector(g))
          .to1DArray()
          .map((d) => -d);
        const longest = Math.max(...step.map(Math.abs));
        const shrink = longest > MAX_STEP ? MAX_STEP / longest : 1;
        const next = u.map((ui, i) => ui + shrink * (step[i] ?? 0));
        const fNext = next.every((x) => Math.abs(x) <= LOG_BOUND) ? f(next) : Number.POSITIVE_INFINITY;
        if (Number.isFinite(fNext) && fNext <= fu) {
          u = next;
          fu = fNext;
          damping /= 4;
          iterations++;
          recent.push(fu);
          if (recent.length > STALL_STEPS + 1) recent.shift();
          const gained = (recent[0] ?? fu) - fu;
          if (recent.length > STALL_STEPS && gained <= stallTolerance * (1 + Math.abs(fu))) {
            stalled = true;
            reason = `the likelihood stopped improving (less than ${stallTolerance} of it gained over ${STALL_STEPS} steps) before the optimum test passed`;
            break outer;
          }
          continue outer;
        }
      }
      damping = damping === 0 ? 1e-6 : damping * 4;
    }
    reason =
      'no step improves the likelihood any more, but the optimum test fails (flat or ill-conditioned likelihood)';
    break;
  }

  const params = u.map(Math.exp);
  // Measured from the start, which callers put at the data's own scale, so a scale parameter (a spend in
  // cents or a time in days) is not taken for a runaway; checked after a passed optimum test too, because a
  // likelihood that flattens towards a boundary can pass it far out.
  const runaway: RunawayParameter[] = u.flatMap((x, i) =>
    Math.abs(x - (u0[i] ?? 0)) > RUNAWAY_LOG
      ? [
          {
            name: problem.names[i] ?? `parameter ${i}`,
            towards: x > (u0[i] ?? 0) ? ('infinity' as const) : ('zero' as const),
          },
        ]
      : [],
  );
  if (runaway.length > 0) {
    reason = `${runaway.map((p) => `${p.name} runs off towards ${p.towards}`).join(', ')}: the data cannot identify ${runaway.length > 1 ? 'them' : 'it'}`;
  }
  const standardErrors = standardErrorsAt(problem, params);
  if (reason === null && standardErrors === null) {
    reason = 'the Hessian at the optimum is not positive definite';
  }
  return {
    params,
    logLikelihood: -fu,
    standardErrors,
    iterations,
    converged: reason === null,
    reason,
    runaway,
    stalled,
  };
}
