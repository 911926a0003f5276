import { segmentOrder } from '../config.ts';
import {
  describeEngagement,
  ENGAGEMENT_NOT_AVAILABLE,
  summarizeEngagement,
} from '../engagement/engagement.ts';
import { formatDuration } from '../models/time-unit.ts';
import { parsePeriod, periodContaining } from '../period.ts';
import { dropoutMean, type Predictions } from '../predictions.ts';
import type { ClassifiedAccount } from '../types.ts';
import {
  COHORT_CHART_ID,
  latestCohorts,
  SHOWN_AGES,
  SHOWN_COHORTS,
  shownAges,
} from './charts/cohort-chart.ts';
import { chartImageBlocks } from './charts/leadership-charts.ts';
import type { ReportBlock, ReportColumn } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { accountLabel } from './labels.ts';
import { periodLabel, type ReportContext } from './report-context.ts';

const right = (header: string): ReportColumn => ({ header, align: 'right' });
const left = (header: string): ReportColumn => ({ header, align: 'left' });

/** Below this many repeat customers a fit is too thin to print without the warning. */
const MIN_REPEAT_CUSTOMERS = 50;

/** Printed where a fit gives too little to go on, instead of false precision. */
export const TOO_FEW_REPEATS = 'too few repeat customers for a reliable fit';

function caveatBlocks(caveats: readonly string[]): ReportBlock[] {
  return caveats.length === 0 ? [] : [{ kind: 'paragraph', text: `Caveat: ${caveats.join('; ')}.` }];
}

/** The caveats of the fits a figure rests on, with the plain warning first when repeat customers are few. */
function fitCaveats(p: Predictions, spend: boolean): string[] {
  const { bgNbd, gammaGamma } = p.fits;
  const few =
    bgNbd.repeatCustomers < MIN_REPEAT_CUSTOMERS || (spend && gammaGamma.customers < MIN_REPEAT_CUSTOMERS);
  return [
    ...(few ? [TOO_FEW_REPEATS] : []),
    ...bgNbd.reliability.caveats,
    ...(spend ? gammaGamma.reliability.caveats : []),
  ];
}

function fitBlocks(p: Predictions, fmt: ReportFormatter): ReportBlock[] {
  const { bgNbd, gammaGamma } = p.fits;
  const unit = bgNbd.unit;
  const se = (value: number | undefined) => (value === undefined ? '' : ` ± ${fmt.number(value, 3)}`);
  const bgBase = `BG/NBD purchase model, fitted in ${unit} on ${fmt.number(bgNbd.accounts)} accounts (${fmt.number(bgNbd.repeatCustomers)} repeat customers)`;
  const rate = (params: { r: number; alpha: number }) =>
    `r = ${fmt.number(params.r, 3)}${se(bgNbd.standardErrors?.r)}, alpha = ${fmt.number(params.alpha, 2)}${se(bgNbd.standardErrors?.alpha)} ${unit}`;
  const bgText =
    bgNbd.noDropout && bgNbd.params
      ? `${bgBase}: ${rate(bgNbd.params)}; stopped on the no-dropout boundary after ${bgNbd.iterations} iterations. ${bgNbd.boundaryNote ?? ''}`
      : bgNbd.homogeneousDropout && bgNbd.params
        ? `${bgBase}: ${rate(bgNbd.params)}; dropout after each purchase ${fmt.percent(dropoutMean(bgNbd.params))} for every account (a and b run off together, so they are not reported); stopped on that boundary after ${bgNbd.iterations} iterations.`
        : bgNbd.converged && bgNbd.params
          ? `${bgBase}: r = ${fmt.number(bgNbd.params.r, 3)}${se(bgNbd.standardErrors?.r)}, alpha = ${fmt.number(bgNbd.params.alpha, 2)}${se(bgNbd.standardErrors?.alpha)} ${unit}, a = ${fmt.number(bgNbd.params.a, 3)}${se(bgNbd.standardErrors?.a)}, b = ${fmt.number(bgNbd.params.b, 3)}${se(bgNbd.standardErrors?.b)}; converged in ${bgNbd.iterations} iterations.`
          : `${bgBase}: no usable fit (${bgNbd.reason ?? 'no reason given'}), so no parameters, probabilities alive or CLV are reported.`;
  const ggBase = `Gamma-Gamma spend model on ${fmt.number(gammaGamma.customers)} repeat customers`;
  const ggText =
    gammaGamma.converged && gammaGamma.params
      ? `${ggBase}: p = ${fmt.number(gammaGamma.params.p, 3)}, q = ${fmt.number(gammaGamma.params.q, 3)}, v = ${fmt.number(gammaGamma.params.v, 2)}; mean spend per invoice ${fmt.money(gammaGamma.populationMeanSpend)}; frequency/value correlation ${fmt.number(gammaGamma.frequencyValueCorrelation, 2)}; converged in ${gammaGamma.iterations} iterations.`
      : `${ggBase}: no usable fit (${gammaGamma.reason ?? 'no reason given'}), so no parameters are reported${gammaGamma.spendBasis === 'own-average' ? "; spend per invoice is each account's own average" : ''}.`;
  return [
    { kind: 'heading', text: 'Predictive models' },
    { kind: 'list', items: [bgText, ggText] },
    ...caveatBlocks(fitCaveats(p, true)),
  ];
}

