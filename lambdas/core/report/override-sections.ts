import { segmentOrder } from '../config.ts';
import { SEGMENT_OVERRIDES_TABLE, summarizeOverrides } from '../overrides/segment-overrides.ts';
import type { ClassifiedAccount } from '../types.ts';
import type { ReportBlock } from './document.ts';
import type { ReportFormatter } from './format.ts';
import { accountLabel, countOf } from './labels.ts';
import { normalizeEmail } from './owner-email.ts';
import type { ReportContext } from './report-context.ts';

/** Shown wherever a number needs the `segment_overrides` input and the run had none. */
export const OVERRIDES_NOT_AVAILABLE = `not available: needs ${SEGMENT_OVERRIDES_TABLE}`;

const left = (header: string) => ({ header });
const right = (header: string) => ({ header, align: 'right' as const });

/**
 * Leadership view of the sales team's segment overrides: per segment, the overrides that pin accounts into
 * it or take them out of it and the T12M revenue they move, then expired and rejected overrides. Segment
 * KPIs elsewhere in the report already use the effective (overridden) segment.
 */
export function overrideBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const heading: ReportBlock = { kind: 'heading', text: 'Segment overrides by the sales team' };
  const outcome = ctx.overrides;
  if (!outcome)
    return [heading, { kind: 'paragraph', text: `Segment overrides: ${OVERRIDES_NOT_AVAILABLE}.` }];
  const summary = summarizeOverrides(outcome, segmentOrder(ctx.config.segments));
  const applied = outcome.applied.size;
  const moved = [...outcome.applied.values()].filter((o) => o.segment !== o.computedSegment);
  const blocks: ReportBlock[] = [
    heading,
    {
      kind: 'paragraph',
      text: `${countOf(applied, 'override', fmt.number(applied))} in force, ${fmt.number(moved.length)} of them moving an account out of its revenue segment (${fmt.moneyCompact(moved.reduce((s, o) => s + o.revenueT12m, 0))} T12M revenue). Pinned into / taken out: overrides that move an account into or out of the segment its revenue gives it, with that account's T12M revenue; unchanged: pinned to the segment it has anyway. Segment KPIs use the effective segment; the snapshot keeps the computed one beside it.`,
    },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Pinned into'),
        right('Revenue in'),
        right('Taken out'),
        right('Revenue out'),
        right('Unchanged'),
      ],
      rows: summary.map((s) => [
        s.segment,
        fmt.number(s.overridesIn),
        fmt.money(s.revenueIn),
        fmt.number(s.overridesOut),
        fmt.money(s.revenueOut),
        fmt.number(s.overridesUnchanged),
      ]),
    },
  ];
  if (outcome.expired.length > 0) {
    blocks.push({
      kind: 'paragraph',
      text: `${countOf(outcome.expired.length, 'override', fmt.number(outcome.expired.length))} expired and no longer ${outcome.expired.length === 1 ? 'applies' : 'apply'}; each owner's mail lists theirs.`,
    });
  }
  if (outcome.rejected.length > 0) {
    const limit = ctx.config.report.topAccounts;
    const listed = outcome.rejected.slice(0, limit).map((r) => r.message);
    const more = outcome.rejected.length - listed.length;
    blocks.push(
      {
        kind: 'paragraph',
        text: `${countOf(outcome.rejected.length, 'override', fmt.number(outcome.rejected.length))} rejected and not applied:`,
      },
      { kind: 'list', items: more > 0 ? [...listed, `and ${fmt.number(more)} more`] : listed },
    );
  }
  return blocks;
}

/**
 * An owner's view of the overrides on their accounts: those in force (with the computed segment they
 * replace) and those that expired, so the owner can renew or drop them. Empty when there is nothing to say.
 */
export function ownerOverrideBlocks(
  ctx: ReportContext,
  ownerEmail: string,
  ownAccounts: readonly Pick<ClassifiedAccount, 'accountId' | 'accountName'>[],
  fmt: ReportFormatter,
): ReportBlock[] {
  const outcome = ctx.overrides;
  if (!outcome || (outcome.applied.size === 0 && outcome.expired.length === 0)) return [];
  const owner = normalizeEmail(ownerEmail);
  const names = new Map(ownAccounts.map((a) => [a.accountId, a]));
  const active = [...outcome.applied.values()].filter((o) => names.has(o.accountId));
  const expired = outcome.expired.filter((o) => normalizeEmail(o.ownerEmail) === owner);
  if (active.length === 0 && expired.length === 0) return [];
  const label = (accountId: string) =>
    accountLabel({ accountId, accountName: names.get(accountId)?.accountName ?? accountId });
  const items = [
    ...expired.map(
      (o) =>
        `Expired on ${fmt.date(o.expiresOn)}: ${label(o.accountId)} was pinned to ${o.segment} by ${o.setBy || 'unknown'} (${o.reason}); it is back in its revenue segment. Renew the override or remove it.`,
    ),
    ...active.map(
      (o) =>
        `${label(o.accountId)} is pinned to ${o.segment} until ${fmt.date(o.expiresOn)} (revenue segment ${o.computedSegment}; ${o.reason}; set by ${o.setBy || 'unknown'}).`,
    ),
  ];
  return [
    { kind: 'heading', text: 'Segment overrides' },
    { kind: 'list', items },
  ];
}
