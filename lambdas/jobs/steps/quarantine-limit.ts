import { InputContractError } from '../../core/errors.ts';

/** What a share-of-bad-rows check is about, for its message. */
export interface QuarantineLimitCheck {
  /** e.g. `revenue lines`, `activities rows`. */
  readonly what: string;
  readonly checked: number;
  readonly bad: number;
  /** Which problems, e.g. `Reasons: unknown_account: 2`. */
  readonly details: string;
  /** What to do, e.g. `Fix the input or raise the limit.` */
  readonly advice: string;
}

/**
 * Stops the run, before anything is written or sent, when more than `maxShare` of an input's checked rows were
 * set aside: a run that cannot trust its input must not report on it.
 */
export function assertWithinQuarantineLimit(check: QuarantineLimitCheck, maxShare: number): void {
  const { what, checked, bad } = check;
  if (checked === 0 || bad / checked <= maxShare) return;
  throw new InputContractError(
    `${bad} of ${checked} ${what} (${((100 * bad) / checked).toFixed(1)}%) failed validation, above validation.maxQuarantinedShare (${(100 * maxShare).toFixed(1)}%); nothing was written or sent. ${check.details}. ${check.advice}`,
  );
}
