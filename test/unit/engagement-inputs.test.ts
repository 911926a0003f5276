import { describe, expect, it } from 'vitest';
import { isoOfDay, parseIsoDay } from '../../lambdas/core/sample/calendar.ts';
import {
  engagementInputsCsv,
  sampleActivities,
  sampleCampaignResponses,
  sampleSegmentOverrides,
} from '../../lambdas/core/sample/engagement-inputs.ts';
import { planSampleBook } from '../../lambdas/core/sample/sample-book.ts';

const book = planSampleBook({ lines: 8_000, seed: 5, asOf: '2026-11-02', multiCurrency: false });
const clean = planSampleBook({
  lines: 8_000,
  seed: 5,
  asOf: '2026-11-02',
  multiCurrency: false,
  plantProblems: false,
});

describe('sample engagement inputs', () => {
  it('are the same for the same options', () => {
    expect(engagementInputsCsv(book)).toEqual(
      engagementInputsCsv(
        planSampleBook({ lines: 8_000, seed: 5, asOf: '2026-11-02', multiCurrency: false }),
      ),
    );
  });

  it('plant bad rows only when asked', () => {
    const activities = sampleActivities(clean);
    expect(activities.every((a) => a.accountId !== null && a.accountId !== 'ACC-UNKNOWN')).toBe(true);
    expect(sampleActivities(book).length - activities.length).toBe(4);
    expect(sampleSegmentOverrides(book).map((o) => o.segment)).toContain('Platinum');
    expect(sampleSegmentOverrides(clean).map((o) => o.segment)).not.toContain('Platinum');
    expect(sampleCampaignResponses(book).length - sampleCampaignResponses(clean).length).toBe(4);
  });

  it('let activity fade before an account churns, so engagement warns ahead of revenue', () => {
    // churned accounts active for over 15 months before churning, inside the 24 months of activity written:
    // their events (a row's count, or 1) in the 90 days before churn against the same 90 days a year earlier
    const large = planSampleBook({
      lines: 40_000,
      seed: 5,
      asOf: '2026-11-02',
      multiCurrency: false,
      plantProblems: false,
    });
    const { lastDay } = large.window;
    const churnOn = new Map(
      large.plans
        .filter(
          (p) => p.churnOn < lastDay && p.churnOn - 455 > lastDay - 720 && p.activeFrom <= p.churnOn - 455,
        )
        .map((p) => [p.row.accountId, p.churnOn]),
    );
    expect(churnOn.size).toBeGreaterThan(10);
    let before = 0;
    let yearEarlier = 0;
    for (const a of sampleActivities(large)) {
      const churn = churnOn.get(a.accountId ?? '');
      if (churn === undefined) continue;
      const day = parseIsoDay(a.occurredOn) as number;
      const events = a.count === null ? 1 : Number(a.count);
      if (day >= churn - 90 && day < churn) before += events;
      if (day >= churn - 455 && day < churn - 365) yearEarlier += events;
    }
    expect(before).toBeLessThan(yearEarlier * 0.6);
  });

  it('pin accounts with a reason and the owner as setter, and let two overrides expire 40 days before the end', () => {
    const overrides = sampleSegmentOverrides(clean);
    const owners = new Map(clean.accountRows.map((a) => [a.accountId, a.ownerEmail]));
    for (const o of overrides) {
      expect(o.reason.length).toBeGreaterThan(0);
      expect(o.setBy).toBe(owners.get(o.accountId));
    }
    expect(overrides.filter((o) => o.expiresOn === isoOfDay(clean.window.lastDay - 40))).toHaveLength(2);
    expect(new Set(overrides.map((o) => o.accountId)).size).toBe(overrides.length);
  });

  it("send one campaign of each playbook type on the 10th of each quarter's first month", () => {
    const responses = sampleCampaignResponses(clean);
    const campaigns = new Map(responses.map((r) => [r.campaignId, r.campaignType]));
    expect(campaigns.size).toBe(24);
    expect([...campaigns.values()].filter((t) => t === 'premium')).toHaveLength(8);
    for (const r of responses) {
      expect(['true', 'false']).toContain(r.responded);
      if (r.converted === 'true') expect(r.responded).toBe('true');
    }
    for (const r of responses) {
      expect(r.sentOn).toMatch(/^\d{4}-(01|04|07|10)-10$/);
      expect(r.campaignId).toBe(
        `CMP-${r.sentOn.slice(0, 4)}Q${(Number(r.sentOn.slice(5, 7)) + 2) / 3}-${r.campaignType}`,
      );
    }
    expect(new Set(campaigns.values())).toEqual(new Set(['premium', 'targeted', 'automated']));
  });
});
