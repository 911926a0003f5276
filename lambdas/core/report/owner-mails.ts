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
import { growthOpportunityThreshold, ownerTodoBlocks, ownerTodoFor } from './owner-todo-section.ts';
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

function accountRow(a: ClassifiedAccount, fmt: ReportFormatter): string[] {
  return [
    accountLabel(a),
    fmt.money(a.revenueT12m),
    fmt.moneyDeltaFull(a.movementAmount),
    fmt.percentDelta(a.growthYoy),
    movementLabel(a.movement),
    segmentChange(a),
    fmt.date(a.lastInvoiceOn),
    fmt.number(a.recencyDays),
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
          { header: 'Movement' },
          { header: 'Segment change' },
          { header: 'Last invoice', align: 'right' },
          { header: 'Days since', align: 'right' },
        ],
        rows: [
          ...listed.map((a) => accountRow(a, fmt)),
          ...restRows(rest, fmt.money(restWeight), fmt, { width: 8, amountAt: 1, noteAt: 2 }),
        ],
      },
    ];
  });
}

/** The owner's accounts as CSV, raw values (growth as a fraction). */
export function ownerAccountsCsv(ctx: ReportContext, book: OwnerBook): string {
  const { period } = ctx.analysis;
  return toCsv(
    [
      'period',
      'cadence',
      'account_id',
      'account_name',
      'segment',
      'previous_segment',
      'revenue_t12m',
      'previous_revenue_t12m',
      'change_vs_previous',
      'revenue_prior_t12m',
      'growth_yoy',
      'movement',
      'invoices_t12m',
      'last_invoice_on',
      'recency_days',
    ],
    book.accounts.map((a) => [
      period.id,
      period.cadence,
      a.accountId,
      a.accountName,
      a.segment,
      a.previousSegment,
      a.revenueT12m,
      a.previousRevenueT12m,
      a.movementAmount,
      a.revenuePriorT12m,
      a.growthYoy,
      a.movement,
      a.invoicesT12m,
      a.lastInvoiceOn,
      a.recencyDays,
    ]),
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
  const subject = reportSubject(ctx, 'your accounts');
  const doc: ReportDocument = {
    title: subject,
    preheader: `${countOf(book.accounts.length, 'account', fmt.number(book.accounts.length))}, T12M revenue ${fmt.moneyCompact(total)}`,
    blocks: [
      { kind: 'paragraph', text: `Hello ${book.name},` },
      {
        kind: 'paragraph',
        text: `This is the ${analysis.period.cadence} summary of the accounts you own, as of ${fmt.date(analysis.period.end)}.`,
      },
      ...ownerTodoBlocks(todo, fmt, config.report.ownerListLimit),
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
      content: ownerAccountsCsv(ctx, book),
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
