import { type RunConfig, segmentOrder } from './config.ts';
import {
  describeEngagement,
  ENGAGEMENT_NOT_AVAILABLE,
  type EngagementByAccount,
  withEngagementRisk,
} from './engagement/engagement.ts';
import { InputContractError, RevsegError } from './errors.ts';
import type { AccountPrediction } from './insights.ts';
import {
  type BgNbdFit,
  type BgNbdModel,
  type BgNbdParams,
  expectedTransactionsIfAlive,
  fitBgNbd,
  probabilityAlive,
} from './models/bgnbd.ts';
import { assessChurnRisk, type RiskLevel } from './models/churn-risk.ts';
import { discountedTransactions } from './models/clv.ts';
import { buildCohorts, type CohortCell, type CohortRevenueRow } from './models/cohorts.ts';
import { forecastRevenueBySegment, type SegmentForecast } from './models/forecast.ts';
import {
  expectedAverageSpend,
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaParams,
} from './models/gamma-gamma.ts';
import { hiddenGems, scoreGrowthPotential } from './models/growth-potential.ts';
import { assessFitReliability, type FitReliability } from './models/reliability.ts';
import type { RfmObservation } from './models/rfm.ts';
import { type Duration, daysPerUnit, type TimeUnit } from './models/time-unit.ts';
import { type Period, periodContaining } from './period.ts';
import type { ClassifiedAccount } from './types.ts';

/** One account's purchase history in whole days, as `sql/rfm_summary.sql` returns it. */
export interface PurchaseSummary {
  readonly accountId: string;
  /** Repeat purchase days (BG/NBD x). */
  readonly frequency: number;
  /** Days from the first to the last purchase day (t_x). */
  readonly recencyDays: number;
  /** Days from the first purchase day to the period end (T). */
  readonly ageDays: number;
  /** Mean net amount of the repeat purchase days; 0 without repeats. */
  readonly avgRepeatValue: number;
}

/** The BG/NBD fit as the reports and the snapshot need it: units and reliability beside the numbers. */
export interface BgNbdFitSummary {
  readonly model: 'BG/NBD';
  /** Unit of the parameters (alpha is a number of these units). */
  readonly unit: TimeUnit;
  /** Null when no fit could be made at all. */
  readonly params: BgNbdParams | null;
  readonly standardErrors: BgNbdParams | null;
  readonly logLikelihood: number | null;
  readonly accounts: number;
  readonly repeatCustomers: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Why the fit did not converge or could not be made; null when it converged. */
  readonly reason: string | null;
  /**
   * The fit stopped on the boundary where every account has the same dropout probability: a and b grow
   * together without bound at a fixed a / (a + b), r and alpha are well determined. Predictions are then
   * made from the boundary values, with a caveat. False for a converged fit.
   */
  readonly homogeneousDropout: boolean;
  /**
   * The maximum lies on the no-dropout boundary (a -> 0, b -> infinity): BG/NBD reduces to the NBD, every
   * account is alive and predictions come from that limit. False for a converged fit.
   */
  readonly noDropout: boolean;
  /** One plain sentence for the reader when predictions come from a boundary's limiting model; else null. */
  readonly boundaryNote: string | null;
  /** Whether per-account predictions were made from it: a converged fit, or one on either boundary. */
  readonly used: boolean;
  readonly reliability: FitReliability;
}

/** The Gamma-Gamma spend fit, with the frequency/value independence check. */
export interface GammaGammaFitSummary {
  readonly model: 'Gamma-Gamma';
  readonly params: GammaGammaParams | null;
  readonly standardErrors: GammaGammaParams | null;
  /** Repeat customers with a positive average value (the accounts fitted). */
  readonly customers: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly reason: string | null;
  /** Mean spend per transaction across accounts, null when undefined. */
  readonly populationMeanSpend: number | null;
  readonly frequencyValueCorrelation: number | null;
  readonly correlationWarning: boolean;
  /**
   * Where per-account spend estimates come from: the converged fit's conditional expectation, or, when the
   * fit did not converge, each repeat customer's own average repeat value (the limit of that expectation as
   * p grows without bound, where a non-converging fit usually heads); null when no account has either.
   */
  readonly spendBasis: 'gamma-gamma' | 'own-average' | null;
  readonly reliability: FitReliability;
}

