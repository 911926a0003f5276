import type { BracketAdvice } from '../clustering/bracket-advice.ts';
import type { ClusteringResult } from '../clustering/cluster-accounts.ts';
import type { Bracket } from '../config.ts';
import { parsePeriod, periodContaining } from '../period.ts';
import type { ResourcePlan } from '../playbook/resource-plan.ts';
import type {
  ClusterMix,
  CohortTrend,
  MigrationFlow,
  QuarterlyReview,
  ReviewChange,
  ReviewMeasure,
} from '../quarterly-review.ts';
import { campaignBlocks } from './campaign-sections.ts';
import type { ReportBlock, ReportColumn } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { countOf } from './labels.ts';
import { periodLabel, type ReportContext } from './report-context.ts';

const right = (header: string): ReportColumn => ({ header, align: 'right' });
const left = (header: string): ReportColumn => ({ header, align: 'left' });

function quarterName(ctx: ReportContext, id: string): string {
  const fy = ctx.config.fiscalYearStartMonth;
  return periodLabel(parsePeriod(id, 'quarterly', fy), ctx.config.locale, fy);
}

function flowText(label: string, flow: MigrationFlow, fmt: ReportFormatter): string {
  return `${label}: ${countOf(flow.accounts, 'account', fmt.number(flow.accounts))}, ${fmt.moneyCompact(flow.previousRevenueT12m)} → ${fmt.moneyCompact(flow.revenueT12m)} T12M`;
}

function performanceBlocks(ctx: ReportContext, review: QuarterlyReview, fmt: ReportFormatter): ReportBlock[] {
  const names = review.quarters.at(-1)?.segments.map((s) => s.segment) ?? [];
  const rows = names.flatMap((segment) =>
    review.quarters.map((q) => {
      const s = q.segments.find((x) => x.segment === segment);
      return [
        segment,
        quarterName(ctx, q.periodId),
        fmt.number(s?.accounts ?? null),
        fmt.money(s?.revenueT12m ?? null),
        fmt.percent(s?.revenueShare ?? null),
        fmt.money(s?.arpa ?? null),
        fmt.percent(s?.nrr ?? null),
        fmt.percent(s?.grr ?? null),
      ];
    }),
  );
  const first = review.quarters[0]?.periodId ?? review.periodId;
  const missing =
    review.missingQuarters.length === 0
      ? ''
      : ` No complete quarterly snapshot of ${review.missingQuarters.map((id) => quarterName(ctx, id)).join(', ')}: run ${review.missingQuarters.length === 1 ? 'that quarter' : 'those quarters'} to complete the trend.`;
  return [
    { kind: 'heading', text: 'Quarterly review: segment performance over the last four quarters' },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        left('Quarter'),
        right('Accounts'),
        right('T12M revenue'),
        right('Share'),
        right('ARPA'),
        right('NRR'),
        right('GRR'),
      ],
      rows,
    },
    {
      kind: 'paragraph',
      text: `${first === review.periodId ? quarterName(ctx, first) : `From ${quarterName(ctx, first)} to ${quarterName(ctx, review.periodId)}`}, each quarter's T12M at its end.${missing}`,
    },
  ];
}

function migrationSummaryBlocks(review: QuarterlyReview, fmt: ReportFormatter): ReportBlock[] {
  const m = review.migration;
  const flows: [string, MigrationFlow][] = [
    ['Stayed in their segment', m.stayed],
    ['Moved up a bracket', m.upgraded],
    ['Moved down a bracket', m.downgraded],
    ['Became inactive', m.churned],
    ['Reactivated', m.reactivated],
    ['New this quarter', m.newAccounts],
    ['From a segment no longer configured', m.other],
  ];
  const moves = m.largestMoves.map(
    (c) =>
      `${countOf(c.accounts, 'account', fmt.number(c.accounts))} from ${c.fromSegment} to ${c.toSegment} (${fmt.moneyCompact(c.previousRevenueT12m)} → ${fmt.moneyCompact(c.revenueT12m)})`,
  );
  return [
    { kind: 'heading', text: 'Migration over the quarter' },
    {
      kind: 'list',
      items: flows.filter(([, f]) => f.accounts > 0).map(([label, f]) => flowText(label, f, fmt)),
    },
    ...(moves.length > 0
      ? [{ kind: 'paragraph', text: `Largest moves: ${moves.join('; ')}.` } as const]
      : [{ kind: 'paragraph', text: 'No account moved between segments this quarter.' } as const]),
  ];
}

