/** What {@link assessFitReliability} needs from a BG/NBD or Gamma-Gamma fit. */
export interface FitSummary {
  /** Model name for messages, e.g. `BG/NBD`. */
  readonly model: string;
  readonly converged: boolean;
  readonly reason: string | null;
  /** Accounts that inform the fit most: repeat customers. */
  readonly repeatCustomers: number;
  readonly params: Readonly<Record<string, number>>;
  readonly standardErrors: Readonly<Record<string, number>> | null;
}

/** Limits below which a number is printed with a caveat. */
export interface ReliabilityThresholds {
  /** @default 50 */
  readonly minRepeatCustomers?: number;
  /** Largest standard error / estimate allowed for any parameter. @default 0.5 */
  readonly maxRelativeStandardError?: number;
}

/** Whether a fitted number means much, and the caveats to print beside it when it does not. */
export interface FitReliability {
  readonly reliable: boolean;
  /** One sentence each, ready to print beside the number. */
  readonly caveats: readonly string[];
}

/**
 * Says when a fit is too uncertain to print without a caveat: it did not converge, too few repeat
 * customers, or a parameter's standard error is large relative to its estimate (or unknown).
 */
export function assessFitReliability(
  fit: FitSummary,
  thresholds: ReliabilityThresholds = {},
): FitReliability {
  const minRepeat = thresholds.minRepeatCustomers ?? 50;
  const maxRelative = thresholds.maxRelativeStandardError ?? 0.5;
  const caveats: string[] = [];
  if (!fit.converged) {
    caveats.push(
      `${fit.model} fit did not converge (${fit.reason ?? 'no reason given'}): treat its numbers as unreliable`,
    );
  }
  if (fit.repeatCustomers < minRepeat) {
    caveats.push(
      `${fit.model} rests on only ${fit.repeatCustomers} repeat customers (fewer than ${minRepeat}): figures are rough`,
    );
  }
  if (fit.standardErrors === null) {
    caveats.push(`${fit.model} parameter uncertainty is unknown (the Hessian is not positive definite)`);
  } else {
    for (const [name, estimate] of Object.entries(fit.params)) {
      const se = fit.standardErrors[name];
      if (se === undefined || !Number.isFinite(se)) continue;
      const relative = se / Math.abs(estimate);
      if (relative > maxRelative) {
        caveats.push(
          `${fit.model} parameter ${name} is uncertain (standard error ${Math.round(relative * 100)}% of the estimate, above ${Math.round(maxRelative * 100)}%)`,
        );
      }
    }
  }
  return { reliable: caveats.length === 0, caveats };
}
