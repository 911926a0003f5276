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
  /**
   * Low-value accounts are listed one by one up to this many per owner, grouped above. @default no grouping:
   * every at-risk account and every review due is named; the mail caps only the healthy lists.
   */
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
    maxListedLowValue: input.maxListedLowValue ?? Number.POSITIVE_INFINITY,
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

/** What the owner does next with an item of a section, from the segment's playbook entry. */
export type NextAction = (item: TodoItem) => string;

const firstService = (g: TodoGuidance | null): string | undefined => g?.services[0]?.toLowerCase();

/** Next actions per to-do section, in the playbook's words. */
export const NEXT_ACTIONS = {
  review: (i: TodoItem) =>
    i.guidance ? `Hold the review (${i.guidance.pitchApproach.toLowerCase()})` : 'Hold the review',
  risk: (i: TodoItem) =>
    `Retention call this week${firstService(i.guidance) ? `; offer ${firstService(i.guidance)}` : ''}`,
  growth: (i: TodoItem) =>
    firstService(i.guidance) ? `Propose ${firstService(i.guidance)}` : 'Book an account-planning call',
  moved: (i: TodoItem) => `Re-plan with the ${i.segment} playbook`,
} as const satisfies Record<string, NextAction>;

function groupRow(g: TodoGroup, fmt: ReportFormatter): string[] {
  return [
    `${countOf(g.accounts, `${g.segment} account`, fmt.number(g.accounts))} (grouped)`,
    g.segment,
    fmt.money(g.revenueT12m),
    'many low-value accounts, listed together; see the attached CSV',
    g.guidance?.pitchApproach ?? MISSING,
  ];
}

/** ISO dates in a reason (`review due 2026-10-15`) in the mail's one date style (`Oct 15, 2026`). */
export function humanDates(text: string, fmt: ReportFormatter): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (iso) => fmt.date(iso));
}

function sectionBlocks(
  title: string,
  section: TodoSection,
  empty: string,
  fmt: ReportFormatter,
  amount: (item: TodoItem) => number,
  amountHeader: string,
  limit: number,
  next: NextAction,
  why: (item: TodoItem) => string = (i) => i.reason,
): ReportBlock[] {
  const count = section.items.length + section.groups.reduce((s, g) => s + g.accounts, 0);
  const { listed, rest, restWeight } = listedAndRest(section.items, limit, amount, (i) => i.accountId);
  return [
    {
      kind: 'table',
      caption: `${title} (${fmt.number(count)})`,
      columns: [
        { header: 'Account' },
        { header: 'Segment' },
        { header: amountHeader, align: 'right' },
        { header: 'Why' },
        { header: 'Next action' },
      ],
      rows: [
        ...listed.map((i) => [
          accountLabel(i),
          i.segment,
          fmt.money(amount(i)),
          humanDates(why(i), fmt),
          next(i),
        ]),
        ...restRows(rest, fmt.money(restWeight), fmt, { width: 5, amountAt: 2, noteAt: 3 }),
        ...section.groups.map((g) => groupRow(g, fmt)),
      ],
      empty: `${title}: ${empty.charAt(0).toLowerCase()}${empty.slice(1)}`,
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
  whyAtRisk: (item: TodoItem) => string = (i) => i.reason,
): ReportBlock[] {
  const { todo, atStake, predicted } = view;
  const t12m = (i: TodoItem) => i.revenueT12m;
  const all = Number.POSITIVE_INFINITY;
  // Reviews due and risks are what the owner must act on: every one is named. Only the healthy lists are capped.
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Your to-do list' },
    ...sectionBlocks(
      'At-risk accounts',
      todo.atRisk,
      predicted ? 'No account is at risk of churn.' : 'Churn risk was not assessed in this run.',
      fmt,
      (i) => atStake.get(i.accountId) ?? i.revenueT12m,
      'Revenue at stake',
      all,
      NEXT_ACTIONS.risk,
      whyAtRisk,
    ),
    ...sectionBlocks(
      'Reviews due',
      todo.reviewsDue,
      'No reviews due this period.',
      fmt,
      t12m,
      'T12M revenue',
      all,
      NEXT_ACTIONS.review,
    ),
    ...sectionBlocks(
      'Growth opportunities',
      todo.growthOpportunities,
      predicted ? 'No growth opportunity flagged.' : 'Growth potential was not scored in this run.',
      fmt,
      t12m,
      'T12M revenue',
      limit,
      NEXT_ACTIONS.growth,
    ),
    ...sectionBlocks(
      'Accounts that moved segment',
      todo.movedSegment,
      'No account changed segment.',
      fmt,
      t12m,
      'T12M revenue',
      limit,
      NEXT_ACTIONS.moved,
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
