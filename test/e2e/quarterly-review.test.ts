import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lambdas/adapters/local/local-runtime.ts';
import type { SampleBookResult } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig, type RunConfig } from '../../lambdas/core/config.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import { type RunSummary, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { type GeneratedBook, openGeneratedBook } from './generated-book.ts';
import { type IndependentAccount, parseCsv, readIndependentBook, t12m } from './independent-book.ts';

const AS_OF = '2026-11-02';
const QUARTERS = [
  { id: '2025-Q4', label: 'Q4 2025', lastMonth: '2025-12' },
  { id: '2026-Q1', label: 'Q1 2026', lastMonth: '2026-03' },
  { id: '2026-Q2', label: 'Q2 2026', lastMonth: '2026-06' },
  { id: '2026-Q3', label: 'Q3 2026', lastMonth: '2026-09' },
] as const;
const fmt = createFormatter('en-US', 'USD');

/** Cells of a plain-text table row (columns are separated by at least two spaces). */
const cells = (line: string): string[] => line.trim().split(/\s{2,}/);

const segmentOf = (revenue: number): string =>
  revenue > 100_000 ? 'High' : revenue >= 10_000 ? 'Medium' : revenue > 0 ? 'Low' : 'Inactive';

describe('quarterly review over four quarters of a generated book', () => {
  let book: SampleBookResult;
  let runtime: LocalRuntime;
  let config: RunConfig;
  let busiest: string;
  let independent: ReturnType<typeof readIndependentBook>;
  const runs: RunSummary[] = [];
  let generated: GeneratedBook;

  beforeAll(async () => {
    generated = await openGeneratedBook('review', { lines: 6_000, seed: 6, owners: 3, asOf: AS_OF });
    ({ book, runtime } = generated);
    independent = readIndependentBook(book.files, AS_OF);
    const perOwner = new Map<string, number>();
    for (const a of independent.accounts.values()) {
      const email = a.ownerEmail?.trim().toLowerCase() ?? '';
      if (/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(email)) perOwner.set(email, (perOwner.get(email) ?? 0) + 1);
    }
    busiest = [...perOwner.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
    // One owner with a single hour a month is overloaded whatever their accounts.
    config = parseRunConfig({
      mail: { leadership: ['cro@example.com'] },
      capacity: { owners: [{ email: busiest, name: 'Busy Owner', hoursPerMonth: 1 }] },
    });
    for (const q of QUARTERS) {
      runs.push(
        await runPeriod(runtime.deps, config, {
          periodId: q.id,
          cadence: 'quarterly',
          skipMail: q.id !== '2026-Q3',
        }),
      );
    }
  }, 240_000);

  afterAll(() => generated?.close());

  async function mailText(mailId: string): Promise<string> {
    const parsed = await simpleParser(readFileSync(path.join(runtime.outboxDir, `${mailId}.eml`)));
    return parsed.text ?? '';
  }

  it('shows four quarters of segment performance that match an independent computation', async () => {
    const text = await mailText('quarterly-2026-Q3-leadership');
    expect(text).toContain('Quarterly review: segment performance over the last four quarters');
    expect(text).not.toContain('No complete quarterly snapshot');
    const lines = text.split('\n').map(cells);
    for (const q of QUARTERS) {
      const bySegment = new Map<string, { accounts: number; revenue: number }>();
      for (const a of independent.accounts.values()) {
        const revenue = t12m(a as IndependentAccount, q.lastMonth);
        const s = bySegment.get(segmentOf(revenue)) ?? { accounts: 0, revenue: 0 };
        s.accounts += 1;
        s.revenue += revenue;
        bySegment.set(segmentOf(revenue), s);
      }
      for (const segment of ['High', 'Medium', 'Low']) {
        const row = lines.find((c) => c[0] === segment && c[1] === q.label);
        expect(row, `${segment} ${q.label}`).toBeDefined();
        const expected = bySegment.get(segment) ?? { accounts: 0, revenue: 0 };
        expect(row?.[2], `${segment} ${q.label} accounts`).toBe(fmt.number(expected.accounts));
        expect(row?.[3], `${segment} ${q.label} revenue`).toBe(fmt.money(expected.revenue));
      }
    }
    expect(text).toContain('Migration over the quarter');
    expect(text).toContain('What changed most over the four quarters');
    expect(text.replace(/\s+/g, ' ')).toMatch(
      /T12M revenue moved most in (High|Medium|Low|Inactive): .* from Q4 2025 to Q3 2026/,
    );
  });

  it('describes the clusters in plain words and writes them to the snapshot', async () => {
    const text = await mailText('quarterly-2026-Q3-leadership');
    expect(text).toContain('Cluster profiles');
    const store = runtime.storeDir;
    const profiles = await querySnapshots(
      store,
      "select cluster_id, cluster_label, accounts, revenue_share, k from segment_clusters where cadence = 'quarterly' and period = '2026-Q3' order by cluster_id",
    );
    expect(profiles.rows.length).toBe(Number(profiles.rows[0]?.k));
    expect(profiles.rows.length).toBeGreaterThanOrEqual(config.clustering.kMin);
    for (const p of profiles.rows) expect(text).toContain(String(p.cluster_label));
    const accounts = await querySnapshots(
      store,
      "select account_id, revenue_t12m, cluster_id, cluster_label from account_segments where cadence = 'quarterly' and period = '2026-Q3'",
    );
    const active = accounts.rows.filter((r) => Number(r.revenue_t12m) > 0);
    expect(profiles.rows.reduce((s, p) => s + Number(p.accounts), 0)).toBe(active.length);
    expect(profiles.rows.reduce((s, p) => s + Number(p.revenue_share), 0)).toBeCloseTo(1, 9);
    const labelOf = new Map(profiles.rows.map((p) => [p.cluster_id, p.cluster_label]));
    for (const row of accounts.rows) {
      if (Number(row.revenue_t12m) > 0) expect(row.cluster_label).toBe(labelOf.get(row.cluster_id));
      else expect([row.cluster_id, row.cluster_label]).toEqual([null, null]);
    }
    const perQuarter = await querySnapshots(
      store,
      'select period, count(*) as n from segment_clusters group by period order by period',
    );
    expect(perQuarter.rows.map((r) => r.period)).toEqual(QUARTERS.map((q) => q.id));
  });

  it('shows bracket advice beside the configured thresholds, with what would move', async () => {
    const text = await mailText('quarterly-2026-Q3-leadership');
    const start = text.indexOf('Bracket advice');
    expect(start).toBeGreaterThan(0);
    const part = text.slice(start, text.indexOf('What changed most over the four quarters'));
    expect(part).toContain('Advice only');
    const high = part
      .split('\n')
      .map(cells)
      .find((c) => c[0] === 'High');
    expect(high?.[1]).toBe('> $100,000');
    expect(high?.[2]).toMatch(/^≥ \$[\d,]+$/);
    const medium = part
      .split('\n')
      .map(cells)
      .find((c) => c[0] === 'Medium');
    expect(medium?.[1]).toBe('≥ $10,000');
    const q3 = [...independent.accounts.values()].map((a) => t12m(a, '2026-09'));
    expect(high?.[3]).toBe(fmt.number(q3.filter((r) => r > 100_000).length));
    expect(part).toMatch(/Adopting the advice would move/);
  });

  it('summarizes the resource plan and flags the overloaded owner', async () => {
    const text = await mailText('quarterly-2026-Q3-leadership');
    expect(text).toContain('Resource plan');
    expect(text.replace(/\s+/g, ' ')).toMatch(
      new RegExp(`Overloaded: Busy Owner \\(${busiest.replace(/[.]/g, '\\.')}\\) at`),
    );
    // The table may be split into parts to fit 78 columns, each part starting with the owner: join them.
    const parts = text
      .split('\n')
      .map(cells)
      .filter((c) => c[0] === `Busy Owner (${busiest})`);
    const row = parts.length === 0 ? undefined : [parts[0]?.[0] ?? '', ...parts.flatMap((c) => c.slice(1))];
    expect(row?.[3]).toBe('1.0 h');
    expect(row?.at(-1)).toBe('OVERLOADED');
  });

  it('opens each owner mail with the to-do list and names only that owner’s accounts', async () => {
    const q3 = runs[3];
    const owners = q3?.mails.filter((m) => m.mailId.includes('-owner-') && m.status === 'sent') ?? [];
    expect(owners.length).toBeGreaterThan(0);
    for (const mail of owners) {
      const owner = mail.to[0] ?? '';
      const parsed = await simpleParser(readFileSync(mail.location ?? ''));
      const text = parsed.text ?? '';
      const todo = text.indexOf('Your to-do list');
      expect(todo, mail.mailId).toBeGreaterThan(0);
      const before = text.slice(0, todo);
      expect(before).not.toMatch(/ACC-\d+/);
      expect(before).not.toContain('What changed');
      expect(todo).toBeLessThan(text.indexOf('What changed'));
      for (const section of ['Reviews due', 'At-risk accounts', 'Growth opportunities']) {
        expect(text.indexOf(section), `${mail.mailId} ${section}`).toBeGreaterThan(todo);
      }
      for (const id of new Set(text.match(/ACC-\d+/g) ?? [])) {
        expect(independent.accounts.get(id)?.ownerEmail?.trim().toLowerCase(), `${mail.mailId} ${id}`).toBe(
          owner,
        );
      }
      const csv = parsed.attachments.find((a) => a.filename?.endsWith('.csv'));
      const [header, ...rows] = parseCsv(csv?.content.toString('utf8') ?? '');
      const idColumn = header?.indexOf('Account ID') ?? -1;
      for (const r of rows.filter((l) => l.length > 1)) {
        expect(independent.accounts.get(String(r[idColumn]))?.ownerEmail?.trim().toLowerCase()).toBe(owner);
      }
      // The playbook's pitch for the segment travels with each item.
      const todoPart = text.slice(todo, text.indexOf('What changed'));
      if (todoPart.includes('Segment: High')) {
        expect(todoPart).toMatch(/personalized and consultative|custom implementation/i);
      }
    }
  });

  it('counts the next review from last_reviewed_on when the accounts table has one', async () => {
    const [header, ...rows] = parseCsv(readFileSync(book.files.accounts, 'utf8'));
    const column = (name: string) => header?.indexOf(name) ?? -1;
    const lastReview = new Map(
      rows
        .filter((r) => r.length > 1 && r[column('last_reviewed_on')])
        .map((r) => [String(r[column('account_id')]), String(r[column('last_reviewed_on')])]),
    );
    expect(lastReview.size).toBeGreaterThan(0);
    const { rows: snapshot } = await querySnapshots(
      runtime.storeDir,
      "select account_id, segment, owner_email, cast(last_reviewed_on as varchar) as last_reviewed_on from account_segments where period = '2026-Q3'",
    );
    for (const r of snapshot) {
      expect(r.last_reviewed_on ?? null, String(r.account_id)).toBe(
        lastReview.get(String(r.account_id)) ?? null,
      );
    }
    // A High account is reviewed monthly: with a last review before September it is due in Q3, counted from it
    // (the anniversary is the fallback only without one), and its owner's to-do list says so.
    const due = snapshot.filter(
      (r) => r.segment === 'High' && r.owner_email && String(r.last_reviewed_on ?? '9999') < '2026-09-01',
    );
    expect(due.length).toBeGreaterThan(0);
    for (const r of due) {
      const mail = runs[3]?.mails.find((m) => m.to[0] === r.owner_email && m.mailId.includes('-owner-'));
      const parsed = await simpleParser(readFileSync(mail?.location ?? ''));
      expect(parsed.text?.replace(/\s+/g, ' '), String(r.account_id)).toContain(
        `last review ${fmt.date(String(r.last_reviewed_on))}`,
      );
    }
  });
});
