import { quantile } from 'simple-statistics';
import type { SegmentsConfig } from '../config.ts';
import type { AccountPrediction } from '../insights.ts';
import type { Period } from '../period.ts';
import {
  buildOwnerTodo,
  type OwnerTodo,
  type TodoAccount,
  type TodoGroup,
  type TodoGuidance,
  type TodoItem,
  type TodoSection,
} from '../playbook/owner-todo.ts';
import type { Playbook } from '../playbook/playbook-config.ts';
import type { ClassifiedAccount } from '../types.ts';
import type { ReportBlock } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { accountLabel, countOf } from './labels.ts';
import { listedAndRest, restRows } from './listing-limit.ts';

/** Churn-risk levels that put an account on the to-do list. */
const AT_RISK_LEVELS: ReadonlySet<AccountPrediction['churnRisk']> = new Set(['high', 'medium']);

/** What the to-do list needs of the models' output per account. */
export type TodoPrediction = Pick<
  AccountPrediction,
  'churnRisk' | 'churnReason' | 'revenueAtRisk' | 'growthScore' | 'growthReasons' | 'hiddenGem'
>;

/** The inputs of one owner's to-do list. */
export interface OwnerTodoInput {
  readonly ownerEmail: string;
  /** Only this owner's accounts. */
  readonly accounts: readonly ClassifiedAccount[];
  readonly playbook: Playbook;
  readonly period: Period;
  readonly segments: SegmentsConfig;
  /** The models' output per account id; without it there are no at-risk or growth items. */
  readonly predictions?: ReadonlyMap<string, TodoPrediction>;
  /**
   * Growth score at or above which an account with revenue is a growth opportunity even when it is no hidden
   * gem (see `growthOpportunityThreshold`); absent or null: hidden gems only.
   */
  readonly growthThreshold?: number | null;
  /** Low-value accounts are listed one by one up to this many per owner, grouped above. @default 10 */
  readonly maxListedLowValue?: number;
}

/** One owner's to-do list, with the revenue at stake of each at-risk account. */
export interface OwnerTodoView {
  readonly todo: OwnerTodo;
  /** Revenue at stake per at-risk account id. */
  readonly atStake: ReadonlyMap<string, number>;
  /** Whether the models' output was available. */
  readonly predicted: boolean;
}

function atRiskReason(p: TodoPrediction | undefined): string | null {
  if (!p || !AT_RISK_LEVELS.has(p.churnRisk)) return null;
  return `${p.churnRisk} churn risk: ${p.churnReason}`;
}

/**
 * The growth score that puts an account in the top `topShare` of all scored accounts, the same cut as the
 * hidden gems (`hiddenGems`); null when no account is scored.
 */
export function growthOpportunityThreshold(
  predictions: ReadonlyMap<string, TodoPrediction>,
  topShare: number,
): number | null {
  const scores: number[] = [];
  for (const p of predictions.values()) if (p.growthScore !== null) scores.push(p.growthScore);
  return scores.length === 0 ? null : quantile(scores, 1 - topShare);
}

function growthReason(
  p: TodoPrediction | undefined,
  hasRevenue: boolean,
  threshold: number | null | undefined,
): string | null {
  if (!p || p.growthScore === null) return null;
  const top = hasRevenue && threshold !== null && threshold !== undefined && p.growthScore >= threshold;
  if (!p.hiddenGem && !top) return null;
  const why = p.growthReasons.length > 0 ? `: ${p.growthReasons.join('; ')}` : '';
  return `${p.hiddenGem ? 'hidden gem, ' : ''}growth potential ${Math.round(p.growthScore)}/100${why}`;
}

/**
 * Builds one owner's to-do list (see `buildOwnerTodo`): reviews due by the segment's cadence, at-risk
 * accounts (churn risk high or medium) ordered by revenue at stake, growth opportunities (hidden gems, and
 * accounts with revenue scoring at or above `growthThreshold`) and accounts that moved segment. The lowest bracket and the
 * inactive segment are the low-value accounts grouped when the owner has many.
 */
