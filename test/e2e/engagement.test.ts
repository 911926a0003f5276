// The optional inputs of issue 8 through the whole local run: activities (engagement), segment overrides and
// campaign responses, checked against plain recomputations from the generated CSV files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverInputs,
  INPUT_TABLES,
  type LocalRuntime,
  OPTIONAL_INPUT_TABLES,
  openLocalRuntime,
} from '../../lambdas/adapters/local/local-runtime.ts';
import type { SampleBookResult } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { PLANTED_ENGAGEMENT_PROBLEMS } from '../../lambdas/core/sample/engagement-inputs.ts';
import { type RunSummary, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import { type GeneratedBook, openGeneratedBook } from './generated-book.ts';
import { parseCsv } from './independent-book.ts';

const AS_OF = '2026-11-02';
const PERIOD_END = '2026-09-30';
const clock = fixedClock(`${AS_OF}T09:00:00Z`);
const config = parseRunConfig({ mail: { leadership: ['cro@example.com'] } });

function records(file: string): Record<string, string | null>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, k) => [h ?? '', r[k] ?? null])));
}

const isDate = (v: string | null | undefined): v is string =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** The same calendar day a year (or `months`) earlier, clamped to the month's length. */
/** The first day of the calendar month `months` before the month of `iso`. */
function monthStartBefore(iso: string, months: number): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - months, 1)).toISOString().slice(0, 10);
}

function monthsBefore(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, days))).toISOString().slice(0, 10);
}

async function mailText(outbox: string, id: string): Promise<string> {
  return (await simpleParser(readFileSync(path.join(outbox, `${id}.eml`)))).text ?? '';
}