export interface ModelFits {
  readonly bgNbd: BgNbdFitSummary;
  readonly gammaGamma: GammaGammaFitSummary;
}

/** Predicted CLV of one segment over the horizon. */
export interface SegmentClv {
  readonly segment: string;
  readonly accounts: number;
  /** Accounts with a CLV (a converged BG/NBD fit and a spend estimate). */
  readonly accountsWithClv: number;
  /** Sum of the accounts' CLV; null when no account has one. */
  readonly totalClv: number | null;
  /** totalClv / accountsWithClv; null when no account has one. */
  readonly averageClv: number | null;
}

/** Churn risk of one segment: accounts per level and the T12M revenue at stake. */
export interface SegmentRisk {
  readonly segment: string;
  readonly accounts: Readonly<Record<Exclude<RiskLevel, 'none'>, number>>;
  readonly revenueAtRisk: Readonly<Record<Exclude<RiskLevel, 'none'>, number>>;
  /** Sum over high, medium and low. */
  readonly totalRevenueAtRisk: number;
}

/** A Low or Medium account in the top share of growth potential, best first. */
export interface HiddenGem {
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerName: string;
  readonly segment: string;
  readonly revenueT12m: number;
  readonly score: number;
  readonly reasons: readonly string[];
}

/** Forecast revenue of the period after the run's period, per segment. */
export interface NextPeriodForecast {
  /** Id of the period forecast, e.g. `2026-11` or `2026-Q4`. */
  readonly periodId: string;
  readonly horizon: Duration;
  readonly segments: readonly SegmentForecast[];
}

/** Everything the models predict for one period (issue 4), for the snapshot and the reports. */
export interface Predictions {
  readonly accounts: ReadonlyMap<string, AccountPrediction>;
  /** CLV and expected-transactions horizon. */
  readonly horizon: Duration;
  readonly grossMargin: number;
  readonly monthlyDiscountRate: number;
  readonly fits: ModelFits;
  /** In segment report order. */
  readonly clvBySegment: readonly SegmentClv[];
  /** In segment report order. */
  readonly atRiskRevenue: readonly SegmentRisk[];
  readonly hiddenGems: readonly HiddenGem[];
  /** First-purchase-quarter cohorts (fiscal quarters), up to the quarter holding the period end. */
  readonly cohorts: readonly CohortCell[];
  /** Null when BG/NBD or Gamma-Gamma gave no usable fit. */
  readonly forecast: NextPeriodForecast | null;
}

/** What {@link computePredictions} works from. */
export interface PredictionInput {
  readonly period: Period;
  readonly accounts: readonly ClassifiedAccount[];
  readonly purchases: readonly PurchaseSummary[];
  readonly cohortRows: readonly CohortRevenueRow[];
  readonly config: Pick<RunConfig, 'models' | 'segments' | 'locale' | 'fiscalYearStartMonth'>;
  /** Where the purchases come from, for messages. @default 'sql/rfm_summary.sql' */
  readonly purchaseSource?: string;
  /** @default 'sql/cohort_revenue.sql' */
  readonly cohortSource?: string;
  /** Engagement per account from the optional activities input (issue 8); feeds growth potential and churn risk. */
  readonly engagement?: EngagementByAccount;
}

const RISK_LEVELS = ['high', 'medium', 'low'] as const;

function checkPurchases(rows: readonly PurchaseSummary[], source: string): void {
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const where = `${source} row ${i + 1} (account '${row.accountId}')`;
    if (seen.has(row.accountId)) {
      throw new InputContractError(
        `${where}: account appears twice; the query must return one row per account`,
      );
    }
    seen.add(row.accountId);
    if (!Number.isFinite(row.avgRepeatValue)) {
      throw new InputContractError(`${where}: avg_repeat_value = ${row.avgRepeatValue} is not a number`);
    }
  });
}

