import { createHash } from 'node:crypto';
import type { MailAttachment, OutgoingMail } from '../../ports/mailer.ts';
import type { Playbook } from '../playbook/playbook-config.ts';
import { runPlaybook } from '../quarterly-review.ts';
import type { ClassifiedAccount } from '../types.ts';
import { toCsv } from './csv.ts';
import type { ReportBlock, ReportDocument } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { accountLabel, countOf, movementLabel, orderedSegmentNames, segmentChange } from './labels.ts';
import { listedAndRest, restRows } from './listing-limit.ts';
import { ownerOverrideBlocks } from './override-sections.ts';
import { emailSlug, type OwnerBook, ownerBooks } from './owner-email.ts';
import {
  growthOpportunityThreshold,
  NEXT_ACTIONS,
  type OwnerTodoView,
  ownerTodoBlocks,
  ownerTodoFor,
} from './owner-todo-section.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import {
  formatterFor,
  mailIdPrefix,
  previousPeriodLabel,
  type ReportContext,
  reportFooter,
  reportSubject,
} from './report-context.ts';
import { ownerSalesBlocks } from './sales-sections.ts';

/** How many accounts the owner's "biggest changes" line names. */
const BIGGEST_CHANGES = 3;

/** The accounts' labels joined with commas, the biggest `limit` by `weight`, then how many more. */
function namesUpTo(
  accounts: readonly ClassifiedAccount[],
  weight: (a: ClassifiedAccount) => number,
  label: (a: ClassifiedAccount) => string,
  limit: number,
  fmt: ReportFormatter,
): string {
  const { listed, rest } = listedAndRest(accounts, limit, weight, (a) => a.accountId);
  const names = listed.map(label).join(', ');
  return rest === 0 ? names : `${names} and ${fmt.number(rest)} more (all in the attached CSV)`;
}

const byRevenue = (a: ClassifiedAccount) => a.revenueT12m;
const byMovement = (a: ClassifiedAccount) => Math.abs(a.movementAmount);

function whatChangedItems(book: OwnerBook, fmt: ReportFormatter, limit: number): string[] {
  const { accounts } = book;
  const items: string[] = [];
  const moved = accounts.filter((a) => a.movement !== 'churn' && segmentChange(a) !== MISSING);
  if (moved.length > 0) {
    items.push(
      `${countOf(moved.length, 'account', fmt.number(moved.length))} moved segment: ${namesUpTo(moved, byRevenue, (a) => `${accountLabel(a)} ${segmentChange(a)}`, limit, fmt)}`,
    );
  }
  const churned = accounts.filter((a) => a.movement === 'churn');
  if (churned.length > 0) {
    items.push(
      `${countOf(churned.length, 'account', fmt.number(churned.length))} churned (no revenue in the last 12 months): ${namesUpTo(churned, byMovement, (a) => `${accountLabel(a)} ${fmt.moneyDelta(a.movementAmount)}`, limit, fmt)}`,
    );
  }
  const fresh = accounts.filter((a) => a.movement === 'new');
  if (fresh.length > 0) {
    items.push(
      `${countOf(fresh.length, 'new account', fmt.number(fresh.length))}: ${namesUpTo(fresh, byRevenue, (a) => `${accountLabel(a)} in ${a.segment} (${fmt.moneyCompact(a.revenueT12m)})`, limit, fmt)}`,
    );
  }
  const back = accounts.filter((a) => a.movement === 'reactivation');
  if (back.length > 0) {
    items.push(
      `${countOf(back.length, 'reactivated account', fmt.number(back.length))}: ${namesUpTo(back, byRevenue, (a) => `${accountLabel(a)} in ${a.segment} (${fmt.moneyCompact(a.revenueT12m)})`, limit, fmt)}`,
    );
  }
  const biggest = accounts
    .filter((a) => a.movementAmount !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.movementAmount) - Math.abs(a.movementAmount) || a.accountId.localeCompare(b.accountId),
    )
    .slice(0, BIGGEST_CHANGES);
  if (biggest.length > 0) {
    items.push(
      `Biggest changes in T12M revenue: ${biggest.map((a) => `${accountLabel(a)} ${fmt.moneyDelta(a.movementAmount)}`).join(', ')}`,
    );
  }
  return items.length > 0 ? items : ['No changes in T12M revenue or segment since the previous period.'];
}

/** `Contraction, High → Medium`: the movement, with the segment change when there was one. */
function whatHappened(a: ClassifiedAccount): string {
  const change = segmentChange(a);
  return change === MISSING ? movementLabel(a.movement) : `${movementLabel(a.movement)}, ${change}`;
}