function clvBlocks(p: Predictions, fmt: ReportFormatter): ReportBlock[] {
  const horizon = formatDuration(p.horizon);
  const rows = p.clvBySegment
    .filter((s) => s.accounts > 0)
    .map((s) => [
      s.segment,
      fmt.number(s.accounts),
      fmt.number(s.accountsWithClv),
      fmt.money(s.totalClv),
      fmt.money(s.averageClv),
    ]);
  const withClv = p.clvBySegment.reduce((n, s) => n + s.accountsWithClv, 0);
  const total = p.clvBySegment.reduce((sum, s) => sum + (s.totalClv ?? 0), 0);
  return [
    { kind: 'heading', text: `Predicted customer lifetime value (next ${horizon})` },
    withClv === 0
      ? {
          kind: 'paragraph',
          text: `Not available: ${p.fits.bgNbd.used ? (p.fits.gammaGamma.reason ?? 'no account has a spend estimate') : (p.fits.bgNbd.reason ?? 'the purchase model was not fitted')}.`,
        }
      : {
          kind: 'table',
          columns: [
            left('Segment'),
            right('Accounts'),
            right('With CLV'),
            right('Total CLV'),
            right('Average CLV'),
          ],
          rows,
          footer: [
            'Total',
            fmt.number(p.clvBySegment.reduce((n, s) => n + s.accounts, 0)),
            fmt.number(withClv),
            fmt.money(total),
            fmt.money(total / withClv),
          ],
        },
    {
      kind: 'paragraph',
      text: `CLV over the next ${horizon}: BG/NBD expected invoices (model fitted in ${p.fits.bgNbd.unit}) x Gamma-Gamma expected spend per invoice x gross margin ${fmt.percent(p.grossMargin)}, discounted ${fmt.percent(p.monthlyDiscountRate)} per month. Accounts without a repeat purchase have no spend estimate and no CLV.`,
    },
    ...caveatBlocks(fitCaveats(p, true)),
  ];
}

function riskBlocks(
  p: Predictions,
  accounts: readonly ClassifiedAccount[],
  limit: number,
  fmt: ReportFormatter,
  engagementKnown: boolean,
): ReportBlock[] {
  const cell = (count: number, revenue: number) =>
    count === 0 ? MISSING : `${fmt.number(count)} · ${fmt.moneyCompact(revenue)}`;
  const rows = p.atRiskRevenue.map((s) => [
    s.segment,
    cell(s.accounts.high, s.revenueAtRisk.high),
    cell(s.accounts.medium, s.revenueAtRisk.medium),
    cell(s.accounts.low, s.revenueAtRisk.low),
    fmt.money(s.totalRevenueAtRisk),
  ]);
  const total = p.atRiskRevenue.reduce((sum, s) => sum + s.totalRevenueAtRisk, 0);
  const sumOf = (level: 'high' | 'medium' | 'low') =>
    cell(
      p.atRiskRevenue.reduce((n, s) => n + s.accounts[level], 0),
      p.atRiskRevenue.reduce((n, s) => n + s.revenueAtRisk[level], 0),
    );
  const top = accounts
    .map((a) => ({ account: a, prediction: p.accounts.get(a.accountId) }))
    .filter((x) => x.prediction && x.prediction.churnRisk !== 'none')
    .sort(
      (x, y) =>
        (y.prediction?.revenueAtRisk ?? 0) - (x.prediction?.revenueAtRisk ?? 0) ||
        x.account.accountId.localeCompare(y.account.accountId),
    )
    .slice(0, limit);
  return [
    { kind: 'heading', text: 'Revenue at risk' },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('High risk'),
        right('Medium risk'),
        right('Low risk'),
        right('T12M at risk'),
      ],
      rows,
      footer: ['Total', sumOf('high'), sumOf('medium'), sumOf('low'), fmt.money(total)],
    },
    {
      kind: 'paragraph',
      text: `Each cell: accounts · their T12M revenue. Risk combines ${p.fits.bgNbd.used ? 'the BG/NBD probability that the account is still buying, ' : ''}days since its last invoice against its usual rhythm, its revenue trend, and falling engagement (activities at most half the account's usual quarter raise the level one step)${engagementKnown ? '' : `; engagement ${ENGAGEMENT_NOT_AVAILABLE}`}.`,
    },
    { kind: 'paragraph', text: 'Largest accounts at risk', emphasis: true },
    {
      kind: 'table',
      columns: [
        left('Account'),
        left('Owner'),
        left('Segment'),
        left('Risk'),
        right('T12M at risk'),
        left('Why'),
      ],
      rows: top.map(({ account, prediction }) => [
        accountLabel(account),
        account.ownerName || account.ownerEmail || MISSING,
        account.segment,
        prediction?.churnRisk ?? MISSING,
        fmt.money(prediction?.revenueAtRisk ?? null),
        prediction?.churnReason ?? MISSING,
      ]),
      empty: 'No account is flagged at risk this period.',
    },
    ...caveatBlocks(p.fits.bgNbd.used ? fitCaveats(p, false) : []),
  ];
}