function toObservation(row: PurchaseSummary, unit: TimeUnit): RfmObservation {
  const days = daysPerUnit(unit);
  return {
    accountId: row.accountId,
    frequency: row.frequency,
    recency: row.recencyDays / days,
    age: row.ageDays / days,
  };
}

/** Mean dropout probability after a purchase, a / (a + b). */
export function dropoutMean(params: BgNbdParams): number {
  return params.a / (params.a + params.b);
}

/**
 * Expected transactions over `horizon` on the homogeneous-dropout boundary of BG/NBD (a, b -> infinity at
 * a / (a + b) = p), the limit of FHL 2005 eq. 10: P(alive) (1 - ((alpha + T) / (alpha + T + p t))^(r + x)) / p.
 */
export function boundaryExpectedTransactions(
  model: BgNbdModel,
  history: RfmObservation,
  horizon: Duration,
): number {
  const p = dropoutMean(model.params);
  const limit: BgNbdModel = {
    ...model,
    limit: 'homogeneous-dropout',
    params: { ...model.params, a: p, b: 1 - p },
  };
  return expectedTransactionsIfAlive(limit, history, horizon) * probabilityAlive(limit, history);
}

function withCaveat(reliability: FitReliability, caveat: string): FitReliability {
  return { reliable: false, caveats: [...reliability.caveats, caveat] };
}

function summarizeBgNbd(
  fit: BgNbdFit | null,
  failure: string | null,
  unit: TimeUnit,
  observations: readonly RfmObservation[],
): BgNbdFitSummary {
  const repeatCustomers = fit?.repeatCustomers ?? observations.filter((o) => o.frequency > 0).length;
  const converged = fit?.converged ?? false;
  const reason = failure ?? fit?.reason ?? null;
  const params = fit?.params ?? null;
  const se = fit?.standardErrors ?? null;
  const noDropout = fit?.limit === 'no-dropout' && params !== null;
  const boundary = fit?.limit === 'homogeneous-dropout' && params !== null;
  const reliability =
    (noDropout || boundary) && params
      ? withCaveat(
          assessFitReliability({
            model: 'BG/NBD',
            converged: true,
            reason: null,
            repeatCustomers,
            params: { r: params.r, alpha: params.alpha },
            standardErrors: se ? { r: se.r, alpha: se.alpha } : null,
          }),
          noDropout
            ? 'BG/NBD stops on the no-dropout boundary (a -> 0, b -> infinity): predictions use its limit, the NBD, in which every account is alive'
            : `BG/NBD stops on a boundary: the dropout probability after each purchase is about the same for every account (${(100 * dropoutMean(params)).toFixed(2)}%), so a and b are not identified separately; predictions use that limit`,
        )
      : assessFitReliability({
          model: 'BG/NBD',
          converged,
          reason,
          repeatCustomers,
          params: params ? { ...params } : {},
          standardErrors: se ? { ...se } : null,
        });
  return {
    model: 'BG/NBD',
    unit,
    params,
    standardErrors: fit?.standardErrors ?? null,
    logLikelihood: fit?.logLikelihood ?? null,
    accounts: observations.length,
    repeatCustomers,
    iterations: fit?.iterations ?? 0,
    converged,
    reason,
    homogeneousDropout: boundary,
    noDropout,
    boundaryNote: noDropout
      ? 'The purchase history shows no measurable dropout, so every account is treated as still buying at its own rate (the no-dropout limit of BG/NBD).'
      : boundary && params
        ? `The purchase history shows the same dropout chance after each purchase for every account (${(100 * dropoutMean(params)).toFixed(2)}%), so predictions use that limit of BG/NBD.`
        : null,
    used: converged || boundary || noDropout,
    reliability,
  };
}