/** Cluster profiles in plain words, with how k was chosen; every run can show them. */
export function clusterProfileBlocks(
  clusters: ClusteringResult,
  mix: readonly ClusterMix[] | undefined,
  fmt: ReportFormatter,
): ReportBlock[] {
  if (clusters.status !== 'clustered') {
    return [
      { kind: 'heading', text: 'Cluster profiles' },
      { kind: 'paragraph', text: `Not clustered: ${clusters.reason ?? 'not enough data'}.` },
    ];
  }
  const ks = clusters.silhouetteByK.map((s) => s.k);
  const mainOf = new Map((mix ?? []).map((m) => [m.clusterId, m]));
  const engaged = clusters.features?.includes('engagement') === true;
  return [
    { kind: 'heading', text: 'Cluster profiles' },
    {
      kind: 'paragraph',
      text: `${countOf(clusters.clusteredAccounts, 'account', fmt.number(clusters.clusteredAccounts))} with revenue fall into ${clusters.k} groups by k-means on log revenue, log invoices, recency, growth, tenure${engaged ? ' and engagement (from the activities)' : ''} (standardized); k = ${clusters.k} had the best silhouette (${fmt.number(clusters.silhouette, 2)}) of k = ${Math.min(...ks)}–${Math.max(...ks)}, seed ${clusters.seed}.`,
    },
    {
      kind: 'table',
      columns: [
        left('Cluster'),
        left('In plain words'),
        right('Accounts'),
        right('T12M revenue'),
        right('Share'),
        right('Avg T12M'),
        right('Avg invoices'),
        right('Avg days since invoice'),
        right('Avg YoY'),
        ...(engaged ? [right('Avg engagement')] : []),
        left('Mostly in'),
      ],
      rows: clusters.profiles.map((p) => {
        const m = mainOf.get(p.clusterId);
        const main = m?.bySegment.find((s) => s.segment === m.mainSegment);
        return [
          String(p.clusterId + 1),
          p.label,
          fmt.number(p.accounts),
          fmt.money(p.revenueT12m),
          fmt.percent(p.revenueShare),
          fmt.money(p.meanRevenueT12m),
          fmt.number(p.meanInvoicesT12m, 1),
          fmt.number(p.meanRecencyDays),
          fmt.percentDelta(p.meanGrowthYoy),
          ...(engaged ? [fmt.number(p.meanEngagement ?? null, 2)] : []),
          main ? `${main.segment} (${fmt.number(main.accounts)} of ${fmt.number(p.accounts)})` : MISSING,
        ];
      }),
    },
  ];
}

function threshold(b: Bracket | undefined, fmt: ReportFormatter): string {
  if (!b) return MISSING;
  return `${b.minInclusive ? '≥' : '>'} ${fmt.money(b.min)}`;
}

/** Natural-breaks advice beside the configured brackets, with what would move; never applied. */
export function bracketAdviceBlocks(advice: BracketAdvice, fmt: ReportFormatter): ReportBlock[] {
  if (advice.status !== 'advised') {
    return [
      { kind: 'heading', text: 'Bracket advice' },
      { kind: 'paragraph', text: `No advice this quarter: ${advice.reason ?? 'not enough data'}.` },
    ];
  }
  const rows = advice.comparison.map((c) => {
    const configured = advice.configured.find((b) => b.name === c.segment);
    const advised = advice.advised.find((b) => b.name === c.segment);
    const inactive = !configured;
    return [
      c.segment,
      inactive ? 'T12M ≤ 0' : threshold(configured, fmt),
      inactive ? 'T12M ≤ 0' : threshold(advised, fmt),
      fmt.number(c.configuredAccounts),
      fmt.number(c.advisedAccounts),
      fmt.money(c.configuredRevenueT12m),
      fmt.money(c.advisedRevenueT12m),
    ];
  });
  const moves = advice.moves.map(
    (m) =>
      `${countOf(m.accounts, 'account', fmt.number(m.accounts))} from ${m.fromSegment} to ${m.toSegment} (${fmt.moneyCompact(m.revenueT12m)} T12M)`,
  );
  return [
    { kind: 'heading', text: 'Bracket advice' },
    {
      kind: 'paragraph',
      text: 'Natural breaks (Ckmeans) on log T12M revenue, beside the configured brackets. Advice only: segments keep the configured brackets until the config is changed.',
    },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Configured'),
        right('Advised'),
        right('Accounts now'),
        right('Accounts if adopted'),
        right('T12M revenue now'),
        right('T12M revenue if adopted'),
      ],
      rows,
    },
    moves.length === 0
      ? { kind: 'paragraph', text: 'Adopting the advice would move no account.' }
      : {
          kind: 'paragraph',
          text: `Adopting the advice would move ${countOf(advice.accountsMoving, 'account', fmt.number(advice.accountsMoving))} with ${fmt.moneyCompact(advice.revenueMoving)} T12M revenue: ${moves.join('; ')}.`,
        },
  ];
}

