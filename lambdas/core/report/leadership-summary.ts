import { concentration } from '../metrics/concentration.ts';
import type { Playbook } from '../playbook/playbook-config.ts';
import { runPlaybook } from '../quarterly-review.ts';
import type { ClassifiedAccount } from '../types.ts';
import type { ReportBlock, ReportMetric } from './document.ts';
import type { ReportFormatter } from './format.ts';
import { accountLabel, countOf } from './labels.ts';
import { periodLabel, previousPeriodLabel, type ReportContext } from './report-context.ts';
import { ratioChange, whatChangedMost } from './what-changed.ts';

/** How many of the largest risks and opportunities the first screen names. */
export const FIRST_SCREEN_ITEMS = 3;

/** Churn-risk levels counted as "at risk" wherever the mails say so (the owner's to-do list uses the same). */
const AT_RISK = new Set(['high', 'medium']);

/** One account the first screen names: who owns it, what is at stake and what to do next. */
export interface Spotlight {
  readonly account: ClassifiedAccount;
  readonly amount: number;
  readonly why: string;
  readonly nextAction: string;
}

/** An owner for people: their name, else their email, else a plain note that there is none. */
function ownerOf(a: ClassifiedAccount): string {
  return a.ownerName.trim() || a.ownerEmail.trim() || 'no owner';
}

/** What an owner should do next with an at-risk account of this segment, from the playbook. */
function riskAction(playbook: Playbook, segment: string): string {
  const entry = playbook[segment];
  return entry
    ? `Retention call this week (${entry.pitchApproach.toLowerCase()})`
    : 'Retention call this week';
}

/** What an owner should do next with a growth opportunity of this segment, from the playbook. */
function growthAction(playbook: Playbook, segment: string): string {
  const service = playbook[segment]?.services[0];
  return service ? `Propose ${service.toLowerCase()}` : 'Book an account-planning call';
}

/** The at-risk accounts (high or medium churn risk), largest revenue at stake first. */
export function atRiskAccounts(ctx: ReportContext): Spotlight[] {
  const p = ctx.predictions;
  if (!p) return [];
  const playbook = runPlaybook(ctx.config);
  return ctx.analysis.accounts
    .flatMap((account) => {
      const prediction = p.accounts.get(account.accountId);
      if (!prediction || !AT_RISK.has(prediction.churnRisk)) return [];
      return [
        {
          account,
          amount: prediction.revenueAtRisk,
          why: `${prediction.churnRisk} churn risk: ${prediction.churnReason}`,
          nextAction: riskAction(playbook, account.segment),
        },
      ];
    })
    .sort((x, y) => y.amount - x.amount || x.account.accountId.localeCompare(y.account.accountId));
}

/** The hidden gems, largest T12M revenue first: accounts that look like the best ones but buy less. */
export function growthOpportunities(ctx: ReportContext): Spotlight[] {
  const p = ctx.predictions;
  if (!p) return [];
  const playbook = runPlaybook(ctx.config);
  const byId = new Map(ctx.analysis.accounts.map((a) => [a.accountId, a]));
  return p.hiddenGems
    .flatMap((gem) => {
      const account = byId.get(gem.accountId);
      if (!account) return [];
      return [
        {
          account,
          amount: gem.revenueT12m,
          why: `growth potential ${Math.round(gem.score)}/100${gem.reasons.length > 0 ? `: ${gem.reasons.join('; ')}` : ''}`,
          nextAction: growthAction(playbook, account.segment),
        },
      ];
    })
    .sort((x, y) => y.amount - x.amount || x.account.accountId.localeCompare(y.account.accountId));
}

/** The share of T12M revenue the top 10% of accounts held at the previous period end, from each account's previous T12M. */
function previousTop10Share(accounts: readonly ClassifiedAccount[]): number | null {
  const previous = accounts.map((a) => a.previousRevenueT12m).filter((r) => r > 0);
  return previous.length === 0 ? null : concentration(previous).top10Share;
}

/**
 * The subject of the leadership mail: the period and its news, e.g.
 * `Revenue segments — Q3 2026: NRR 109.8% (+1.2 pts), 12 accounts at risk ($1.2M)`.
 */
export function leadershipSubject(ctx: ReportContext, fmt: ReportFormatter): string {
  const { config, analysis } = ctx;
  const label = periodLabel(analysis.period, config.locale, config.fiscalYearStartMonth);
  const nrr = analysis.portfolio.retention.nrr;
  const before = ctx.previousPortfolio?.nrr ?? null;
  const news: string[] = [];
  if (nrr !== null) {
    news.push(`NRR ${fmt.percent(nrr)}${before !== null ? ` (${fmt.pointsDelta(nrr, before)})` : ''}`);
  } else {
    news.push(`T12M revenue ${fmt.moneyCompact(analysis.portfolio.revenueT12m)}`);
  }
  const risks = atRiskAccounts(ctx);
  if (ctx.predictions) {
    const stake = risks.reduce((sum, r) => sum + r.amount, 0);
    news.push(
      risks.length === 0
        ? 'no account at risk'
        : `${countOf(risks.length, 'account', fmt.number(risks.length))} at risk (${fmt.moneyCompact(stake)})`,
    );
  }
  const prefix = config.mail.subjectPrefix.trim();
  return `${prefix ? `${prefix} — ` : ''}${label}: ${news.join(', ')}`;
}