function summarizeGammaGamma(
  fit: GammaGammaFit | null,
  failure: string | null,
  repeatBuyers: number,
): GammaGammaFitSummary {
  const converged = fit?.converged ?? false;
  const reason = failure ?? fit?.reason ?? null;
  const params = fit?.params ?? null;
  const base = assessFitReliability({
    model: 'Gamma-Gamma',
    converged,
    reason,
    repeatCustomers: fit?.customers ?? 0,
    params: params ? { ...params } : {},
    standardErrors: fit?.standardErrors ? { ...fit.standardErrors } : null,
  });
  const correlation = fit?.frequencyValueCorrelation ?? null;
  const caveats = [...base.caveats];
  if (fit?.correlationWarning && correlation !== null) {
    caveats.push(
      `Gamma-Gamma assumes spend does not depend on purchase frequency, but they correlate (${correlation.toFixed(2)}): spend estimates may be biased`,
    );
  }
  const spendBasis = converged ? 'gamma-gamma' : repeatBuyers > 0 ? 'own-average' : null;
  if (spendBasis === 'own-average') {
    caveats.push(
      "spend per invoice is each account's own average repeat invoice day, not a Gamma-Gamma estimate, because the spend fit did not converge",
    );
  }
  return {
    model: 'Gamma-Gamma',
    params,
    standardErrors: fit?.standardErrors ?? null,
    customers: fit?.customers ?? 0,
    iterations: fit?.iterations ?? 0,
    converged,
    reason,
    populationMeanSpend: fit?.populationMeanSpend ?? null,
    frequencyValueCorrelation: correlation,
    correlationWarning: fit?.correlationWarning ?? false,
    spendBasis,
    reliability: { reliable: caveats.length === 0, caveats },
  };
}

/** Runs a fit; an expected failure (no data, a likelihood that cannot be evaluated) becomes a reason. */
function attempt<T>(run: () => T): { value: T | null; failure: string | null } {
  try {
    return { value: run(), failure: null };
  } catch (error) {
    if (error instanceof RevsegError) return { value: null, failure: error.message };
    throw error;
  }
}

/**
 * Memoizes a computation that depends on an account's repeat count x and age T only (not on t_x): the
 * alive-independent factor of the BG/NBD expectations. Accounts share (x, T) far more often than
 * (x, t_x, T); number keys avoid formatting fractional weeks as strings.
 */
function memoByFrequencyAndAge<R>(compute: (o: RfmObservation) => R): (o: RfmObservation) => R {
  const cache = new Map<number, Map<number, R>>();
  return (o) => {
    let byAge = cache.get(o.frequency);
    if (!byAge) {
      byAge = new Map();
      cache.set(o.frequency, byAge);
    }
    let value = byAge.get(o.age);
    if (value === undefined) {
      value = compute(o);
      byAge.set(o.age, value);
    }
    return value;
  };
}