/**
 * Engagement per segment from the activities (issue 8): accounts by level, the median recent activity, and
 * the accounts whose activity fell to at most half their usual quarter, largest first, with why in words.
 */
export function engagementBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const heading: ReportBlock = { kind: 'heading', text: 'Engagement' };
  const engagement = ctx.engagement;
  if (!engagement) return [heading, { kind: 'paragraph', text: `Engagement: ${ENGAGEMENT_NOT_AVAILABLE}.` }];
  const summary = summarizeEngagement(
    ctx.analysis.accounts,
    engagement,
    segmentOrder(ctx.config.segments),
  ).filter((s) => s.accounts > 0);
  const falling = ctx.analysis.accounts
    .filter((a) => a.revenueT12m > 0 && engagement.get(a.accountId)?.falling === true)
    .sort((a, b) => b.revenueT12m - a.revenueT12m || a.accountId.localeCompare(b.accountId));
  const limit = ctx.config.report.topAccounts;
  return [
    heading,
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Accounts'),
        right('High'),
        right('Medium'),
        right('Low'),
        right('None'),
        right('Median'),
        right('Falling'),
      ],
      rows: summary.map((s) => [
        s.segment,
        fmt.number(s.accounts),
        fmt.number(s.levels.high),
        fmt.number(s.levels.medium),
        fmt.number(s.levels.low),
        fmt.number(s.levels.none),
        fmt.number(s.medianRecentEvents, 1),
        s.falling === 0 ? MISSING : `${fmt.number(s.falling)} · ${fmt.moneyCompact(s.fallingRevenueT12m)}`,
      ]),
    },
    {
      kind: 'paragraph',
      text: "Accounts per engagement level (None: no activity in 15 months); Median: activities per account in the last 3 months; Falling: accounts with revenue whose activity fell to at most half their usual quarter (usually 2 or more) · their T12M revenue. Engagement weighs the last 3 months of activities (meetings, support tickets, logins, replies) half against the account's own usual quarter (the 12 months before) and half against the other accounts of its segment: high from 2/3, medium from 1/3, low below. Engagement also feeds churn risk, growth potential and the clusters.",
    },
    { kind: 'paragraph', text: 'Largest accounts with falling engagement', emphasis: true },
    {
      kind: 'table',
      columns: [left('Account'), left('Owner'), left('Segment'), right('T12M'), left('Engagement')],
      rows: falling.slice(0, limit).map((a) => {
        const e = engagement.get(a.accountId);
        return [
          accountLabel(a),
          a.ownerName || a.ownerEmail || MISSING,
          a.segment,
          fmt.money(a.revenueT12m),
          e ? describeEngagement(e) : MISSING,
        ];
      }),
      empty: 'No account with revenue has falling engagement.',
    },
  ];
}

function gemBlocks(p: Predictions, limit: number, fmt: ReportFormatter): ReportBlock[] {
  const shown = p.hiddenGems.slice(0, limit);
  const more = p.hiddenGems.length - shown.length;
  return [
    { kind: 'heading', text: 'Hidden gems' },
    {
      kind: 'table',
      columns: [
        left('Account'),
        left('Owner'),
        left('Segment'),
        right('T12M'),
        right('Potential'),
        left('Why'),
      ],
      rows: shown.map((g) => [
        accountLabel(g),
        g.ownerName || MISSING,
        g.segment,
        fmt.money(g.revenueT12m),
        `${fmt.number(g.score)} / 100`,
        g.reasons.slice(0, 2).join('; ') || MISSING,
      ]),
      empty: 'No hidden gems this period.',
    },
    {
      kind: 'paragraph',
      text: `Low and Medium accounts in the top decile of growth potential (0-100 from headroom against an estimated wallet, momentum and engagement)${more > 0 ? `; ${fmt.number(more)} more in the snapshot` : ''}.`,
    },
  ];
}

