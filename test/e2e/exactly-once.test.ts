import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleBookResult, writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import type { MailOutcome } from '../../lambdas/jobs/run-period.ts';
import type { ExactlyOnceRunOptions } from './exactly-once-run.ts';
import { parseCsv, readIndependentBook } from './independent-book.ts';

// Exactly-once delivery across processes: a run is killed with SIGKILL right after one of its sends (no
// cleanup, no ledger update) and the period is run again; a send that fails is retried by the next run;
// `revseg run --resend` sends a deliberate second copy. Each run is its own process, like a retried job.

const REPO = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(import.meta.dirname, 'exactly-once-run.ts');
const AS_OF = '2026-11-02';
const LEADERSHIP = 'leadership@example.com';

interface ChildRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly mails: MailOutcome[];
  readonly stderr: string;
}

/** Mail ids in the send log, with how often each was delivered. */
function deliveries(sendLog: string, periodId: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(sendLog)) return counts;
  for (const line of readFileSync(sendLog, 'utf8').split('\n')) {
    const id = line.split(' ')[0];
    if (id?.includes(`-${periodId}-`)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

const normalized = (email: string | null) => email?.trim().toLowerCase() ?? '';

// Each test starts several runs, each its own process: on a loaded machine they take minutes, not seconds.
describe('each recipient gets a period’s mail exactly once', { timeout: 300_000 }, () => {
  let root: string;
  let dataDir: string;
  let outDir: string;
  let sendLog: string;
  let book: SampleBookResult;
  /** The valid owner addresses of the book (what the job must mail), besides leadership. */
  let owners: Set<string>;

  const run = (periodId: string, extra: Partial<ExactlyOnceRunOptions> = {}): ChildRun => {
    const options: ExactlyOnceRunOptions = {
      dataDir,
      outDir,
      asOf: AS_OF,
      periodId,
      cadence: 'monthly',
      sendLog,
      ...extra,
    };
    const child = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(options)], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return {
      status: child.status,
      signal: child.signal,
      mails: child.status === 0 ? (JSON.parse(child.stdout) as MailOutcome[]) : [],
      stderr: child.stderr,
    };
  };

  const expectedIds = (periodId: string, mails: readonly MailOutcome[]) => {
    const recipients = new Set(mails.flatMap((m) => m.to.map((t) => t.toLowerCase())));
    expect(recipients).toEqual(new Set([LEADERSHIP, ...owners]));
    return new Set(mails.map((m) => m.mailId).filter((id) => id.includes(`-${periodId}-`)));
  };

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'revseg-once-'));
    dataDir = path.join(root, 'data');
    outDir = path.join(root, 'out');
    sendLog = path.join(root, 'sends.log');
    book = await writeSampleBook({ outDir: dataDir, lines: 3_000, seed: 42, owners: 6, asOf: AS_OF });
    const independent = readIndependentBook(book.files, AS_OF);
    owners = new Set(
      [...independent.accounts.values()]
        .map((a) => normalized(a.ownerEmail))
        .filter((e) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(e)),
    );
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a run killed right after its third send, run again, leaves everyone with exactly one mail', () => {
    const killed = run('2026-10', { killAfterSends: 3 });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(deliveries(sendLog, '2026-10').size).toBe(3);

    const again = run('2026-10');
    expect(again.status, again.stderr).toBe(0);
    const ids = expectedIds('2026-10', again.mails);
    expect(ids.size).toBe(owners.size + 1);
    const sends = deliveries(sendLog, '2026-10');
    expect([...sends.keys()].sort()).toEqual([...ids].sort());
    for (const [id, count] of sends) expect(count, id).toBe(1);
    for (const id of ids) expect(existsSync(path.join(outDir, 'outbox', `${id}.eml`)), id).toBe(true);

    // The first two were marked sent; the third was delivered but the kill came before its ledger mark, so
    // it is in doubt and not sent again rather than risking a duplicate; the rest went out now.
    const byStatus = (status: MailOutcome['status']) => again.mails.filter((m) => m.status === status);
    expect(byStatus('already-sent')).toHaveLength(2);
    expect(byStatus('in-doubt')).toHaveLength(1);
    expect(byStatus('sent')).toHaveLength(ids.size - 3);

    // The in-doubt mail says what to do; --resend-to sends that one again and nothing else.
    const [doubt] = byStatus('in-doubt');
    expect(doubt?.detail).toContain('--resend-to');
    const recipient = doubt?.to[0] ?? '';
    const resent = run('2026-10', { resendTo: [recipient.toUpperCase()] });
    expect(resent.status, resent.stderr).toBe(0);
    expect(resent.mails.filter((m) => m.status === 'sent').map((m) => m.to)).toEqual([[recipient]]);
    expect(resent.mails.filter((m) => m.status === 'already-sent')).toHaveLength(ids.size - 1);
    expect(deliveries(sendLog, '2026-10').get(doubt?.mailId ?? '')).toBe(2);
  });

  it('retries a failed send on the next run, and only that one', () => {
    const refused = [...owners].sort()[0] ?? '';
    const first = run('2026-09', { failRecipient: refused });
    expect(first.status, first.stderr).toBe(0);
    const failed = first.mails.filter((m) => m.status === 'failed');
    expect(failed.map((m) => m.to)).toEqual([[refused]]);
    expect(failed[0]?.detail).toContain('refused by the test');
    expect(first.mails.filter((m) => m.status === 'sent')).toHaveLength(owners.size);

    const retry = run('2026-09');
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.mails.filter((m) => m.status === 'sent').map((m) => m.to)).toEqual([[refused]]);
    expect(retry.mails.filter((m) => m.status === 'already-sent')).toHaveLength(owners.size);
    const sends = deliveries(sendLog, '2026-09');
    expect([...sends.keys()].sort()).toEqual([...expectedIds('2026-09', retry.mails)].sort());
    for (const [id, count] of sends) expect(count, id).toBe(1);
  });

  it('sends a deliberate second copy of every mail with `revseg run --resend`', () => {
    const outbox = path.join(outDir, 'outbox');
    const mtimes = () =>
      new Map(
        readdirSync(outbox)
          .filter((f) => f.startsWith('monthly-2026-09-') && f.endsWith('.eml'))
          .map((f) => [f, statSync(path.join(outbox, f)).mtimeMs]),
      );
    const cli = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(REPO, 'bin', 'revseg.ts'),
          'run',
          '--data',
          dataDir,
          '--out',
          outDir,
          '--as-of',
          AS_OF,
          '--period',
          '2026-09',
          ...extra,
        ],
        { cwd: REPO, encoding: 'utf8', timeout: 120_000 },
      );
    const before = mtimes();
    expect(before.size).toBe(owners.size + 1);

    const resent = cli('--resend');
    expect(resent.status, resent.stderr).toBe(0);
    expect(resent.stdout).toMatch(new RegExp(`mail\\s+${owners.size + 1} sent`));
    for (const [file, mtime] of mtimes()) expect(mtime, file).toBeGreaterThan(before.get(file) ?? Infinity);
  });

  it('refuses and reports recipients outside the allowed domains, and mails them nothing', () => {
    const run8 = run('2026-08', {
      mail: {
        from: 'revseg@corp.example',
        leadership: ['cro@corp.example'],
        allowedDomains: ['corp.example'],
      },
    });
    expect(run8.status, run8.stderr).toBe(0);
    expect(run8.mails.filter((m) => m.status === 'sent').map((m) => m.to)).toEqual([['cro@corp.example']]);
    const refused = run8.mails.filter((m) => m.status === 'refused');
    expect(new Set(refused.map((m) => m.to[0]))).toEqual(owners);
    for (const m of refused) expect(m.detail).toContain('is not in mail.allowedDomains (corp.example)');
    expect([...deliveries(sendLog, '2026-08').keys()]).toEqual(['monthly-2026-08-leadership']);
    // Nothing was claimed for them, so once the config allows their domain they get their mail.
    const ledger = path.join(outDir, 'store', 'mail-ledger', 'cadence=monthly', 'period=2026-08');
    expect(readdirSync(ledger, { recursive: true }).sort()).toEqual([
      'leadership',
      'leadership/cro@corp.example.json',
    ]);
  });

  it('puts only the owner’s own accounts in each owner mail, for every owner of the book', async () => {
    const independent = readIndependentBook(book.files, AS_OF);
    const ownerOf = (id: string) => normalized(independent.accounts.get(id)?.ownerEmail ?? null);
    const outbox = path.join(outDir, 'outbox');
    const ownerMails = readdirSync(outbox).filter((f) => f.includes('-owner-') && f.endsWith('.eml'));
    expect(ownerMails).toHaveLength(owners.size * 2);
    let checked = 0;
    for (const file of ownerMails) {
      const parsed = await simpleParser(readFileSync(path.join(outbox, file)));
      const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((v) => v.address) : [];
      expect(to, file).toHaveLength(1);
      const owner = normalized(to[0] ?? null);
      expect(owners.has(owner), file).toBe(true);
      const csv =
        parsed.attachments.find((a) => a.filename?.endsWith('.csv'))?.content.toString('utf8') ?? '';
      const [header, ...rows] = parseCsv(csv);
      const idColumn = header?.indexOf('Account ID') ?? -1;
      const listed = rows.filter((r) => r.length > 1).map((r) => String(r[idColumn]));
      const owned = [...independent.accounts.values()].filter((a) => normalized(a.ownerEmail) === owner);
      expect(new Set(listed), file).toEqual(new Set(owned.map((a) => a.accountId)));
      const html = readFileSync(path.join(outbox, file.replace(/\.eml$/, '.html')), 'utf8');
      for (const text of [parsed.text ?? '', html, String(parsed.html)]) {
        for (const id of new Set(text.match(/ACC-\d+/g) ?? [])) {
          expect(ownerOf(id), `${file} mentions ${id}`).toBe(owner);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
