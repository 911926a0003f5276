import { analyzePortfolio } from '../core/analyze-portfolio.ts';
import { type RunConfig, segmentOrder } from '../core/config.ts';
import { withEngagementScores } from '../core/engagement/engagement.ts';
import { InputContractError, RevsegError } from '../core/errors.ts';
import { firmographicKpis } from '../core/firmographics/firmographic-kpis.ts';
import { type Cadence, lastClosedPeriod, type Period, parsePeriod, previousPeriod } from '../core/period.ts';
import type { Predictions } from '../core/predictions.ts';
import type { QuarantineSummary } from '../core/quarantine.ts';
import { reviewQuarterIds, type SegmentQuarter } from '../core/quarterly-review.ts';
import type { RenderedChart } from '../core/report/charts/chart.ts';
import { leadershipChartRequests } from '../core/report/charts/leadership-charts.ts';
import { type ChartRasterizer, renderCharts } from '../core/report/charts/render-chart.ts';
import type { SegmentPeriodKpis } from '../core/report/charts/segment-trend-chart.ts';
import { buildLeadershipMail, buildOwnerMails, periodLabel } from '../core/report/index.ts';
import { formatterFor, mailIdPrefix } from '../core/report/report-context.ts';
import { buildSnapshotTables } from '../core/snapshot/tables.ts';
import type { PortfolioAnalysis } from '../core/types.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { QueryEngine } from '../ports/query-engine.ts';
import type { SqlSource } from '../ports/sql-source.ts';
import { deliverMails, type MailOutcome } from './steps/deliver-mail.ts';
import { MailLedger } from './steps/mail-ledger.ts';
import { predict } from './steps/predict.ts';
import { readPreviousPortfolio } from './steps/previous-portfolio.ts';
import { assertWithinQuarantineLimit } from './steps/quarantine-limit.ts';
import { readFxConversion, readFxRates } from './steps/read-fx.ts';
import {
  checkInputContract,
  readAccountFeatures,
  readQuarantinedRows,
  summarizeQuarantine,
} from './steps/read-input.ts';
import {
  engagementAndCampaigns,
  overrideQuarantine,
  overridesOfRun,
  readActivities,
  readCampaignResponses,
  readSegmentOverrides,
  withOptionalQuarantine,
} from './steps/read-optional-input.ts';
import { readSalesInputs, salesOfRun } from './steps/read-sales-inputs.ts';
import { clusterAndPlan } from './steps/review.ts';
import { RunLease, type RunLeaseOptions } from './steps/run-lease.ts';
import { readSegmentKpiHistory } from './steps/snapshot-history.ts';
import { readPreviousSegments, writeSnapshot } from './steps/snapshot-store.ts';

/** Periods the segment trend chart covers, this one included. */
const TREND_PERIODS = 6;

/** The adapters a run needs; the CLI passes local ones, the Lambda handlers AWS ones. */
export interface JobDeps {
  readonly engine: QueryEngine;
  readonly store: ObjectStore;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sql: SqlSource;
  /**
   * Draws the report charts (resvg WebAssembly and the shipped font, loaded once by the composition code).
   * @default none: mails go out with the charts' tables only
   */
  readonly charts?: ChartRasterizer;
  /** Settings of the run's lease on its period (TTL, wall clock). @default DEFAULT_LEASE_TTL_MS, system clock */
  readonly lease?: Omit<RunLeaseOptions, 'logger'>;
}

export interface RunRequest {
  /** `2026-10` or `2026-Q3`; default: the last closed period of the cadence at `clock.now()`. */
  readonly periodId?: string;
  readonly cadence: Cadence;
  /** Send every mail again even if the ledger says it was sent. @default false */
  readonly resend?: boolean;
  /**
   * Send again only the mails to these addresses (e.g. one an earlier run reported in doubt), even if the
   * ledger has them; every other mail follows the ledger. @default none
   */
  readonly resendTo?: readonly string[];
  /** Build and record the mails but do not send them. @default false */
  readonly skipMail?: boolean;
}

