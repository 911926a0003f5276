import { errorFunction } from 'simple-statistics';
import { type SegmentsConfig, segmentOrder } from '../config.ts';
import { assignSegment } from '../metrics/assign-segment.ts';

/** Name of the optional campaign responses input (issue 8). */
export const CAMPAIGN_RESPONSES_TABLE = 'campaign_responses';
/** Columns the `campaign_responses` input must have; `campaign_type` may be empty per row. */
export const CAMPAIGN_RESPONSE_COLUMNS = [
  'campaign_id',
  'account_id',
  'sent_on',
  'responded',
  'converted',
  'campaign_type',
] as const;
/** Shown wherever a number needs the campaign responses input and the run had none. */
export const CAMPAIGNS_NOT_AVAILABLE = `not available: needs ${CAMPAIGN_RESPONSES_TABLE}`;
/** The type of a campaign whose rows give none. */
export const UNSPECIFIED_CAMPAIGN_TYPE = 'unspecified';

/** One valid response row as `sql/campaign_responses.sql` returns it. */
export interface CampaignResponse {
  readonly campaignId: string;
  /** Lower-case type (premium, targeted, automated...); null when the row gives none. */
  readonly campaignType: string | null;
  readonly accountId: string;
  readonly sentOn: string;
  readonly responded: boolean;
  readonly converted: boolean;
  /** The account's T12M revenue on the send date, which gives the segment it had then. */
  readonly revenueT12mAtSend: number;
}

/** Sends, responses and conversions of a group of campaign rows, with the rates they give. */
export interface ResponseRates {
  readonly sent: number;
  readonly responded: number;
  readonly converted: number;
  /** responded / sent; null without sends. */
  readonly responseRate: number | null;
  /** converted / sent; null without sends. */
  readonly conversionRate: number | null;
  /** converted / responded; null without responses. */
  readonly responseConversionRate: number | null;
}

/** How a row of rates groups the responses. */
export type CampaignGrouping = 'campaign' | 'campaign_type' | 'all';

/** Rates of one group: a campaign, a campaign type or all campaigns, in one segment or (segment null) all. */
export interface CampaignRateRow extends ResponseRates {
  readonly grouping: CampaignGrouping;
  /** Set for `campaign` rows. */
  readonly campaignId: string | null;
  /** Set for `campaign` and `campaign_type` rows. */
  readonly campaignType: string | null;
  /** The segment the accounts had at the send; null for the row over every segment. */
  readonly segment: string | null;
  readonly firstSentOn: string;
  readonly lastSentOn: string;
}

/** Which segment a campaign type works best for, and whether the data can tell. */
export interface CampaignTypeVerdict {
  readonly campaignType: string;
  readonly sent: number;
  /** Segment with the highest response rate among those with at least `minSends`; null when none has enough. */
  readonly bestSegment: string | null;
  readonly best: ResponseRates | null;
  /** Response rate of the type's other brackets together (inactive left out); null when there are none. */
  readonly restResponseRate: number | null;
  /**
   * Two-sided p-value of the two-proportion z-test of the best segment's response rate against the other
   * brackets' together; null when there is nothing to compare.
   */
  readonly pValue: number | null;
}

/** Campaign response of a run: every rate row and the verdict per campaign type. */
export interface CampaignReport {
  /** First and last day of the 12 months the campaigns were sent in. */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly campaigns: number;
  /** Rows: per campaign and segment, per type and segment, per segment over all, each with an all-segment row. */
  readonly rows: readonly CampaignRateRow[];
  readonly verdicts: readonly CampaignTypeVerdict[];
  /** Fewest sends a segment needs before it can be named the one a type works for. */
  readonly minSends: number;
}

/** A segment needs this many sends of a type before the type can be said to work best for it. @default */
export const DEFAULT_MIN_SENDS = 30;

type RowKey = Pick<CampaignRateRow, 'grouping' | 'campaignId' | 'campaignType' | 'segment'>;

interface Tally {
  sent: number;
  responded: number;
  converted: number;
  first: string;
  last: string;
}

function rates(t: Pick<Tally, 'sent' | 'responded' | 'converted'>): ResponseRates {
  return {
    sent: t.sent,
    responded: t.responded,
    converted: t.converted,
    responseRate: t.sent > 0 ? t.responded / t.sent : null,
    conversionRate: t.sent > 0 ? t.converted / t.sent : null,
    responseConversionRate: t.responded > 0 ? t.converted / t.responded : null,
  };
}

/**
 * Two-sided p-value of the pooled two-proportion z-test of x1/n1 against x2/n2; null when a group is empty or
 * the pooled rate is 0 or 1 (no variance to test against).
 */
export function twoProportionPValue(x1: number, n1: number, x2: number, n2: number): number | null {
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = Math.abs(x1 / n1 - x2 / n2) / se;
  // 2 (1 - Phi(z)) = 1 - erf(z / sqrt 2); simple-statistics' erf is good to ~1e-7, its Phi table only to 2 decimals of z
  return Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
}