function cohortLabel(ctx: ReportContext, cohort: string): string {
  const fy = ctx.config.fiscalYearStartMonth;
  return periodLabel(periodContaining(cohort, 'quarterly', fy), ctx.config.locale, fy);
}

function cohortBlocks(
  ctx: ReportContext,
  cohorts: readonly CohortTrend[],
  fmt: ReportFormatter,
): ReportBlock[] {
  return [
    { kind: 'heading', text: 'Cohort trends' },
    {
      kind: 'table',
      columns: [
        left('First-purchase quarter'),
        right('Accounts'),
        right('Logo retention after 1 quarter'),
        right('Logo retention after 4 quarters'),
        right('Revenue retention after 4 quarters'),
      ],
      rows: cohorts.map((c) => [
        cohortLabel(ctx, c.cohort),
        fmt.number(c.cohortAccounts),
        fmt.percent(c.logoRetentionQ1),
        fmt.percent(c.logoRetentionQ4),
        fmt.percent(c.revenueRetentionQ4),
      ]),
      empty: 'No cohorts yet.',
    },
    {
      kind: 'paragraph',
      text: `Newest cohorts first; ${MISSING} where a cohort is not that old yet. Revenue retention is against the acquisition quarter.`,
    },
  ];
}

const MEASURE_WORDS: Readonly<Record<ReviewMeasure, string>> = {
  revenue: 'T12M revenue',
  share: 'Revenue share',
  accounts: 'Accounts',
  arpa: 'ARPA',
  nrr: 'NRR',
};

function changeText(ctx: ReportContext, c: ReviewChange, fmt: ReportFormatter): string {
  const span = `from ${quarterName(ctx, c.fromPeriodId)} to ${quarterName(ctx, c.toPeriodId)}`;
  const what = `${MEASURE_WORDS[c.measure]} moved most in ${c.segment}`;
  switch (c.measure) {
    case 'revenue':
    case 'arpa':
      return `${what}: ${fmt.moneyCompact(c.from)} → ${fmt.moneyCompact(c.to)} (${fmt.moneyDelta(c.delta)}) ${span}`;
    case 'accounts':
      return `${what}: ${fmt.number(c.from)} → ${fmt.number(c.to)} (${fmt.countDelta(c.delta)}) ${span}`;
    case 'share':
    case 'nrr':
      return `${what}: ${fmt.percent(c.from)} → ${fmt.percent(c.to)} (${fmt.pointsDelta(c.to, c.from)}) ${span}`;
  }
}

function changedMostBlocks(ctx: ReportContext, review: QuarterlyReview, fmt: ReportFormatter): ReportBlock[] {
  const items =
    review.quarters.length < 2
      ? ['Only this quarter has a snapshot, so there is no four-quarter comparison yet']
      : review.changes.map((c) => changeText(ctx, c, fmt));
  const move = review.migration.largestMoves[0];
  if (move) {
    items.push(
      `Most common move this quarter: ${countOf(move.accounts, 'account', fmt.number(move.accounts))} from ${move.fromSegment} to ${move.toSegment}`,
    );
  }
  if (review.bracketAdvice.status === 'advised' && review.bracketAdvice.accountsMoving > 0) {
    items.push(
      `The advised brackets would move ${countOf(review.bracketAdvice.accountsMoving, 'account', fmt.number(review.bracketAdvice.accountsMoving))} (${fmt.moneyCompact(review.bracketAdvice.revenueMoving)})`,
    );
  }
  return [
    { kind: 'heading', text: 'What changed most over the four quarters' },
    items.length === 0
      ? { kind: 'paragraph', text: 'Nothing changed between the first and the last quarter.' }
      : { kind: 'list', items },
  ];
}

/**
 * The "Quarterly review" part of the leadership mail (quarterly runs only, empty otherwise): segment
 * performance over the last four quarters, migration over the quarter, cluster profiles, bracket advice
 * beside the configured thresholds, cohort trends when the models computed them, what changed most, and
 * campaign response by segment (issue 8).
 */