export interface StageTiming {
  readonly stage: string;
  readonly ms: number;
  readonly rows?: number;
}

export type { MailOutcome } from './steps/deliver-mail.ts';

export interface RunSummary {
  readonly period: Period;
  readonly runDate: string;
  readonly accounts: number;
  readonly manifestKey: string;
  readonly snapshotLocation: string;
  readonly quarantine: QuarantineSummary;
  readonly analysis: PortfolioAnalysis;
  readonly predictions: Predictions;
  readonly mails: readonly MailOutcome[];
  readonly stages: readonly StageTiming[];
}

/**
 * Runs one closed period end to end. Steps, in order:
 * 1. resolve the period and refuse one that has not closed;
 * 2. check the input contract (required tables and columns) and the fx_rates rows, stopping before anything
 *    is written;
 * 3. count quarantined rows and stop when more than `validation.maxQuarantinedShare` of lines are bad;
 * 4. read the quarantined rows and one row of features per account, amounts converted to the reporting
 *    currency (SQL in the engine), and how lines in other currencies were converted or why not;
 * 5. read the optional inputs, each stopping the run when too many of its rows are bad: activities and
 *    campaign responses, opportunities and costs; take the period's lease (one run per cadence
 *    and period at a time: a second run is refused, a stale lease taken over; checked again before writing and
 *    mailing); then the earlier snapshots (previous
 *    period's segments, its portfolio KPIs, the segment KPIs of the trend window) and the segment overrides;
 * 6. compute segments, KPIs, bridge, concentration, migrations (pure core); engagement and campaign response
 *    rates when those inputs are present; predict: read purchase summaries and cohort revenue (SQL), fit
 *    BG/NBD and Gamma-Gamma, derive CLV, churn risk, growth potential, cohorts and the next-period forecast;
 *    cluster the accounts and plan the team's time, and for a quarterly run build the quarterly review;
 *    firmographic breakdowns; sales efficiency and profitability when opportunities or costs are present;
 * 7. write the snapshot tables as Parquet, manifest last (a rerun replaces the partition);
 * 8. render the leadership and owner mails, apply the recipient policy, and send each once via the ledger.
 */