function accountRow(a: ClassifiedAccount, fmt: ReportFormatter): string[] {
  return [
    accountLabel(a),
    fmt.money(a.revenueT12m),
    fmt.moneyDeltaFull(a.movementAmount),
    fmt.percentDelta(a.growthYoy),
    whatHappened(a),
    fmt.date(a.lastInvoiceOn),
  ];
}

function segmentBlocks(ctx: ReportContext, book: OwnerBook, fmt: ReportFormatter): ReportBlock[] {
  const names = orderedSegmentNames(
    ctx.config.segments,
    book.accounts.map((a) => a.segment),
  );
  return names.flatMap((segment): ReportBlock[] => {
    const accounts = book.accounts.filter((a) => a.segment === segment);
    if (accounts.length === 0) return [];
    const total = accounts.reduce((sum, a) => sum + a.revenueT12m, 0);
    const { listed, rest, restWeight } = listedAndRest(
      accounts,
      ctx.config.report.ownerListLimit,
      (a) => a.revenueT12m,
      (a) => a.accountId,
    );
    return [
      {
        kind: 'heading',
        text: `${segment}: ${countOf(accounts.length, 'account', fmt.number(accounts.length))}, ${fmt.moneyCompact(total)}`,
      },
      {
        kind: 'table',
        columns: [
          { header: 'Account' },
          { header: 'T12M revenue', align: 'right' },
          { header: `Change since ${previousPeriodLabel(ctx)}`, align: 'right' },
          { header: 'YoY', align: 'right' },
          { header: 'What happened' },
          { header: 'Last invoice', align: 'right' },
        ],
        rows: [
          ...listed.map((a) => accountRow(a, fmt)),
          ...restRows(rest, fmt.money(restWeight), fmt, { width: 6, amountAt: 1, noteAt: 4 }),
        ],
      },
    ];
  });
}

/** The owner's accounts as CSV, one row each, with their to-do status: segment, risk, reason, review due, next action. */
export function ownerAccountsCsv(ctx: ReportContext, book: OwnerBook, todo?: OwnerTodoView): string {
  const { period } = ctx.analysis;
  const risk = new Map(todo?.todo.atRisk.items.map((i) => [i.accountId, i]) ?? []);
  const review = new Map(todo?.todo.reviewsDue.items.map((i) => [i.accountId, i]) ?? []);
  const growth = new Map(todo?.todo.growthOpportunities.items.map((i) => [i.accountId, i]) ?? []);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return toCsv(
    [
      'Period',
      'Account ID',
      'Account name',
      'Segment',
      'Previous segment',
      'T12M revenue',
      'Previous T12M revenue',
      'Change',
      'YoY growth (%)',
      'What happened',
      'Invoices T12M',
      'Last invoice',
      'Days since last invoice',
      'Churn risk',
      'Revenue at stake',
      'Reason',
      'Review due',
      'Next action',
    ],
    book.accounts.map((a) => {
      const prediction = ctx.predictions?.accounts.get(a.accountId);
      const r = risk.get(a.accountId);
      const d = review.get(a.accountId);
      const g = growth.get(a.accountId);
      const next = r ? NEXT_ACTIONS.risk(r) : d ? NEXT_ACTIONS.review(d) : g ? NEXT_ACTIONS.growth(g) : null;
      return [
        period.id,
        a.accountId,
        a.accountName,
        a.segment,
        a.previousSegment,
        round(a.revenueT12m),
        round(a.previousRevenueT12m),
        round(a.movementAmount),
        a.growthYoy === null ? null : Math.round(a.growthYoy * 1000) / 10,
        whatHappened(a),
        a.invoicesT12m,
        a.lastInvoiceOn,
        a.recencyDays,
        prediction?.churnRisk ?? null,
        r ? round(todo?.atStake.get(a.accountId) ?? null) : null,
        [r?.reason, g?.reason].filter((x): x is string => x !== undefined).join('; ') || null,
        d?.review?.dueOn ?? null,
        next,
      ];
    }),
  );
}

/** What every owner's to-do list shares: the parsed playbook and the book-wide growth-score cut. */
interface TodoSettings {
  readonly playbook: Playbook;
  readonly growthThreshold: number | null;
}