function cohortBlocks(p: Predictions, ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const fy = ctx.config.fiscalYearStartMonth;
  const cohorts = latestCohorts(p.cohorts, SHOWN_COHORTS);
  const ages = shownAges(p.cohorts, SHOWN_AGES);
  const label = (start: string) =>
    periodLabel(periodContaining(start, 'quarterly', fy), ctx.config.locale, fy);
  const rows = cohorts.map((cohort) => {
    const cells = p.cohorts.filter((c) => c.cohort === cohort);
    return [
      label(cohort),
      fmt.number(cells[0]?.cohortAccounts ?? 0),
      ...Array.from({ length: ages }, (_, age) => {
        const c = cells.find((x) => x.ageQuarters === age);
        return c
          ? `${fmt.number(c.logoRetention * 100)} · ${fmt.number(c.revenueRetention === null ? null : c.revenueRetention * 100)}`
          : MISSING;
      }),
    ];
  });
  return [
    { kind: 'heading', text: 'Cohorts by first-purchase quarter' },
    ...chartImageBlocks(ctx, COHORT_CHART_ID),
    {
      kind: 'table',
      columns: [
        left('Cohort'),
        right('Accounts'),
        ...Array.from({ length: ages }, (_, age) => right(`Q+${age}`)),
      ],
      rows,
      empty: 'No cohorts: no account has a purchase yet.',
    },
    {
      kind: 'paragraph',
      text: `Each cell, in percent: accounts buying in that quarter / cohort accounts · revenue / revenue in the first quarter (a cohort's accounts may skip a quarter and buy again, so the first figure can rise with age), by age in ${fy === 1 ? 'calendar' : 'fiscal'} quarters. The latest quarter runs only to ${fmt.date(ctx.analysis.period.end)}. The last ${SHOWN_COHORTS} cohorts are shown; the snapshot's cohort_retention table has them all.`,
    },
  ];
}

function forecastBlocks(p: Predictions, ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const f = p.forecast;
  if (!f) {
    return [
      { kind: 'heading', text: 'Next-period forecast' },
      {
        kind: 'paragraph',
        text: `Not available: ${p.fits.bgNbd.used ? (p.fits.gammaGamma.reason ?? 'the spend model gave no usable fit') : (p.fits.bgNbd.reason ?? 'the purchase model was not fitted')}.`,
      },
    ];
  }
  const fy = ctx.config.fiscalYearStartMonth;
  const next = parsePeriod(f.periodId, ctx.analysis.period.cadence, fy);
  const total = f.segments.reduce((s, x) => s + x.expectedRevenue, 0);
  const without = f.segments.reduce((s, x) => s + x.accountsWithoutSpend, 0);
  return [
    {
      kind: 'heading',
      text: `Next-period forecast: ${periodLabel(next, ctx.config.locale, fy)} (${formatDuration(f.horizon)})`,
    },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Accounts'),
        right('Expected invoices'),
        right('Expected revenue'),
        right('Without spend estimate'),
      ],
      rows: f.segments.map((s) => [
        s.segment,
        fmt.number(s.accounts),
        fmt.number(s.expectedTransactions, 1),
        fmt.money(s.expectedRevenue),
        fmt.number(s.accountsWithoutSpend),
      ]),
      footer: [
        'Total',
        fmt.number(f.segments.reduce((s, x) => s + x.accounts, 0)),
        fmt.number(
          f.segments.reduce((s, x) => s + x.expectedTransactions, 0),
          1,
        ),
        fmt.money(total),
        fmt.number(without),
      ],
    },
    {
      kind: 'paragraph',
      text: `Expected invoices over the next ${formatDuration(f.horizon)} from BG/NBD (fitted in ${p.fits.bgNbd.unit}) x Gamma-Gamma expected spend per invoice, undiscounted. Accounts without a repeat purchase have no spend estimate and are left out of expected revenue, so it is a floor.`,
    },
    ...caveatBlocks(fitCaveats(p, true)),
  ];
}

/** How the purchase and spend models fitted, with their units and caveats: for the appendix. */
export function modelDiagnosticBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  return ctx.predictions ? fitBlocks(ctx.predictions, fmt) : [];
}

/**
 * The predictive sections of the leadership report: the fits with their units and caveats, predicted CLV
 * by segment, revenue at risk with the largest accounts at risk and why, hidden gems, the cohort table and
 * the next-period forecast per segment. Empty when the run made no predictions.
 */
export function predictionBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const p = ctx.predictions;
  if (!p) return [];
  const limit = ctx.config.report.topAccounts;
  return [
    ...clvBlocks(p, fmt),
    ...riskBlocks(p, ctx.analysis.accounts, limit, fmt, ctx.engagement !== undefined),
    ...engagementBlocks(ctx, fmt),
    ...gemBlocks(p, limit, fmt),
    ...cohortBlocks(p, ctx, fmt),
    ...forecastBlocks(p, ctx, fmt),
  ];
}
