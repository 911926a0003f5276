import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import type { GoldenEngine, OpenEngine } from './golden-engine.ts';

/** Runs these golden cases on the engine `open` gives; the expectations do not depend on the engine. */
export function optionalInputSqlTests(engineName: string, open: OpenEngine): void {
  const fixtures = fileURLToPath(new URL('../fixtures/optional-sql/', import.meta.url));
  const csv = (table: string) => ({ path: path.join(fixtures, `${table}.csv`), format: 'csv' as const });

  /** Golden tests of the SQL over the optional inputs of issue 8, against hand-worked expectations. */
  describe(`optional-input SQL (${engineName}, hand-written CSV fixtures)`, () => {
    let engine: GoldenEngine;
    const sql = new FileSqlSource();
    const params = { period_end: '2026-10-31', run_date: '2026-11-02' };

    beforeAll(async () => {
      engine = await open({
        revenue_lines: csv('revenue_lines'),
        accounts: csv('accounts'),
        activities: csv('activities'),
        segment_overrides: csv('segment_overrides'),
        campaign_responses: csv('campaign_responses'),
      });
    });
    afterAll(() => engine.close());

    it('activity_quarantine counts every row once and lists each bad row under its first reason', async () => {
      const rows = await engine.query(sql.load('activity_quarantine'), { run_date: params.run_date });
      const bad = (
        reason: string,
        accountId: string | null,
        occurredOn: string,
        kind: string | null,
        count: string,
      ) => ({
        reason,
        row_count: 1,
        account_id: accountId,
        occurred_on: occurredOn,
        kind,
        event_count: count,
      });
      expect(rows).toEqual([
        { reason: null, row_count: 13, account_id: null, occurred_on: null, kind: null, event_count: null },
        bad('future_occurred_on', 'A1', '2026-12-01', 'meeting', '1'),
        bad('invalid_count', 'A2', '2026-10-01', 'meeting', '2.5'),
        bad('missing_account_id', null, '2026-10-01', 'meeting', '1'),
        bad('missing_kind', 'A2', '2026-10-01', null, '1'),
        bad('unknown_account', 'ZZ', '2026-10-01', 'meeting', '1'),
        bad('unparsable_occurred_on', 'A2', 'not-a-date', 'meeting', '1'),
      ]);
    });

    it('account_activity: recent 3 months vs the 12 before, valid rows only, empty count = 1 event', async () => {
      const rows = await engine.query(sql.load('account_activity'), params);
      // Recent = August to October 2026, baseline = August 2025 to July 2026 (calendar months).
      // A1: recent 2 (Oct 15) + 1 (Sep 1, no count); baseline 1 (Mar 10, kind lower-cased); Jun 2025 is older than
      // 15 months, Nov 1 is after the period end, Dec 1 is future-dated. A2: recent 4 (Aug 31), baseline 3 (May 5).
      expect(rows).toEqual([
        { account_id: 'A1', recent_events: 3, baseline_events: 1 },
        { account_id: 'A2', recent_events: 4, baseline_events: 3 },
      ]);
    });

    it('account_activity counts calendar months: for November, Aug 31 is baseline, not recent', async () => {
      // Period end 2026-11-30: recent = September to November, baseline = September 2025 to August 2026. Run on
      // 2026-12-02, A1's Dec 1 row is valid but after the period end. A clamped "30 Nov - 3 months" (Aug 30)
      // would count A2's Aug 31 as recent.
      const rows = await engine.query(sql.load('account_activity'), {
        period_end: '2026-11-30',
        run_date: '2026-12-02',
      });
      expect(rows).toEqual([
        { account_id: 'A1', recent_events: 4, baseline_events: 1 },
        { account_id: 'A2', recent_events: 0, baseline_events: 7 },
      ]);
    });

    it('segment_overrides returns every row as text for the job to check', async () => {
      const rows = await engine.query(sql.load('segment_overrides'));
      expect(rows).toEqual([
        {
          account_id: 'A2',
          segment: 'High',
          reason: 'Strategic logo in a new market',
          set_by: 'jane@example.com',
          expires_on: '2027-06-30',
        },
        { account_id: 'A1', segment: 'Medium', reason: null, set_by: 'bob@example.com', expires_on: null },
      ]);
    });

    it('campaign_quarantine counts every row once and lists each bad row under its first reason', async () => {
      const rows = await engine.query(sql.load('campaign_quarantine'), { run_date: params.run_date });
      const bad = (
        reason: string,
        campaignId: string | null,
        accountId: string | null,
        sentOn: string,
        responded: string,
        converted: string,
      ) => ({
        reason,
        row_count: 1,
        campaign_id: campaignId,
        account_id: accountId,
        sent_on: sentOn,
        responded,
        converted,
      });
      // 13 rows: 5 valid (one sent before the window, which is still a valid row) and one per reason. The
      // duplicate is C1/A1's second valid row: the converted one is kept.
      expect(rows).toEqual([
        {
          reason: null,
          row_count: 13,
          campaign_id: null,
          account_id: null,
          sent_on: null,
          responded: null,
          converted: null,
        },
        bad('converted_without_response', 'C2', 'A2', '2026-09-01', 'false', 'true'),
        bad('duplicate_response', 'C1', 'A1', '2026-06-10', 'false', 'false'),
        bad('future_sent_on', 'C3', 'A1', '2026-12-01', 'true', 'false'),
        bad('missing_account_id', 'C1', null, '2026-06-10', 'true', 'true'),
        bad('missing_campaign_id', null, 'A1', '2026-06-10', 'true', 'true'),
        bad('unknown_account', 'C2', 'ZZ', '2026-09-01', 'true', 'false'),
        bad('unparsable_flag', 'C2', 'A1', '2026-09-01', 'maybe', 'false'),
        bad('unparsable_sent_on', 'C1', 'A1', '10/06/2026', 'true', 'false'),
      ]);
    });

    it('campaign_responses: valid rows sent in the 12 months to the period end, with T12M revenue at the send', async () => {
      const rows = await engine.query(sql.load('campaign_responses'), {
        ...params,
        reporting_currency: 'USD',
      });
      // A1 on 2026-06-10: I2 500 + I3 1,000 (2025-06-30 is inside the 12 months); I1 is booked later.
      // A2 on 2026-06-10 and 2026-09-01: I4 20,000 once (two identical lines), I5 is older than 12 months.
      // A1 on 2026-09-01: I2 500 only (I3 is now older than 12 months). C0 (2025-09-01) is before the window.
      // Flags yes/no and 1/0 read as booleans, types are lower-cased, an empty type is null.
      expect(rows).toEqual([
        {
          campaign_id: 'C1',
          campaign_type: 'premium',
          account_id: 'A1',
          sent_on: '2026-06-10',
          responded: true,
          converted: true,
          revenue_t12m_at_send: 1500,
        },
        {
          campaign_id: 'C1',
          campaign_type: 'premium',
          account_id: 'A2',
          sent_on: '2026-06-10',
          responded: true,
          converted: false,
          revenue_t12m_at_send: 20000,
        },
        {
          campaign_id: 'C2',
          campaign_type: 'automated',
          account_id: 'A1',
          sent_on: '2026-09-01',
          responded: false,
          converted: false,
          revenue_t12m_at_send: 500,
        },
        {
          campaign_id: 'C2',
          campaign_type: null,
          account_id: 'A2',
          sent_on: '2026-09-01',
          responded: false,
          converted: false,
          revenue_t12m_at_send: 20000,
        },
      ]);
    });
  });
}
