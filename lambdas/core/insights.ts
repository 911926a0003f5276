/**
 * Per-account outputs of the predictive models (issue 4), shared by the snapshot, the leadership report
 * and the owner to-do list. Horizon and fit units are carried beside the numbers so nobody reads weeks
 * as months.
 */
export interface AccountPrediction {
  readonly accountId: string;
  /** BG/NBD probability that the account is still "alive"; null when the model could not be fitted. */
  readonly probabilityAlive: number | null;
  /** Expected invoices over the CLV horizon. */
  readonly expectedTransactions: number | null;
  /** Gamma-Gamma expected average transaction value; null for accounts without repeat purchases. */
  readonly expectedSpend: number | null;
  /** Discounted margin over the horizon. */
  readonly clv: number | null;
  readonly churnRisk: 'high' | 'medium' | 'low' | 'none';
  /** Why, in words, e.g. "no invoice for 210 days, normally every 35; probability alive 0.18". */
  readonly churnReason: string;
  /** T12M revenue at stake when the account is at risk, else 0. */
  readonly revenueAtRisk: number;
  /** 0-100, null when not scorable. */
  readonly growthScore: number | null;
  /** Top reasons of the growth score, in words. */
  readonly growthReasons: readonly string[];
  /** Low or Medium account in the top decile of growth potential. */
  readonly hiddenGem: boolean;
}