function ownerMail(
  ctx: ReportContext,
  book: OwnerBook,
  id: string,
  todoSettings: TodoSettings,
): OutgoingMail {
  const { config, analysis } = ctx;
  const fmt = formatterFor(ctx);
  const todo = ownerTodoFor({
    ownerEmail: book.email,
    accounts: book.accounts,
    playbook: todoSettings.playbook,
    growthThreshold: todoSettings.growthThreshold,
    period: analysis.period,
    segments: config.segments,
    predictions: ctx.predictions?.accounts,
  });
  const total = book.accounts.reduce((sum, a) => sum + a.revenueT12m, 0);
  const previous = book.accounts.reduce((sum, a) => sum + a.previousRevenueT12m, 0);
  const byId = new Map(book.accounts.map((a) => [a.accountId, a]));
  const subject = reportSubject(ctx, 'your accounts');
  const doc: ReportDocument = {
    title: subject,
    lang: config.locale,
    preheader: `${countOf(book.accounts.length, 'account', fmt.number(book.accounts.length))}, T12M revenue ${fmt.moneyCompact(total)}`,
    blocks: [
      { kind: 'paragraph', text: `Hello ${book.name},` },
      {
        kind: 'paragraph',
        text: `This is the ${analysis.period.cadence} summary of the accounts you own, as of ${fmt.date(analysis.period.end)}.`,
      },
      ...ownerTodoBlocks(todo, fmt, config.report.ownerListLimit, (i) => {
        const a = byId.get(i.accountId);
        return a
          ? `${i.reason}; T12M ${fmt.money(a.revenueT12m)} vs ${fmt.money(a.revenuePriorT12m)} a year before`
          : i.reason;
      }),
      {
        kind: 'metrics',
        items: [
          { label: 'Your accounts', value: fmt.number(book.accounts.length) },
          {
            label: 'T12M revenue',
            value: fmt.moneyCompact(total),
            detail: `${fmt.moneyCompact(previous)} → ${fmt.moneyCompact(total)} (${fmt.moneyDelta(total - previous)}) since ${previousPeriodLabel(ctx)}`,
          },
        ],
      },
      { kind: 'heading', text: 'What changed' },
      { kind: 'list', items: whatChangedItems(book, fmt, config.report.ownerListLimit) },
      ...ownerOverrideBlocks(ctx, book.email, book.accounts, fmt),
      ...ownerSalesBlocks(ctx, book.email, fmt),
      ...segmentBlocks(ctx, book, fmt),
    ],
    footer: [
      ...reportFooter(ctx, fmt),
      `Sent to ${book.email} because these accounts list you as their owner.`,
    ],
  };
  const attachments: MailAttachment[] = [
    {
      filename: `accounts-${analysis.period.id}.csv`,
      content: ownerAccountsCsv(ctx, book, todo),
      contentType: 'text/csv; charset=utf-8',
    },
  ];
  return {
    id,
    from: config.mail.from,
    to: [book.email],
    subject,
    html: renderHtml(doc),
    text: renderText(doc),
    attachments,
  };
}

/**
 * Builds one mail per distinct valid owner email, with only that owner's accounts: the to-do list first
 * (reviews due, at-risk accounts, growth opportunities, moved accounts, with the playbook), a "what changed"
 * block, then the accounts grouped by segment in report order, and the accounts as CSV. Accounts with an
 * invalid owner email get no owner mail (the leadership report lists them). Ids are
 * `<cadence>-<period>-owner-<slug of email>`; addresses that share a slug (`a.b@x.com`, `a-b@x.com`) each get a
 * short hash of their address appended, so an id never depends on which other owners sort first.
 */
export function buildOwnerMails(ctx: ReportContext): OutgoingMail[] {
  const prefix = mailIdPrefix(ctx.analysis.period);
  const { config, predictions } = ctx;
  const todoSettings: TodoSettings = {
    playbook: runPlaybook(config),
    growthThreshold: predictions
      ? growthOpportunityThreshold(predictions.accounts, config.models.growthPotential.hiddenGems.topShare)
      : null,
  };
  const books = ownerBooks(ctx.analysis.accounts);
  const slugCount = new Map<string, number>();
  for (const book of books)
    slugCount.set(emailSlug(book.email), (slugCount.get(emailSlug(book.email)) ?? 0) + 1);
  return books.map((book) => {
    const slug = emailSlug(book.email);
    const hash = createHash('sha256').update(book.email).digest('hex').slice(0, 8);
    const id = `${prefix}-owner-${slug}${(slugCount.get(slug) ?? 0) > 1 ? `-${hash}` : ''}`;
    return ownerMail(ctx, book, id, todoSettings);
  });
}