export async function runPeriod(deps: JobDeps, config: RunConfig, request: RunRequest): Promise<RunSummary> {
  const { engine, store, mailer, clock, logger, sql } = deps;
  const stages: StageTiming[] = [];
  const stage = async <T>(name: string, work: () => Promise<T>, rows?: (value: T) => number): Promise<T> => {
    const started = performance.now();
    logger.info(`${name}…`);
    const value = await work();
    const timing = { stage: name, ms: Math.round(performance.now() - started), rows: rows?.(value) };
    stages.push(timing);
    logger.info(`${name} done`, { ms: timing.ms, rows: timing.rows });
    return value;
  };

  const now = clock.now();
  const runDate = now.toISOString().slice(0, 10);
  const fy = config.fiscalYearStartMonth;
  const period = request.periodId
    ? parsePeriod(request.periodId, request.cadence, fy)
    : lastClosedPeriod(now, request.cadence, fy);
  if (period.end >= runDate) {
    throw new RevsegError(
      `period ${period.id} ends on ${period.end} and has not closed on ${runDate}: run a closed period (the last one is ${lastClosedPeriod(now, request.cadence, fy).id})`,
    );
  }
  logger.info(`running ${period.cadence} period ${period.id} (${period.start}..${period.end})`, {
    runDate,
  });
  if (config.mail.allowedDomainsFrom === 'mail.from') {
    logger.warn(
      `mail.allowedDomains is not set: mail goes only to addresses at ${config.mail.allowedDomains.join(', ')}, ` +
        'the domain of mail.from; set mail.allowedDomains in the config to name your domains',
    );
  }

  await stage('check input contract', () => checkInputContract(engine));
  const fxRates = await stage(
    'check fx rates',
    () => readFxRates(engine, sql, config.currency),
    (r) => r?.rows ?? 0,
  );
  const quarantine = await stage(
    'validate input',
    () => summarizeQuarantine(engine, sql, runDate, config.currency),
    (q) => q.revenueLinesChecked,
  );
  assertTrustworthy(quarantine, config.validation.maxQuarantinedShare);
  const quarantinedRows = await stage(
    'read quarantined rows',
    () => readQuarantinedRows(engine, sql, runDate, config.currency),
    (r) => r.length,
  );
  const features = await stage(
    'compute account features',
    () => readAccountFeatures(engine, sql, period, runDate, config.currency),
    (f) => f.length,
  );
  const fx = await stage('summarize currency conversion', () =>
    readFxConversion(engine, sql, runDate, config.currency, fxRates),
  );
  if (features.length === 0) {
    throw new InputContractError('accounts has no valid rows: nothing to segment; check the accounts input');
  }

  const activities = await stage(
    'read activities',
    () => readActivities(engine, sql, period, runDate, config.validation.maxQuarantinedShare),
    (a) => a?.activity.length ?? 0,
  );
  const campaignResponses = await stage(
    'read campaign responses',
    () =>
      readCampaignResponses(
        engine,
        sql,
        period,
        runDate,
        config.validation.maxQuarantinedShare,
        config.currency,
      ),
    (c) => c?.responses.length ?? 0,
  );

  const salesInputs = await stage(
    'read sales inputs',
    () => readSalesInputs(engine, sql, new Set(features.map((f) => f.accountId)), config, period, runDate),
    (s) => (s.opportunities?.rowsChecked ?? 0) + (s.costs?.rowsChecked ?? 0),
  );

  // Taken once the inputs are trusted, before the first read of the store: a run that stops on bad input
  // writes nothing, not even a lease.
  const lease = await RunLease.acquire(store, period.cadence, period.id, { logger, ...deps.lease });
  try {
    const previous = await stage('read previous snapshot', () =>
      readPreviousSegments(store, period.cadence, previousPeriod(period, fy).id),
    );
    // Earlier snapshots are read once, before this period's is written: a bad one stops the run untouched.
    const previousPortfolio = await stage('read previous portfolio KPIs', () =>
      readPreviousPortfolio(store, period.cadence, previousPeriod(period, fy).id),
    );
    const earlierKpis = await stage(
      'read segment history',
      () =>
        readSegmentKpiHistory(
          store,
          period.cadence,
          reviewQuarterIds(period, fy, TREND_PERIODS).slice(0, -1),
        ),
      (h) => h.length,
    );
    const overrideCheck = await stage('read segment overrides', () =>
      readSegmentOverrides(engine, sql, {
        accounts: features,
        segmentNames: segmentOrder(config.segments),
        asOf: period.end,
      }),
    );
    const optionalChecks = [activities?.check, campaignResponses?.check, overrideQuarantine(overrideCheck)];
    const checkedQuarantine = withOptionalQuarantine(quarantine, optionalChecks);
    const analysis = await stage(
      'segment and compute KPIs',
      async () => analyzePortfolio(features, period, config.segments, previous, overrideCheck?.active),
      (a) => a.accounts.length,
    );
    const overrides = overridesOfRun(overrideCheck, analysis, config.segments);
    const { engagement, campaigns } = engagementAndCampaigns(analysis, config, activities, campaignResponses);
    const predictions = await stage(
      'predict',
      () => predict(engine, sql, analysis, config, runDate, engagement),
      (p) => p.accounts.size,
    );

    const planned = await stage(
      'cluster and plan',
      async () =>
        clusterAndPlan(
          engagement
            ? { ...analysis, accounts: withEngagementScores(analysis.accounts, engagement) }
            : analysis,
          config,
          earlierKpis,
          predictions.cohorts,
        ),
      (p) => p.clusters.clusteredAccounts,
    );

    const firmographics = await stage(
      'break down by firmographics',
      async () =>
        firmographicKpis(analysis, config.segments, config.firmographics, config.models.growthPotential),
      (f) => f.length,
    );

    const salesRun = await stage(
      'measure sales efficiency',
      async () => salesOfRun(salesInputs, analysis, config, checkedQuarantine),
      (s) => (s.sales.opportunities?.rowsChecked ?? 0) + (s.sales.costs?.rowsChecked ?? 0),
    );

    const tables = buildSnapshotTables({
      analysis,
      quarantine: salesRun.quarantine,
      quarantinedRows: [
        ...quarantinedRows,
        ...salesRun.quarantinedRows,
        ...optionalChecks.flatMap((c) => c?.rows ?? []),
      ],
      engagement,
      campaigns,
      config,
      generatedAt: now,
      clusters: planned.clusters,
      predictions,
      firmographics,
      overrides,
      sales: salesRun.sales,
      fx,
    });
    await lease.assertHeld();
    const manifestKey = await stage('write snapshot', () =>
      writeSnapshot(store, { cadence: period.cadence, periodId: period.id }, tables, { runDate }),
    );
    const snapshotLocation = store.locate(`snapshots/`);

    const context = {
      config,
      analysis,
      quarantine: salesRun.quarantine,
      sales: salesRun.sales,
      engagement,
      campaigns,
      generatedAt: now,
      snapshotLocation,
      clusters: planned.clusters,
      resourcePlan: planned.resourcePlan,
      review: planned.review,
      predictions,
      firmographics,
      overrides,
      fx,
      previousPortfolio,
      segmentHistory: segmentTrend(earlierKpis, period, config),
    };
    const rasterizer = deps.charts;
    const charts =
      rasterizer && !request.skipMail
        ? await stage(
            'draw charts',
            () =>
              renderCharts(leadershipChartRequests(context, formatterFor(context)), rasterizer, (error) =>
                logger.warn(`${error.message}; the mail shows its table only`),
              ),
            (c) => c.length,
          )
        : [];
    const reportContext = {
      ...context,
      charts: new Map(charts.map((c): [string, RenderedChart] => [c.id, c])),
    };
    await lease.assertHeld();
    const mails = await stage(
      'render and send mail',
      () =>
        deliverMails([buildLeadershipMail(reportContext), ...buildOwnerMails(reportContext)], {
          config,
          ledger: new MailLedger(store, period.cadence, period.id, () => clock.now()),
          mailer,
          request,
          logger,
          idPrefix: mailIdPrefix(period),
          snapshotLocation,
          beforeEach: () => lease.throwIfLost(),
        }),
      (m) => m.length,
    );

    return {
      period,
      runDate,
      accounts: analysis.accounts.length,
      manifestKey,
      snapshotLocation,
      quarantine: salesRun.quarantine,
      analysis,
      predictions,
      mails,
      stages,
    };
  } finally {
    await lease
      .release()
      .catch((error: unknown) =>
        logger.warn(
          `the lease of ${period.cadence} ${period.id} could not be released: ${(error as Error).message}`,
        ),
      );
  }
}

