import {
  CAMPAIGNS_NOT_AVAILABLE,
  type CampaignRateRow,
  type CampaignReport,
  type CampaignTypeVerdict,
} from '../campaigns/campaign-responses.ts';
import { segmentOrder } from '../config.ts';
import { runPlaybook } from '../quarterly-review.ts';
import type { ReportBlock, ReportColumn } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import type { ReportContext } from './report-context.ts';

const left = (header: string): ReportColumn => ({ header, align: 'left' });
const right = (header: string): ReportColumn => ({ header, align: 'right' });

/** Below this p-value the best segment's response rate is called clearly higher than the type's other segments. */
const CLEAR_P = 0.05;

/**
 * The segments whose playbook marketing names a campaign type (`Premium campaigns` names `premium`), by type.
 */
export function playbookSegmentsByType(ctx: ReportContext): Map<string, string[]> {
  const bySegment = Object.entries(runPlaybook(ctx.config));
  const byType = new Map<string, string[]>();
  for (const [segment, entry] of bySegment) {
    const type = entry.marketing.trim().split(/\s+/)[0]?.toLowerCase();
    if (!type) continue;
    byType.set(type, [...(byType.get(type) ?? []), segment]);
  }
  return byType;
}

function rateCell(
  rates: Pick<CampaignRateRow, 'sent' | 'responseRate' | 'conversionRate'>,
  fmt: ReportFormatter,
): string {
  return rates.sent === 0
    ? MISSING
    : `${fmt.percent(rates.responseRate)} · ${fmt.percent(rates.conversionRate)} of ${fmt.number(rates.sent)}`;
}

function verdictText(
  v: CampaignTypeVerdict,
  report: CampaignReport,
  playbook: ReadonlyMap<string, readonly string[]>,
  fmt: ReportFormatter,
): string {
  const planned = playbook.get(v.campaignType) ?? [];
  const plan =
    planned.length > 0 ? `the playbook sends ${v.campaignType} campaigns to ${planned.join(', ')}` : null;
  if (v.bestSegment === null || v.best === null) {
    return `${v.campaignType}: no bracket had ${fmt.number(report.minSends)} sends, too few to tell which it works for${plan ? `; ${plan}` : ''}.`;
  }
  const strength =
    v.pValue === null
      ? 'the only segment with enough sends'
      : v.pValue < CLEAR_P
        ? `clearly above the other brackets' ${fmt.percent(v.restResponseRate)} (p ${v.pValue < 0.001 ? '< 0.001' : `= ${fmt.number(v.pValue, 3)}`})`
        : `but not clearly above the other brackets' ${fmt.percent(v.restResponseRate)} (p = ${fmt.number(v.pValue, 2)}, could be chance)`;
  const clear = v.pValue !== null && v.pValue < CLEAR_P;
  const fit = !plan
    ? ''
    : planned.includes(v.bestSegment)
      ? ', as the playbook plans'
      : clear
        ? `; ${plan}: worth a look`
        : `; ${plan}`;
  return `${v.campaignType} works best for ${v.bestSegment}: ${fmt.percent(v.best.responseRate)} responded and ${fmt.percent(v.best.conversionRate)} converted of ${fmt.number(v.best.sent)} sent, ${strength}${fit}.`;
}

/**
 * Campaign response in the quarterly review (issue 8): which segment each campaign type works for, against
 * the playbook's marketing per segment; response and conversion rates per campaign type and segment; and per
 * campaign. Segments are those the accounts had when the campaign reached them. Says "not available: needs
 * campaign_responses" when that input is absent.
 */