/** Three sentences: how revenue moved, what drove it, and where the risk is. */
function whatChangedSentences(ctx: ReportContext, fmt: ReportFormatter, risks: readonly Spotlight[]): string {
  const { portfolio } = ctx.analysis;
  const { bridge } = portfolio;
  const previous = previousPeriodLabel(ctx);
  const change = bridge.closing - bridge.opening;
  const pct = bridge.opening > 0 ? change / bridge.opening : null;
  const first = `T12M revenue ${change === 0 ? 'held at' : change > 0 ? 'grew to' : 'fell to'} ${fmt.moneyCompact(bridge.closing)} since ${previous} (${fmt.moneyDelta(change)}${pct === null ? '' : `, ${fmt.percentDelta(pct)}`}), with NRR at ${fmt.percent(portfolio.retention.nrr)}.`;
  const second = whatChangedMost(ctx.analysis, ctx.config.segments, fmt);
  const stake = risks.reduce((sum, r) => sum + r.amount, 0);
  const largest = risks[0];
  const third = !ctx.predictions
    ? 'Churn risk was not assessed in this run.'
    : largest === undefined
      ? 'No account is at high or medium churn risk.'
      : `${countOf(risks.length, 'account', fmt.number(risks.length))} with ${fmt.moneyCompact(stake)} of T12M revenue ${risks.length === 1 ? 'is' : 'are'} at high or medium churn risk; the largest is ${accountLabel(largest.account)} (${ownerOf(largest.account)}).`;
  return `${first} ${second} ${third}`;
}

function headlineCards(
  ctx: ReportContext,
  fmt: ReportFormatter,
  risks: readonly Spotlight[],
): ReportMetric[] {
  const { portfolio, accounts } = ctx.analysis;
  const { bridge, retention } = portfolio;
  const previous = previousPeriodLabel(ctx);
  const since = `since ${previous}`;
  const previousActive = accounts.filter((a) => a.previousRevenueT12m > 0).length;
  const top10 = portfolio.concentration.top10Share;
  const top10Before = previousTop10Share(accounts);
  const stake = risks.reduce((sum, r) => sum + r.amount, 0);
  const share = portfolio.revenueT12m > 0 ? stake / portfolio.revenueT12m : null;
  return [
    {
      label: 'T12M revenue',
      value: fmt.moneyCompact(portfolio.revenueT12m),
      detail: `${fmt.moneyDelta(bridge.closing - bridge.opening)} ${since}; YoY ${fmt.percentDelta(portfolio.growthYoy)}`,
    },
    {
      label: 'Active accounts',
      value: fmt.number(portfolio.activeAccounts),
      detail:
        previousActive === portfolio.activeAccounts
          ? `no change ${since}`
          : `${fmt.countDelta(portfolio.activeAccounts - previousActive)} ${since} (${fmt.number(previousActive)})`,
    },
    {
      label: 'Net revenue retention',
      value: fmt.percent(retention.nrr),
      detail: ratioChange(retention.nrr, ctx.previousPortfolio, (p) => p.nrr, previous, fmt),
    },
    {
      label: 'Gross revenue retention',
      value: fmt.percent(retention.grr),
      detail: ratioChange(retention.grr, ctx.previousPortfolio, (p) => p.grr, previous, fmt),
    },
    {
      label: 'Revenue at risk',
      value: ctx.predictions ? fmt.moneyCompact(stake) : 'not assessed',
      detail: ctx.predictions
        ? `${countOf(risks.length, 'account', fmt.number(risks.length))} at high or medium churn risk, ${fmt.percent(share)} of T12M; first measured this period`
        : 'churn risk was not assessed in this run',
    },
    {
      label: 'Top 10% of accounts',
      value: `${fmt.percent(top10)} of revenue`,
      detail:
        top10Before === null
          ? `no accounts with revenue at the end of ${previous}`
          : `${fmt.percent(top10Before)} → ${fmt.percent(top10)} (${fmt.pointsDelta(top10, top10Before)}) ${since}`,
    },
  ];
}

function spotlightTable(
  caption: string,
  items: readonly Spotlight[],
  amountHeader: string,
  empty: string,
  fmt: ReportFormatter,
): ReportBlock {
  return {
    kind: 'table',
    caption,
    columns: [
      { header: 'Account' },
      { header: amountHeader, align: 'right' },
      { header: 'Owner' },
      { header: 'Why' },
      { header: 'Next action' },
    ],
    rows: items.map((s) => [
      accountLabel(s.account),
      fmt.money(s.amount),
      ownerOf(s.account),
      s.why,
      s.nextAction,
    ]),
    empty,
    stacked: true,
  };
}

/**
 * What a VP reads first: what changed in three sentences, the headline figures each with its change (revenue
 * at risk and concentration among them), and the largest risks and opportunities with their owners and the
 * next action.
 */
export function firstScreenBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const risks = atRiskAccounts(ctx);
  const gems = growthOpportunities(ctx);
  const assessed = ctx.predictions !== undefined;
  return [
    { kind: 'paragraph', text: whatChangedSentences(ctx, fmt, risks), emphasis: true },
    { kind: 'metrics', items: headlineCards(ctx, fmt, risks) },
    { kind: 'heading', text: 'What to do' },
    spotlightTable(
      `Largest risks (${Math.min(FIRST_SCREEN_ITEMS, risks.length)} of ${fmt.number(risks.length)})`,
      risks.slice(0, FIRST_SCREEN_ITEMS),
      'At stake',
      assessed ? 'No account is at high or medium churn risk.' : 'Churn risk was not assessed in this run.',
      fmt,
    ),
    spotlightTable(
      `Largest opportunities (${Math.min(FIRST_SCREEN_ITEMS, gems.length)} of ${fmt.number(gems.length)})`,
      gems.slice(0, FIRST_SCREEN_ITEMS),
      'T12M revenue',
      assessed ? 'No hidden gem this period.' : 'Growth potential was not scored in this run.',
      fmt,
    ),
  ];
}