export function quarterlyReviewBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const review = ctx.review;
  if (!review) return [];
  return [
    ...performanceBlocks(ctx, review, fmt),
    ...migrationSummaryBlocks(review, fmt),
    ...clusterProfileBlocks(review.clusters, review.clusterMix, fmt),
    ...bracketAdviceBlocks(review.bracketAdvice, fmt),
    ...(review.cohorts ? cohortBlocks(ctx, review.cohorts, fmt) : []),
    ...changedMostBlocks(ctx, review, fmt),
    ...campaignBlocks(ctx, fmt),
  ];
}

function ownerName(o: ResourcePlan['owners'][number]): string {
  return o.ownerName ? `${o.ownerName} (${o.ownerEmail})` : o.ownerEmail;
}

/**
 * Resource plan summary (every run): team capacity, hours per account per segment from the playbook's
 * sales-time split, reviews due, and each owner's planned load, overloaded owners flagged first.
 */
export function resourcePlanBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const plan = ctx.resourcePlan;
  if (!plan) return [];
  if (plan.segments.length === 0) {
    return [
      { kind: 'heading', text: 'Resource plan' },
      {
        kind: 'paragraph',
        text: 'No playbook applies to the configured segments, so no hours or reviews are planned: give one under playbook in the config (the defaults fit only the default High, Medium and Low brackets).',
      },
    ];
  }
  const hours = (h: number | null) => (h === null ? MISSING : `${fmt.number(h, 1)} h`);
  const overloaded = plan.owners.filter((o) => o.overloaded);
  const limit = ctx.config.report.topAccounts;
  const shown = plan.owners.slice(0, Math.max(limit, overloaded.length));
  const notes = [
    ...(plan.unallocatedHoursPerMonth > 0
      ? [`${hours(plan.unallocatedHoursPerMonth)} per month go to segments without accounts.`]
      : []),
    ...(plan.unownedAccounts > 0
      ? [
          `${countOf(plan.unownedAccounts, 'account', fmt.number(plan.unownedAccounts))} without an owner carry ${hours(plan.unownedHoursPerMonth)} per month that nobody is planned for.`,
        ]
      : []),
  ];
  return [
    { kind: 'heading', text: 'Resource plan' },
    {
      kind: 'paragraph',
      text: `Team capacity ${hours(plan.teamHoursPerMonth)} per month over ${countOf(plan.owners.length, 'owner', fmt.number(plan.owners.length))}, split by the playbook's sales-time shares; ${countOf(plan.reviewsDue.length, 'account review', fmt.number(plan.reviewsDue.length))} due this period.`,
    },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Sales time'),
        right('Hours per month'),
        right('Accounts'),
        right('Hours per account per month'),
        left('Support'),
        left('Review cadence'),
        right('Reviews due'),
      ],
      rows: plan.segments.map((s) => [
        s.segment,
        fmt.percent(s.salesTimeShare / 100),
        hours(s.hoursPerMonth),
        fmt.number(s.accounts),
        hours(s.hoursPerAccountPerMonth),
        s.supportLevel,
        s.reviewCadence,
        fmt.number(s.reviewsDue),
      ]),
    },
    {
      kind: 'paragraph',
      emphasis: overloaded.length > 0,
      text:
        overloaded.length === 0
          ? 'No owner is planned above capacity.'
          : `Overloaded: ${overloaded.map((o) => `${ownerName(o)} at ${fmt.percent(o.utilisation)} (${hours(o.plannedHoursPerMonth)} of ${hours(o.capacityHoursPerMonth)})`).join('; ')}.`,
    },
    {
      kind: 'table',
      columns: [
        left('Owner'),
        right('Accounts'),
        right('Planned per month'),
        right('Capacity per month'),
        right('Load'),
        right('Reviews due'),
        left('Flag'),
      ],
      rows: shown.map((o) => [
        ownerName(o),
        fmt.number(o.accounts),
        hours(o.plannedHoursPerMonth),
        `${hours(o.capacityHoursPerMonth)}${o.capacitySource === 'default' ? ' (default)' : ''}`,
        fmt.percent(o.utilisation),
        fmt.number(o.reviewsDue),
        o.overloaded ? 'OVERLOADED' : '',
      ]),
      empty: 'No owners.',
    },
    ...(plan.owners.length > shown.length
      ? [
          {
            kind: 'paragraph',
            text: `${fmt.number(plan.owners.length - shown.length)} more owners below ${fmt.percent(shown.at(-1)?.utilisation ?? null)} load.`,
          } as const,
        ]
      : []),
    ...notes.map((text) => ({ kind: 'paragraph', text }) as const),
  ];
}