export function ownerTodoFor(input: OwnerTodoInput): OwnerTodoView {
  const { predictions, segments } = input;
  const accounts: TodoAccount[] = input.accounts.map((a) => {
    const p = predictions?.get(a.accountId);
    return {
      accountId: a.accountId,
      accountName: a.accountName,
      segment: a.segment,
      previousSegment: a.previousSegment,
      revenueT12m: a.revenueT12m,
      createdOn: a.createdOn,
      lastReviewOn: a.lastReviewOn ?? null,
      firstInvoiceOn: a.firstInvoiceOn,
      atRiskReason: atRiskReason(p),
      growthReason: growthReason(p, a.revenueT12m > 0, input.growthThreshold),
    };
  });
  const lowest = segments.brackets.at(-1)?.name;
  const todo = buildOwnerTodo(input.ownerEmail, accounts, input.playbook, input.period, {
    lowValueSegments: [...(lowest ? [lowest] : []), segments.inactiveName],
    maxListedLowValue: input.maxListedLowValue,
  });
  const atStake = new Map<string, number>();
  for (const item of todo.atRisk.items) {
    atStake.set(item.accountId, predictions?.get(item.accountId)?.revenueAtRisk ?? item.revenueT12m);
  }
  const byStake = (x: TodoItem, y: TodoItem) =>
    (atStake.get(y.accountId) ?? 0) - (atStake.get(x.accountId) ?? 0) ||
    x.accountId.localeCompare(y.accountId);
  return {
    todo: { ...todo, atRisk: { ...todo.atRisk, items: [...todo.atRisk.items].sort(byStake) } },
    atStake,
    predicted: predictions !== undefined,
  };
}

function pitch(g: TodoGuidance | null): string {
  if (!g) return 'no playbook entry for this segment';
  return g.keyElements.length > 0 ? `${g.pitchApproach}: ${g.keyElements.join(', ')}` : g.pitchApproach;
}

function services(g: TodoGuidance | null): string {
  return g && g.services.length > 0 ? g.services.join(', ') : MISSING;
}

function groupRow(g: TodoGroup, fmt: ReportFormatter): string[] {
  return [
    `${countOf(g.accounts, `${g.segment} account`, fmt.number(g.accounts))} (grouped)`,
    g.segment,
    fmt.money(g.revenueT12m),
    'many low-value accounts, listed together; see the attached CSV',
    pitch(g.guidance),
    services(g.guidance),
  ];
}

function sectionBlocks(
  title: string,
  section: TodoSection,
  empty: string,
  fmt: ReportFormatter,
  amount: (item: TodoItem) => number,
  amountHeader: string,
  limit: number,
): ReportBlock[] {
  const count = section.items.length + section.groups.reduce((s, g) => s + g.accounts, 0);
  const { listed, rest, restWeight } = listedAndRest(section.items, limit, amount, (i) => i.accountId);
  return [
    { kind: 'paragraph', text: `${title} (${fmt.number(count)})`, emphasis: true },
    {
      kind: 'table',
      columns: [
        { header: 'Account' },
        { header: 'Segment' },
        { header: amountHeader, align: 'right' },
        { header: 'Why' },
        { header: 'Pitch approach' },
        { header: 'Services' },
      ],
      rows: [
        ...listed.map((i) => [
          accountLabel(i),
          i.segment,
          fmt.money(amount(i)),
          i.reason,
          pitch(i.guidance),
          services(i.guidance),
        ]),
        ...restRows(rest, fmt.money(restWeight), fmt, { width: 6, amountAt: 2, noteAt: 3 }),
        ...section.groups.map((g) => groupRow(g, fmt)),
      ],
      empty,
      stacked: true,
    },
  ];
}

/**
 * The to-do list that opens an owner's mail: reviews due, at-risk accounts (by revenue at stake), growth
 * opportunities and accounts that moved segment, each with the playbook's pitch approach and services.
 */
export function ownerTodoBlocks(
  view: OwnerTodoView,
  fmt: ReportFormatter,
  limit: number = Number.POSITIVE_INFINITY,
): ReportBlock[] {
  const { todo, atStake, predicted } = view;
  const t12m = (i: TodoItem) => i.revenueT12m;
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Your to-do list' },
    ...sectionBlocks(
      'Reviews due',
      todo.reviewsDue,
      'No reviews due this period.',
      fmt,
      t12m,
      'T12M revenue',
      limit,
    ),
    ...sectionBlocks(
      'At-risk accounts',
      todo.atRisk,
      predicted ? 'No account is at risk of churn.' : 'Churn risk was not assessed in this run.',
      fmt,
      (i) => atStake.get(i.accountId) ?? i.revenueT12m,
      'Revenue at stake',
      limit,
    ),
    ...sectionBlocks(
      'Growth opportunities',
      todo.growthOpportunities,
      predicted ? 'No growth opportunity flagged.' : 'Growth potential was not scored in this run.',
      fmt,
      t12m,
      'T12M revenue',
      limit,
    ),
    ...sectionBlocks(
      'Accounts that moved segment',
      todo.movedSegment,
      'No account changed segment.',
      fmt,
      t12m,
      'T12M revenue',
      limit,
    ),
  ];
  if (todo.lowValueGrouped) {
    blocks.push({
      kind: 'paragraph',
      text: 'You own many low-value accounts, so reviews, risks and moves among them are counted per segment rather than listed; growth opportunities are always listed.',
    });
  }
  return blocks;
}