describe('engagement, segment overrides and campaign responses end to end', () => {
  let root: string;
  let book: SampleBookResult;
  let runtime: LocalRuntime;
  let quarterly: RunSummary;
  /** Valid accounts of the book (first row of each id), with their owner. */
  let accounts: Map<string, string | null>;

  let generated: GeneratedBook;

  beforeAll(async () => {
    generated = await openGeneratedBook('engagement', {
      lines: 6_000,
      seed: 11,
      asOf: AS_OF,
      engagementInputs: true,
    });
    ({ root, book, runtime } = generated);
    quarterly = await runPeriod(runtime.deps, config, { periodId: '2026-Q3', cadence: 'quarterly' });
    accounts = new Map();
    for (const a of records(book.files.accounts)) {
      const id = a.account_id?.trim();
      if (id && !accounts.has(id)) accounts.set(id, a.owner_email ?? null);
    }
  }, 120_000);

  afterAll(() => generated?.close());

  it('quarantines exactly the planted bad rows of activities, campaign responses and overrides, with reasons', async () => {
    for (const table of ['activities', 'campaign_responses', 'segment_overrides'] as const) {
      const found: Record<string, number> = {};
      for (const c of quarterly.quarantine.counts.filter((c) => c.table === table)) found[c.reason] = c.rows;
      expect(found, table).toEqual(PLANTED_ENGAGEMENT_PROBLEMS[table]);
    }
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select source_table, reason, reason_text, account_id, detail from quarantine where source_table = 'activities' order by reason",
    );
    expect(rows.map((r) => r.reason)).toEqual([
      'invalid_count',
      'missing_account_id',
      'unknown_account',
      'unparsable_occurred_on',
    ]);
    expect(rows[0]?.detail).toContain('event_count=-3');
    expect(rows[3]?.reason_text).toBe('occurred_on is empty or not a date (use YYYY-MM-DD)');
  });

  it('counts each account’s recent activities as a plain recomputation from activities.csv does', async () => {
    const recentFrom = monthStartBefore(PERIOD_END, 2);
    const recent = new Map<string, number>();
    for (const a of records(book.engagementFiles.activities as string)) {
      const id = a.account_id?.trim() ?? '';
      const count = a.count?.trim() ?? '';
      const day = a.occurred_on ?? '';
      const valid =
        accounts.has(id) &&
        isDate(day) &&
        day <= AS_OF &&
        (a.kind?.trim() ?? '') !== '' &&
        (count === '' || /^\d+$/.test(count));
      if (!valid || !(day >= recentFrom && day <= PERIOD_END)) continue;
      recent.set(id, (recent.get(id) ?? 0) + (count === '' ? 1 : Number(count)));
    }
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select account_id, recent_activities, engagement_level, engagement_reason from account_segments where cadence = 'quarterly' and period = '2026-Q3'",
    );
    expect(rows).toHaveLength(accounts.size);
    for (const row of rows) {
      const expected = recent.get(String(row.account_id)) ?? 0;
      expect(row.recent_activities, String(row.account_id)).toBe(expected);
      expect(['high', 'medium', 'low', 'none']).toContain(row.engagement_level);
      expect(String(row.engagement_reason)).toMatch(
        new RegExp(`^${expected} activities in the last 3 months`),
      );
    }
  });

  it('raises churn risk for accounts with revenue whose engagement fell, and says so', async () => {
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select account_id, churn_risk, churn_reason, engagement_reason, revenue_t12m from account_segments where cadence = 'quarterly' and period = '2026-Q3' and engagement_reason like '%(down %' and revenue_t12m > 0",
    );
    const falling = rows.filter((r) => String(r.churn_reason).includes('engagement down'));
    expect(falling.length).toBeGreaterThan(0);
    for (const r of falling) expect(r.churn_risk).not.toBe('none');
    const growth = await querySnapshots(
      runtime.storeDir,
      "select count(*) as n from account_segments where cadence = 'quarterly' and period = '2026-Q3' and growth_reasons like '%engagement 0.% of 1 (%'",
    );
    expect(Number(growth.rows[0]?.n)).toBeGreaterThan(0);
  });

  it('keeps computed and effective segment for exactly the overrides in force at the period end', async () => {
    const segments = new Set(['High', 'Medium', 'Low', 'Inactive']);
    const inForce = new Map<string, { segment: string; reason: string }>();
    const seen = new Set<string>();
    for (const o of records(book.engagementFiles.segment_overrides as string)) {
      const id = o.account_id?.trim() ?? '';
      if (!accounts.has(id) || !segments.has(o.segment ?? '') || !o.reason || !isDate(o.expires_on)) continue;
      if (seen.has(id)) continue;
      seen.add(id);
      if (o.expires_on >= PERIOD_END) inForce.set(id, { segment: o.segment as string, reason: o.reason });
    }
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select account_id, segment, computed_segment, override_reason from account_segments where cadence = 'quarterly' and period = '2026-Q3' and override_reason is not null",
    );
    expect(new Set(rows.map((r) => String(r.account_id)))).toEqual(new Set(inForce.keys()));
    for (const r of rows) {
      const o = inForce.get(String(r.account_id));
      expect(r.segment).toBe(o?.segment);
      expect(r.override_reason).toBe(o?.reason);
    }
    expect(rows.some((r) => r.segment !== r.computed_segment)).toBe(true);
  });

  it('rates campaign responses per type and segment at the send as a plain recomputation does', async () => {
    // valid revenue lines, each identical line once, by account, in the reporting currency: a line in another
    // currency at the fx_rates rate of its booking month, rounded to cents (no rate: quarantined)
    const rates = new Map<string, number>();
    if (book.fxRatesFile) {
      for (const r of records(book.fxRatesFile)) {
        const rate = Number(r.rate_to_reporting);
        if (rate > 0) rates.set(`${r.currency?.trim().toUpperCase()} ${r.month?.trim()}`, rate);
      }
    }
    const inReporting = (amount: number, currency: string | null, bookedOn: string): number | null => {
      const code = (currency ?? '').trim().toUpperCase() || config.currency;
      if (code === config.currency) return amount;
      const rate = /^[A-Z]{3}$/.test(code) ? rates.get(`${code} ${bookedOn.slice(0, 7)}`) : undefined;
      return rate === undefined ? null : Math.round(amount * rate * 100) / 100;
    };
    const lines = new Map<string, { bookedOn: string; amount: number }[]>();
    const seen = new Set<string>();
    for (const l of records(book.files.revenue_lines)) {
      const key = JSON.stringify(l);
      const duplicate = seen.has(key);
      seen.add(key);
      const id = l.account_id ?? '';
      if (duplicate || !accounts.has(id) || !(l.invoice_id ?? '').trim() || !isDate(l.booked_on)) continue;
      if (!/^\s*-?\d+(\.\d+)?\s*$/.test(l.amount ?? '') || l.booked_on > AS_OF) continue;
      const amount = inReporting(Number(l.amount), l.currency ?? null, l.booked_on);
      if (amount === null) continue;
      lines.set(id, [...(lines.get(id) ?? []), { bookedOn: l.booked_on, amount }]);
    }
    const segmentAt = (id: string, day: string) => {
      const from = monthsBefore(day, 12);
      const t12m = (lines.get(id) ?? [])
        .filter((l) => l.bookedOn > from && l.bookedOn <= day)
        .reduce((s, l) => s + l.amount, 0);
      return t12m > 100_000 ? 'High' : t12m >= 10_000 ? 'Medium' : t12m > 0 ? 'Low' : 'Inactive';
    };
    const windowStart = monthStartBefore(PERIOD_END, 11);
    const tally = new Map<string, { sent: number; responded: number; converted: number }>();
    const answered = new Set<string>();
    for (const c of records(book.engagementFiles.campaign_responses as string)) {
      const flags = [c.responded, c.converted];
      const sentOn = c.sent_on ?? '';
      const valid =
        accounts.has(c.account_id ?? '') &&
        isDate(sentOn) &&
        flags.every((f) => f === 'true' || f === 'false') &&
        !(c.converted === 'true' && c.responded === 'false');
      if (!valid || !(sentOn >= windowStart && sentOn <= PERIOD_END)) continue;
      // an account answers a campaign once (the generator's one duplicate is an identical copy)
      if (answered.has(`${c.campaign_id}|${c.account_id}`)) continue;
      answered.add(`${c.campaign_id}|${c.account_id}`);
      const key = `${c.campaign_type}|${segmentAt(c.account_id as string, sentOn)}`;
      const t = tally.get(key) ?? { sent: 0, responded: 0, converted: 0 };
      t.sent += 1;
      if (c.responded === 'true') t.responded += 1;
      if (c.converted === 'true') t.converted += 1;
      tally.set(key, t);
    }
    const { rows } = await querySnapshots(
      runtime.storeDir,
      "select campaign_type, segment, sent, responded, converted, response_rate from campaign_response_rates where cadence = 'quarterly' and period = '2026-Q3' and grouping = 'campaign_type' and segment is not null",
    );
    const found = new Map(
      rows.map((r) => [
        `${r.campaign_type}|${r.segment}`,
        { sent: Number(r.sent), responded: Number(r.responded), converted: Number(r.converted) },
      ]),
    );
    expect(found).toEqual(tally);
    for (const r of rows) expect(r.response_rate).toBeCloseTo(Number(r.responded) / Number(r.sent), 12);
  });

  it('shows every piece in the mails: campaign verdicts, engagement, overrides, expired overrides to owners', async () => {
    const leadership = await mailText(runtime.outboxDir, 'quarterly-2026-Q3-leadership');
    expect(leadership).toContain('Campaign response by segment');
    for (const type of ['premium', 'targeted', 'automated']) {
      expect(leadership).toMatch(
        new RegExp(`^- ${type}(: no bracket had 30 sends| works best for (High|Medium|Low): )`, 'm'),
      );
    }
    // Three campaign types do not fit 78 columns beside the segment: the table is split, each part keeping it.
    expect(leadership).toMatch(/Segment at the send\s+automated\s+premium\n/);
    expect(leadership).toMatch(/Segment at the send\s+targeted\n/);
    expect(leadership).toMatch(/\nHigh +(\d+\.\d%|—)[^\n]*\nMedium +[^\n]*\nLow +[^\n]*\nInactive +/);
    expect(leadership).toContain('Largest accounts with falling engagement');
    expect(leadership).toContain('Segment overrides by the sales team');
    // Sentences are wrapped at 78 columns: look for them with the wrapping undone.
    const flat = leadership.replace(/\s+/g, ' ');
    expect(flat).toMatch(/row \d+ \(account 'ACC-UNKNOWN'\): account is not in the accounts table/);
    expect(flat).toMatch(/segment 'Platinum' is not configured: use one of High, Medium, Low, Inactive/);
    const quality = (
      await simpleParser(readFileSync(path.join(runtime.outboxDir, 'quarterly-2026-Q3-leadership.eml')))
    ).attachments.find((a) => a.filename === 'data-quality-2026-Q3.csv');
    expect(quality?.content.toString('utf8')).toMatch(/2026-Q3,activities,unparsable_occurred_on,1,,/);
    expect(flat).toContain('and engagement (from the activities)');
    // every expired override is listed to its account's owner, and only to them
    const expired = new Set<string>();
    const seenIds = new Set<string>();
    for (const o of records(book.engagementFiles.segment_overrides as string)) {
      const id = o.account_id?.trim() ?? '';
      const valid = accounts.has(id) && ['High', 'Medium', 'Low', 'Inactive'].includes(o.segment ?? '');
      if (!valid || !o.reason || !isDate(o.expires_on) || seenIds.has(id)) continue;
      seenIds.add(id);
      if (o.expires_on < PERIOD_END) expired.add(id);
    }
    expect(expired.size).toBe(2);
    const listed = new Set<string>();
    for (const file of readdirSync(runtime.outboxDir).filter((f) =>
      /^quarterly-2026-Q3-owner-.*\.eml$/.test(f),
    )) {
      const mail = await simpleParser(readFileSync(path.join(runtime.outboxDir, file)));
      const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address?.toLowerCase();
      for (const m of (mail.text ?? '')
        .replace(/\s+/g, ' ')
        .matchAll(/Expired on [^:]+: .*?\((ACC-\d+)\) was pinned to/g)) {
        const id = m[1] as string;
        expect(accounts.get(id)?.trim().toLowerCase(), `${id} listed to ${to}`).toBe(to);
        listed.add(id);
      }
    }
    expect(listed).toEqual(expired);
  });

  it('says "not available: needs <table>" for each absent input and never shows 0 for it', async () => {
    const bare = await openLocalRuntime({
      inputs: discoverInputs(
        path.join(root, 'data'),
        INPUT_TABLES,
        OPTIONAL_INPUT_TABLES.filter(
          (t) => !['activities', 'segment_overrides', 'campaign_responses'].includes(t),
        ),
      ),
      outDir: path.join(root, 'bare'),
      logger: silentLogger,
      clock,
    });
    try {
      const summary = await runPeriod(bare.deps, config, { periodId: '2026-Q3', cadence: 'quarterly' });
      expect(
        summary.quarantine.counts.filter((c) => c.table !== 'revenue_lines' && c.table !== 'accounts'),
      ).toEqual([]);
      const text = await mailText(bare.outboxDir, 'quarterly-2026-Q3-leadership');
      expect(text).toContain('Engagement: not available: needs activities.');
      expect(text).toContain('Segment overrides: not available: needs segment_overrides.');
      expect(text).toContain('Campaign response: not available: needs campaign_responses.');
      const { rows } = await querySnapshots(
        bare.storeDir,
        "select count(*) as n, count(engagement_level) as levels from account_segments where period = '2026-Q3'",
      );
      expect(Number(rows[0]?.levels)).toBe(0);
      expect(readdirSync(path.join(bare.storeDir, 'snapshots'))).not.toContain('campaign_response_rates');
    } finally {
      await bare.close();
    }
  });
});
