import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverInputs,
  type LocalRuntime,
  openLocalRuntime,
} from '../../lambdas/adapters/local/local-runtime.ts';
import type { SampleBookResult } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { type RunSummary, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import { type GeneratedBook, openGeneratedBook } from './generated-book.ts';
import { parseCsv, readIndependentBook, t12m } from './independent-book.ts';

const AS_OF = '2026-11-02';
const clock = fixedClock(`${AS_OF}T09:00:00Z`);
const config = parseRunConfig({ mail: { leadership: ['cro@example.com'] } });

function filesUnder(dir: string): Map<string, { bytes: string; mtime: number }> {
  const out = new Map<string, { bytes: string; mtime: number }>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        out.set(path.relative(dir, full), {
          bytes: readFileSync(full).toString('base64'),
          mtime: statSync(full).mtimeMs,
        });
    }
  };
  walk(dir);
  return out;
}

describe('local end-to-end run of a generated book', () => {
  let book: SampleBookResult;
  let runtime: LocalRuntime;
  let monthly: RunSummary;
  let quarterly: RunSummary;

  let generated: GeneratedBook;

  beforeAll(async () => {
    generated = await openGeneratedBook('e2e', { lines: 6_000, seed: 11, asOf: AS_OF });
    ({ book, runtime } = generated);
    monthly = await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
    quarterly = await runPeriod(runtime.deps, config, { periodId: '2026-Q3', cadence: 'quarterly' });
  });

  afterAll(() => generated?.close());

  it('quarantines exactly the planted problems and counts them', () => {
    const found: Record<string, number> = {};
    for (const c of monthly.quarantine.counts) found[c.reason] = (found[c.reason] ?? 0) + c.rows;
    const planted = Object.fromEntries(Object.entries(book.planted).filter(([, n]) => n > 0));
    expect(found).toEqual(planted);
    const independent = readIndependentBook(book.files, AS_OF);
    expect(monthly.quarantine.revenueLinesChecked).toBe(independent.checked);
    expect(monthly.quarantine.revenueLinesQuarantined).toBe(independent.quarantined);
  });

  it('writes account revenue and segment KPIs that match an independent computation', async () => {
    const independent = readIndependentBook(book.files, AS_OF);
    const store = runtime.storeDir;
    const { rows } = await querySnapshots(
      store,
      "select account_id, revenue_t12m, revenue_prior_t12m, segment from account_segments where cadence = 'monthly' and period = '2026-10'",
    );
    expect(rows).toHaveLength(independent.accounts.size);
    const bySegment = new Map<string, number>();
    let prior = 0;
    let retained = 0;
    for (const row of rows) {
      const account = independent.accounts.get(String(row.account_id));
      expect(account, String(row.account_id)).toBeDefined();
      if (!account) continue;
      const current = t12m(account, '2026-10');
      const before = t12m(account, '2026-10', 12);
      expect(row.revenue_t12m).toBeCloseTo(current, 2);
      expect(row.revenue_prior_t12m).toBeCloseTo(before, 2);
      const expected =
        current > 100_000 ? 'High' : current >= 10_000 ? 'Medium' : current > 0 ? 'Low' : 'Inactive';
      expect(row.segment).toBe(expected);
      bySegment.set(expected, (bySegment.get(expected) ?? 0) + current);
      if (before > 0) {
        prior += before;
        retained += current;
      }
    }
    const kpis = await querySnapshots(
      store,
      "select segment, revenue_t12m from segment_kpis where cadence = 'monthly' and period = '2026-10'",
    );
    for (const k of kpis.rows) expect(k.revenue_t12m).toBeCloseTo(bySegment.get(String(k.segment)) ?? 0, 2);
    const portfolio = await querySnapshots(
      store,
      "select retention_nrr, quarantined_lines from portfolio_kpis where period = '2026-10'",
    );
    expect(portfolio.rows[0]?.retention_nrr).toBeCloseTo(retained / prior, 9);
    expect(portfolio.rows[0]?.quarantined_lines).toBe(monthly.quarantine.revenueLinesQuarantined);
    expect(bySegment.get('High') ?? 0).toBeGreaterThan(0);
  });

  it('keeps monthly and quarterly partitions apart and records every quarantined row', async () => {
    const { rows } = await querySnapshots(
      runtime.storeDir,
      'select cadence, period, count(*) as n from quarantine group by all order by cadence',
    );
    expect(rows).toEqual([
      {
        cadence: 'monthly',
        period: '2026-10',
        n: monthly.quarantine.counts.reduce((sum, c) => sum + c.rows, 0),
      },
      {
        cadence: 'quarterly',
        period: '2026-Q3',
        n: quarterly.quarantine.counts.reduce((sum, c) => sum + c.rows, 0),
      },
    ]);
  });

  it('mails leadership and each owner only about their own accounts', async () => {
    const independent = readIndependentBook(book.files, AS_OF);
    const sent = monthly.mails.filter((m) => m.status === 'sent');
    expect(sent.find((m) => m.mailId === 'monthly-2026-10-leadership')?.to).toEqual(['cro@example.com']);
    const owners = sent.filter((m) => m.mailId.includes('-owner-'));
    const validOwners = new Set(
      [...independent.accounts.values()]
        .map((a) => a.ownerEmail?.trim().toLowerCase())
        .filter((e): e is string => !!e && /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(e)),
    );
    expect(owners.length).toBe(validOwners.size);
    for (const mail of owners) {
      const parsed = await simpleParser(readFileSync(mail.location ?? ''));
      const owner = mail.to[0] ?? '';
      const csv = parsed.attachments.find((a) => a.filename?.endsWith('.csv'));
      expect(csv, mail.mailId).toBeDefined();
      const [header, ...lines] = parseCsv(csv?.content.toString('utf8') ?? '');
      const idColumn = header?.indexOf('Account ID') ?? -1;
      expect(idColumn).toBeGreaterThanOrEqual(0);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines.filter((l) => l.length > 1)) {
        expect(independent.accounts.get(String(line[idColumn]))?.ownerEmail?.trim().toLowerCase()).toBe(
          owner,
        );
      }
    }
    const leadership = await simpleParser(
      readFileSync(path.join(runtime.outboxDir, 'monthly-2026-10-leadership.eml')),
    );
    // Every quarantine reason travels in the data-quality CSV; the body names the largest in words.
    const quality = leadership.attachments.find((a) => a.filename === 'data-quality-2026-10.csv');
    expect(quality?.content.toString('utf8')).toContain(',unknown_account,');
  });

  it('reruns a period without touching other partitions or mailing anyone twice', async () => {
    const before = filesUnder(runtime.storeDir);
    const outboxBefore = filesUnder(runtime.outboxDir);
    const again = await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
    expect(again.mails.filter((m) => m.status === 'sent')).toEqual([]);
    expect(new Set(again.mails.map((m) => m.status))).toEqual(new Set(['already-sent']));
    const after = filesUnder(runtime.storeDir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, state] of before) {
      if (file.includes('cadence=quarterly')) expect(after.get(file), file).toEqual(state);
      else if (file.includes('period=2026-10') && !file.startsWith('mail-ledger'))
        expect(after.get(file)?.bytes, file).toBe(state.bytes);
    }
    expect(filesUnder(runtime.outboxDir)).toEqual(outboxBefore);
  });
});