/** The type a campaign is reported under: the type most of its rows give (ties: alphabetical), else unspecified. */
function campaignTypes(responses: readonly CampaignResponse[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of responses) {
    const byType = counts.get(r.campaignId) ?? new Map<string, number>();
    const type = r.campaignType ?? UNSPECIFIED_CAMPAIGN_TYPE;
    byType.set(type, (byType.get(type) ?? 0) + 1);
    counts.set(r.campaignId, byType);
  }
  const types = new Map<string, string>();
  for (const [campaign, byType] of counts) {
    const [type] = [...byType.entries()].sort(
      ([a, x], [b, y]) =>
        y - x ||
        Number(a === UNSPECIFIED_CAMPAIGN_TYPE) - Number(b === UNSPECIFIED_CAMPAIGN_TYPE) ||
        a.localeCompare(b),
    )[0] as [string, number];
    types.set(campaign, type);
  }
  return types;
}

/** Options of {@link campaignReport}. */
export interface CampaignReportOptions {
  readonly segments: SegmentsConfig;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** @default DEFAULT_MIN_SENDS */
  readonly minSends?: number;
}

/**
 * Response and conversion rates of the campaigns sent in a 12-month window (issue 8), by the segment each
 * account had when the campaign reached it (its T12M revenue at the send date, on the configured brackets):
 * per campaign, per campaign type and over all campaigns, each per segment and over every segment. For each
 * type, the segment it works best for is the revenue bracket with the highest response rate among those with
 * at least `minSends` sends (ties: higher conversion rate, then report order), tested against the type's
 * other brackets together with a two-proportion z-test. The inactive segment (no revenue in the 12 months
 * before the send) is counted in the rows but not ranked: the playbook plans campaigns for the brackets.
 */
export function campaignReport(
  responses: readonly CampaignResponse[],
  options: CampaignReportOptions,
): CampaignReport {
  const minSends = options.minSends ?? DEFAULT_MIN_SENDS;
  const order = segmentOrder(options.segments);
  const rank = (segment: string | null) => (segment === null ? -1 : order.indexOf(segment));
  const typeOf = campaignTypes(responses);
  const tallies = new Map<string, { key: RowKey; tally: Tally }>();
  const add = (key: RowKey, r: CampaignResponse) => {
    const id = JSON.stringify([key.grouping, key.campaignId, key.campaignType, key.segment]);
    let entry = tallies.get(id);
    if (!entry) {
      entry = { key, tally: { sent: 0, responded: 0, converted: 0, first: r.sentOn, last: r.sentOn } };
      tallies.set(id, entry);
    }
    const t = entry.tally;
    t.sent += 1;
    if (r.responded) t.responded += 1;
    if (r.converted) t.converted += 1;
    if (r.sentOn < t.first) t.first = r.sentOn;
    if (r.sentOn > t.last) t.last = r.sentOn;
  };
  for (const r of responses) {
    const segment = assignSegment(r.revenueT12mAtSend, options.segments);
    const campaignType = typeOf.get(r.campaignId) ?? UNSPECIFIED_CAMPAIGN_TYPE;
    for (const s of [segment, null]) {
      add({ grouping: 'campaign', campaignId: r.campaignId, campaignType, segment: s }, r);
      add({ grouping: 'campaign_type', campaignId: null, campaignType, segment: s }, r);
      add({ grouping: 'all', campaignId: null, campaignType: null, segment: s }, r);
    }
  }
  const groupingRank: Readonly<Record<CampaignGrouping, number>> = { campaign: 0, campaign_type: 1, all: 2 };
  const rows: CampaignRateRow[] = [...tallies.values()]
    .map(({ key, tally }) => ({ ...key, ...rates(tally), firstSentOn: tally.first, lastSentOn: tally.last }))
    .sort(
      (a, b) =>
        groupingRank[a.grouping] - groupingRank[b.grouping] ||
        (a.campaignType ?? '').localeCompare(b.campaignType ?? '') ||
        (a.campaignId ?? '').localeCompare(b.campaignId ?? '') ||
        rank(a.segment) - rank(b.segment),
    );

  const types = [...new Set(rows.filter((r) => r.grouping === 'campaign_type').map((r) => r.campaignType))];
  const verdicts: CampaignTypeVerdict[] = types.map((type) => {
    const bySegment = rows.filter(
      (r): r is CampaignRateRow & { segment: string } =>
        r.grouping === 'campaign_type' &&
        r.campaignType === type &&
        r.segment !== null &&
        r.segment !== options.segments.inactiveName,
    );
    const total = rows.find(
      (r) => r.grouping === 'campaign_type' && r.campaignType === type && r.segment === null,
    );
    const eligible = bySegment
      .filter((r) => r.sent >= minSends)
      .sort(
        (a, b) =>
          (b.responseRate ?? 0) - (a.responseRate ?? 0) ||
          (b.conversionRate ?? 0) - (a.conversionRate ?? 0) ||
          rank(a.segment) - rank(b.segment),
      );
    const best = eligible[0];
    const rest = bySegment.filter((r) => r !== best);
    const restSent = rest.reduce((n, r) => n + r.sent, 0);
    const restResponded = rest.reduce((n, r) => n + r.responded, 0);
    return {
      campaignType: type as string,
      sent: total?.sent ?? 0,
      bestSegment: best?.segment ?? null,
      best: best ? rates(best) : null,
      restResponseRate: restSent > 0 ? restResponded / restSent : null,
      pValue: best ? twoProportionPValue(best.responded, best.sent, restResponded, restSent) : null,
    };
  });
  return {
    windowStart: options.windowStart,
    windowEnd: options.windowEnd,
    campaigns: typeOf.size,
    rows,
    verdicts,
    minSends,
  };
}