export function campaignBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const heading: ReportBlock = { kind: 'heading', text: 'Campaign response by segment' };
  const report = ctx.campaigns;
  if (!report)
    return [heading, { kind: 'paragraph', text: `Campaign response: ${CAMPAIGNS_NOT_AVAILABLE}.` }];
  const all = report.rows.find((r) => r.grouping === 'all' && r.segment === null);
  if (!all) {
    return [
      heading,
      {
        kind: 'paragraph',
        text: `No valid campaign response was sent between ${fmt.date(report.windowStart)} and ${fmt.date(report.windowEnd)}.`,
      },
    ];
  }
  const playbook = playbookSegmentsByType(ctx);
  const byType = report.rows.filter((r) => r.grouping === 'campaign_type');
  const present = new Set(report.rows.map((r) => r.segment));
  const segments = segmentOrder(ctx.config.segments).filter((segment) => present.has(segment));
  const typeRow = (type: string, segment: string | null) =>
    byType.find((r) => r.campaignType === type && r.segment === segment);
  const types = [...new Set(byType.map((r) => r.campaignType as string))];
  const campaigns = report.rows.filter((r) => r.grouping === 'campaign' && r.segment === null);
  const limit = ctx.config.report.topAccounts;
  const shownCampaigns = [...campaigns]
    .sort(
      (a, b) =>
        b.lastSentOn.localeCompare(a.lastSentOn) || (a.campaignId ?? '').localeCompare(b.campaignId ?? ''),
    )
    .slice(0, limit);
  const bestOf = (campaignId: string | null) => {
    const rows = report.rows.filter(
      (r) =>
        r.grouping === 'campaign' &&
        r.campaignId === campaignId &&
        r.segment !== null &&
        r.segment !== ctx.config.segments.inactiveName &&
        r.sent >= report.minSends,
    );
    const best = rows.sort((a, b) => (b.responseRate ?? 0) - (a.responseRate ?? 0))[0];
    return best ? `${best.segment} (${fmt.percent(best.responseRate)})` : MISSING;
  };
  return [
    heading,
    {
      kind: 'paragraph',
      text: `${fmt.number(report.campaigns)} campaigns sent between ${fmt.date(report.windowStart)} and ${fmt.date(report.windowEnd)}: ${fmt.number(all.sent)} sends, ${fmt.percent(all.responseRate)} responded, ${fmt.percent(all.conversionRate)} converted. Each account counts in the segment it had when the campaign reached it (its T12M revenue on the send date).`,
    },
    { kind: 'list', items: report.verdicts.map((v) => verdictText(v, report, playbook, fmt)) },
    {
      kind: 'table',
      columns: [left('Segment at the send'), ...types.map((type) => right(type))],
      rows: segments.map((segment) => [
        segment,
        ...types.map((type) => {
          const row = typeRow(type, segment);
          return row ? rateCell(row, fmt) : MISSING;
        }),
      ]),
      footer: [
        'All',
        ...types.map((type) => {
          const row = typeRow(type, null);
          return row ? rateCell(row, fmt) : MISSING;
        }),
      ],
    },
    {
      kind: 'paragraph',
      text: `Each cell: responded · converted, as shares of the sends, and how many were sent. A bracket needs ${fmt.number(report.minSends)} sends of a type before the type is said to work for it; "clearly" means a two-proportion z-test against the type's other brackets gives p < ${CLEAR_P}. ${ctx.config.segments.inactiveName} accounts (no revenue in the 12 months before the send) are shown but not ranked, as the playbook plans campaigns for the revenue brackets.`,
    },
    { kind: 'paragraph', text: 'Campaigns, latest first', emphasis: true },
    {
      kind: 'table',
      columns: [
        left('Campaign'),
        left('Type'),
        right('Sent on'),
        right('Sent'),
        right('Response'),
        right('Conversion'),
        left('Best segment'),
      ],
      rows: shownCampaigns.map((c) => [
        c.campaignId ?? MISSING,
        c.campaignType ?? MISSING,
        c.firstSentOn === c.lastSentOn
          ? fmt.date(c.firstSentOn)
          : `${fmt.date(c.firstSentOn)}–${fmt.date(c.lastSentOn)}`,
        fmt.number(c.sent),
        fmt.percent(c.responseRate),
        fmt.percent(c.conversionRate),
        bestOf(c.campaignId),
      ]),
    },
    ...(campaigns.length > shownCampaigns.length
      ? [
          {
            kind: 'paragraph',
            text: `${fmt.number(campaigns.length - shownCampaigns.length)} more campaigns in the snapshot's campaign_response_rates table.`,
          } as const,
        ]
      : []),
  ];
}