function nextPeriodId(period: Period, fiscalYearStartMonth: number): string {
  const dayAfter = new Date(Date.parse(`${period.end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return periodContaining(dayAfter, period.cadence, fiscalYearStartMonth).id;
}

/**
 * Fits BG/NBD (in `config.models.fitUnit`) and Gamma-Gamma on the accounts' purchase summaries and derives,
 * per account, probability alive, expected transactions and CLV over the CLV horizon, churn risk with its
 * reason, growth potential with its reasons and the hidden-gem flag; per segment, CLV, revenue at risk and
 * next-period forecast; and first-purchase-quarter cohorts. Per-account model numbers come only from a
 * converged fit; otherwise they are null and the fit summary says why.
 * @throws InputContractError naming the source row when a purchase or cohort row is malformed.
 */
export function computePredictions(input: PredictionInput): Predictions {
  const { config, period } = input;
  const { fitUnit, clv: clvOptions, churnRisk, growthPotential } = config.models;
  const purchaseSource = input.purchaseSource ?? 'sql/rfm_summary.sql';
  checkPurchases(input.purchases, purchaseSource);
  const horizon: Duration = { value: clvOptions.horizonMonths, unit: 'months' };
  const nextHorizon: Duration = { value: period.months, unit: 'months' };

  const purchaseById = new Map(input.purchases.map((p) => [p.accountId, p]));
  const observations = input.purchases.map((p) => toObservation(p, fitUnit));
  const observationById = new Map(observations.map((o) => [o.accountId, o]));
  const bg = attempt(() =>
    observations.length > 0 ? fitBgNbd(observations, fitUnit, { source: purchaseSource }) : null,
  );
  const bgSummary = summarizeBgNbd(
    bg.value,
    bg.failure ?? (observations.length === 0 ? 'no account has a purchase up to the period end' : null),
    fitUnit,
    observations,
  );
  const gg = attempt(() =>
    fitGammaGamma(
      input.purchases.map((p) => ({
        accountId: p.accountId,
        frequency: p.frequency,
        averageValue: p.avgRepeatValue,
      })),
      { source: purchaseSource },
    ),
  );
  const ggSummary = summarizeGammaGamma(
    gg.value,
    gg.failure,
    input.purchases.filter((p) => p.frequency > 0 && p.avgRepeatValue > 0).length,
  );
  const model: BgNbdModel | null =
    bgSummary.used && bgSummary.params
      ? { unit: fitUnit, params: bgSummary.params, limit: bg.value?.limit ?? null }
      : null;
  const spendParams = ggSummary.spendBasis === 'gamma-gamma' ? ggSummary.params : null;
  const spendOf = (purchase: PurchaseSummary | undefined): number | null => {
    if (!purchase || purchase.frequency === 0 || purchase.avgRepeatValue <= 0) return null;
    if (ggSummary.spendBasis === 'own-average') return purchase.avgRepeatValue;
    return spendParams
      ? expectedAverageSpend(spendParams, {
          frequency: purchase.frequency,
          averageValue: purchase.avgRepeatValue,
        })
      : null;
  };

  const ifAliveOver = (o: RfmObservation, horizon: Duration): number =>
    model === null ? 0 : expectedTransactionsIfAlive(model, o, horizon);
  // Expected transactions if alive over months 1..H (for CLV) and over the next period, per (x, T); an
  // account's expectations are these times its P(alive), so CLV is computed per account with spend 1 and
  // margin 1 and scaled by both.
  const nextIsClvMonth = Number.isInteger(period.months) && period.months <= clvOptions.horizonMonths;
  const ifAliveOf = memoByFrequencyAndAge((o) => {
    const months = new Float64Array(clvOptions.horizonMonths);
    for (let m = 1; m <= months.length; m++) months[m - 1] = ifAliveOver(o, { value: m, unit: 'months' });
    const next = nextIsClvMonth ? (months[period.months - 1] ?? 0) : ifAliveOver(o, nextHorizon);
    return { months, next };
  });

  const scored = input.accounts.map((account) => {
    const engagement = input.engagement?.get(account.accountId);
    return scoreGrowthPotential(
      {
        accountId: account.accountId,
        industry: account.industry,
        employeeCount: account.employeeCount,
        revenueT12m: account.revenueT12m,
        revenuePriorT12m: account.revenuePriorT12m,
        monthlyRevenue: account.monthlyRevenue,
        engagement: engagement?.score ?? null,
        engagementNote: engagement
          ? describeEngagement(engagement)
          : input.engagement
            ? undefined
            : ENGAGEMENT_NOT_AVAILABLE,
      },
      growthPotential,
      config.locale,
    );
  });
  const gems = hiddenGems(
    input.accounts.map((a, i) => ({
      accountId: a.accountId,
      segment: a.segment,
      score: scored[i]?.score ?? null,
    })),
    growthPotential,
  );
  const gemIds = new Set(gems.map((g) => g.accountId));

  const accounts = new Map<string, AccountPrediction>();
  const forecastInputs: { segment: string; expectedTransactions: number; expectedSpend: number | null }[] =
    [];
  input.accounts.forEach((account, i) => {
    const purchase = purchaseById.get(account.accountId);
    const observation = purchase ? observationById.get(account.accountId) : undefined;
    const alive = observation && model ? probabilityAlive(model, observation) : null;
    const spend = spendOf(purchase);
    const ifAlive = observation && model ? ifAliveOf(observation) : null;
    const perUnitSpend =
      ifAlive && alive !== null
        ? discountedTransactions(ifAlive.months, alive, clvOptions.monthlyDiscountRate)
        : null;
    const clv =
      perUnitSpend && spend !== null ? perUnitSpend.discounted * spend * clvOptions.grossMargin : null;
    const assessed = assessChurnRisk(
      {
        accountId: account.accountId,
        revenueT12m: account.revenueT12m,
        revenuePriorT12m: account.revenuePriorT12m,
        recencyDays: purchase ? purchase.ageDays - purchase.recencyDays : account.recencyDays,
        repeatTransactions: purchase?.frequency ?? 0,
        activeSpanDays: purchase?.recencyDays ?? 0,
        probabilityAlive: alive,
      },
      churnRisk,
    );
    const risk = withEngagementRisk(assessed, input.engagement?.get(account.accountId), account.revenueT12m);
    const growth = scored[i];
    accounts.set(account.accountId, {
      accountId: account.accountId,
      probabilityAlive: alive,
      expectedTransactions: perUnitSpend?.expectedTransactions ?? null,
      expectedSpend: spend,
      clv,
      churnRisk: risk.level,
      churnReason: risk.reason,
      revenueAtRisk: risk.revenueAtRisk,
      growthScore: growth?.score ?? null,
      growthReasons: growth?.reasons ?? [],
      hiddenGem: gemIds.has(account.accountId),
    });
    forecastInputs.push({
      segment: account.segment,
      expectedTransactions: ifAlive && alive !== null ? ifAlive.next * alive : 0,
      expectedSpend: spend,
    });
  });

  const order = segmentOrder(config.segments);
  const members = new Map<string, (AccountPrediction | undefined)[]>();
  for (const a of input.accounts) {
    const prediction = accounts.get(a.accountId);
    const list = members.get(a.segment);
    if (list) list.push(prediction);
    else members.set(a.segment, [prediction]);
  }
  const bySegment = (segment: string) => members.get(segment) ?? [];
  const present = [...new Set([...order, ...members.keys()])];

  const clvBySegment: SegmentClv[] = present.map((segment) => {
    const members = bySegment(segment);
    const values = members.map((p) => p?.clv ?? null).filter((v): v is number => v !== null);
    const total = values.reduce((s, v) => s + v, 0);
    return {
      segment,
      accounts: members.length,
      accountsWithClv: values.length,
      totalClv: values.length > 0 ? total : null,
      averageClv: values.length > 0 ? total / values.length : null,
    };
  });

  const atRiskRevenue: SegmentRisk[] = present.map((segment) => {
    const members = bySegment(segment);
    const count = { high: 0, medium: 0, low: 0 };
    const revenue = { high: 0, medium: 0, low: 0 };
    for (const p of members) {
      if (!p || p.churnRisk === 'none') continue;
      count[p.churnRisk]++;
      revenue[p.churnRisk] += p.revenueAtRisk;
    }
    return {
      segment,
      accounts: count,
      revenueAtRisk: revenue,
      totalRevenueAtRisk: RISK_LEVELS.reduce((s, l) => s + revenue[l], 0),
    };
  });

  const byId = new Map(input.accounts.map((a) => [a.accountId, a]));
  const hidden: HiddenGem[] = gems.map((g) => {
    const account = byId.get(g.accountId);
    return {
      accountId: g.accountId,
      accountName: account?.accountName ?? g.accountId,
      ownerName: account?.ownerName ?? '',
      segment: g.segment,
      revenueT12m: account?.revenueT12m ?? 0,
      score: g.score ?? 0,
      reasons: accounts.get(g.accountId)?.growthReasons ?? [],
    };
  });

  const cohorts = buildCohorts(input.cohortRows, {
    lastQuarter: periodContaining(period.end, 'quarterly', config.fiscalYearStartMonth).start,
    source: input.cohortSource ?? 'sql/cohort_revenue.sql',
  });

  return {
    accounts,
    horizon,
    grossMargin: clvOptions.grossMargin,
    monthlyDiscountRate: clvOptions.monthlyDiscountRate,
    fits: { bgNbd: bgSummary, gammaGamma: ggSummary },
    clvBySegment,
    atRiskRevenue,
    hiddenGems: hidden,
    cohorts,
    forecast:
      model && ggSummary.spendBasis !== null
        ? {
            periodId: nextPeriodId(period, config.fiscalYearStartMonth),
            horizon: nextHorizon,
            segments: forecastRevenueBySegment(forecastInputs, order),
          }
        : null,
  };
}