/** Segment totals of the earlier periods read for the trend chart, each with its label for people. */
function segmentTrend(
  history: readonly { periodId: string; segments: readonly SegmentQuarter[] }[],
  period: Period,
  config: RunConfig,
): SegmentPeriodKpis[] {
  const fy = config.fiscalYearStartMonth;
  return history.map(({ periodId, segments }) => ({
    periodId,
    label: periodLabel(parsePeriod(periodId, period.cadence, fy), config.locale, fy),
    segments: segments.map((s) => ({ segment: s.segment, accounts: s.accounts, revenueT12m: s.revenueT12m })),
  }));
}

function assertTrustworthy(quarantine: QuarantineSummary, maxShare: number): void {
  const { revenueLinesChecked: checked, revenueLinesQuarantined: bad } = quarantine;
  if (checked === 0) {
    throw new InputContractError('revenue_lines has no rows: check the revenue_lines input path or prefix');
  }
  const reasons = quarantine.counts
    .filter((c) => c.table === 'revenue_lines')
    .map((c) => `${c.reason}: ${c.rows}`)
    .join(', ');
  assertWithinQuarantineLimit(
    {
      what: 'revenue lines',
      checked,
      bad,
      details: `Reasons: ${reasons}`,
      advice: 'Fix the input or raise the limit.',
    },
    maxShare,
  );
}