describe('a run that cannot trust its input stops before writing', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'revseg-bad-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const accounts =
    'account_id,account_name,owner_email,owner_name,industry,country\nA1,Acme,jo@example.com,Jo,Software,US\n';

  async function attempt(name: string, files: Record<string, string>) {
    const dir = path.join(root, name);
    const data = path.join(dir, 'data');
    for (const [file, text] of Object.entries(files)) {
      const target = path.join(data, file);
      mkdirSync(data, { recursive: true });
      writeFileSync(target, text);
    }
    const runtime = await openLocalRuntime({
      inputs: discoverInputs(data),
      outDir: path.join(dir, 'out'),
      logger: silentLogger,
      clock,
    });
    try {
      await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
      return { error: undefined, out: path.join(dir, 'out') };
    } catch (error) {
      return { error: error as Error, out: path.join(dir, 'out') };
    } finally {
      await runtime.close();
    }
  }

  const exists = (p: string) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  };

  it('names the file and the missing column', async () => {
    const { error, out } = await attempt('missing-column', {
      'accounts.csv': accounts.replace('owner_email,', '').replace('jo@example.com,', ''),
      'revenue_lines.csv': 'account_id,invoice_id,booked_on,amount,currency\nA1,I1,2026-10-03,100.00,USD\n',
    });
    expect(error).toBeInstanceOf(InputContractError);
    expect(error?.message).toMatch(/accounts\.csv/);
    expect(error?.message).toMatch(/owner_email/);
    expect(exists(path.join(out, 'store'))).toBe(false);
    expect(exists(path.join(out, 'outbox'))).toBe(false);
  });

  it('stops when too many lines are bad, listing the reasons', async () => {
    const { error, out } = await attempt('too-many-bad', {
      'accounts.csv': accounts,
      'revenue_lines.csv':
        'account_id,invoice_id,booked_on,amount,currency\nA1,I1,2026-10-03,100.00,USD\nA1,I2,yesterday,50,USD\nZZ,I3,2026-10-04,5,USD\n',
    });
    expect(error).toBeInstanceOf(InputContractError);
    expect(error?.message).toMatch(/2 of 3 revenue lines \(66\.7%\) failed validation/);
    expect(error?.message).toMatch(/unparsable_date: 1/);
    expect(error?.message).toMatch(/unknown_account: 1/);
    expect(exists(path.join(out, 'store'))).toBe(false);
    expect(exists(path.join(out, 'outbox'))).toBe(false);
  });

  it('nets credit notes against revenue', async () => {
    const { error, out } = await attempt('credit-notes', {
      'accounts.csv': accounts,
      'revenue_lines.csv':
        'account_id,invoice_id,booked_on,amount,currency\nA1,I1,2026-03-03,15000.00,USD\nA1,C1,2026-04-01,-6000.00,USD\n',
    });
    expect(error).toBeUndefined();
    const { rows } = await querySnapshots(
      path.join(out, 'store'),
      'select revenue_t12m, segment from account_segments',
    );
    expect(rows).toEqual([{ revenue_t12m: 9000, segment: 'Low' }]);
  });
});
