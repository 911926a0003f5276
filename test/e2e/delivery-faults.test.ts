import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { querySnapshots } from '../../lambdas/adapters/local/snapshot-query.ts';
import type { MailOutcome } from '../../lambdas/jobs/run-period.ts';
import { RunLease } from '../../lambdas/jobs/steps/run-lease.ts';
import type { ExactlyOnceRunOptions } from './exactly-once-run.ts';

// Faults a scheduled run meets, each in its own process like a retried job: a kill in the middle of writing
// the snapshot, a second run of the same period, a mail in doubt, an outbox that cannot be written.

const REPO = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(import.meta.dirname, 'exactly-once-run.ts');
const CLI = path.join(REPO, 'bin', 'revseg.ts');
const AS_OF = '2026-11-02';

// Each test starts several runs, each its own process: on a loaded machine they take minutes, not seconds.
describe('a run under faults', { timeout: 300_000 }, () => {
  let root: string;
  let dataDir: string;
  let outDir: string;

  const run = (periodId: string, extra: Partial<ExactlyOnceRunOptions> = {}, out = outDir) => {
    const options: ExactlyOnceRunOptions = {
      dataDir,
      outDir: out,
      asOf: AS_OF,
      periodId,
      cadence: 'monthly',
      sendLog: path.join(root, 'sends.log'),
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
  const cli = (args: readonly string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const runArgs = (periodId: string, out = outDir) => [
    'run',
    '--data',
    dataDir,
    '--out',
    out,
    '--as-of',
    AS_OF,
    '--period',
    periodId,
  ];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'revseg-faults-'));
    dataDir = path.join(root, 'data');
    outDir = path.join(root, 'out');
    await writeSampleBook({ outDir: dataDir, lines: 2_000, seed: 7, owners: 4, asOf: AS_OF });
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a run killed while it writes the snapshot leaves nothing a reader takes for data; the rerun completes it', async () => {
    const store = path.join(outDir, 'store');
    expect(run('2026-10').status).toBe(0);
    const totals = `select (select sum(revenue_t12m) from account_segments where period = '2026-10') as accounts,
                           (select sum(revenue_t12m) from segment_kpis where period = '2026-10') as segments,
                           (select count(*) from portfolio_kpis where period = '2026-10') as portfolios`;
    const complete = (await querySnapshots(store, totals)).rows[0];
    expect(complete?.portfolios).toBe(1);

    const killed = run('2026-10', { killAfterSnapshotPuts: 2 });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    // Two tables were rewritten and the rest not: the period reads as not snapshotted rather than mixed (this
    // store has no other period, so there is no table at all to read).
    await expect(querySnapshots(store, totals)).rejects.toThrow('none yet; run a period first');
    const hidden = readdirSync(store, { recursive: true }).filter((f) =>
      path.basename(String(f)).startsWith('.'),
    );
    expect(hidden).toEqual([]);

    const rerun = run('2026-10');
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.mails.every((m) => m.status === 'already-sent')).toBe(true);
    const after = (await querySnapshots(store, totals)).rows[0];
    expect(after).toEqual(complete);
    expect(after?.accounts).toBeCloseTo(Number(after?.segments), 2);
  });

  it('refuses a second run of a period while another holds it, and runs once it is released', async () => {
    const lease = await RunLease.acquire(
      new FolderObjectStore(path.join(outDir, 'store')),
      'monthly',
      '2026-09',
    );
    const refused = cli(runArgs('2026-09'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /another run of monthly 2026-09 is in progress \(run [0-9a-f-]+ on .+ pid \d+/,
    );
    expect(refused.stderr).toContain('wait for it to finish');
    expect(readdirSync(path.join(outDir, 'outbox')).some((f) => f.startsWith('monthly-2026-09'))).toBe(false);
    await lease.release();
    expect(cli(runArgs('2026-09')).status).toBe(0);
  });

  it('exits 3 and prints the exact --resend-to command for a mail in doubt; that command sends it', () => {
    const folder = path.join(outDir, 'store', 'mail-ledger', 'cadence=monthly', 'period=2026-09', 'owner');
    const [entry] = readdirSync(folder);
    const address = entry?.replace(/\.json$/, '') ?? '';
    const file = path.join(folder, entry ?? '');
    // As a run killed between sending and recording would leave it.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), status: 'claimed' }));

    const doubt = cli(runArgs('2026-09'));
    expect(doubt.status, doubt.stderr).toBe(3);
    const lines = doubt.stdout.split('\n');
    const summary = lines.find((l) => l.startsWith('mail '));
    expect(summary).toMatch(/^mail\s+0 sent, \d+ already sent, 1 in doubt \(outbox /);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^  in doubt: ${address.replace('.', '\\.')} \\(`)),
    );
    const command = lines
      .find((l) => l.includes('if it did not arrive: '))
      ?.split('if it did not arrive: ')[1];
    expect(command).toBe(
      `revseg run --cadence monthly --period 2026-09 --data ${dataDir} --out ${outDir} --as-of ${AS_OF} --resend-to ${address}`,
    );

    const resent = cli(command?.split(' ').slice(1) ?? []);
    expect(resent.status, resent.stderr).toBe(0);
    expect(resent.stdout).toMatch(/^mail\s+1 sent, \d+ already sent \(outbox /m);
    expect(JSON.parse(readFileSync(file, 'utf8')).status).toBe('sent');
  });

  it('exits 3 naming the path when the outbox cannot be written, and the next run sends everything', () => {
    const out = path.join(root, 'blocked');
    const blocked = cli([...runArgs('2026-08', out)]);
    expect(blocked.status).toBe(0);
    rmSync(path.join(out, 'outbox'), { recursive: true, force: true });
    rmSync(path.join(out, 'store', 'mail-ledger'), { recursive: true, force: true });
    writeFileSync(path.join(out, 'outbox'), 'a file where the outbox folder should be');

    const failed = cli(runArgs('2026-08', out));
    expect(failed.status, failed.stderr).toBe(3);
    const failures = failed.stdout.split('\n').filter((l) => l.startsWith('  failed:'));
    expect(failures.length).toBeGreaterThan(1);
    for (const line of failures) expect(line).toContain(`cannot write ${path.join(out, 'outbox')}`);

    rmSync(path.join(out, 'outbox'));
    const next = cli(runArgs('2026-08', out));
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toMatch(new RegExp(`^mail\\s+${failures.length} sent \\(outbox `, 'm'));
  });

  it('a 1M-character account name gives mails well under the 10 MB limit, the name cut to a display length', () => {
    const data = path.join(root, 'huge-data');
    const out = path.join(root, 'huge-out');
    cpSync(dataDir, data, { recursive: true });
    const append = (file: string, values: Record<string, string>) => {
      const text = readFileSync(path.join(data, file), 'utf8');
      const end = text.includes('\r\n') ? '\r\n' : '\n';
      const columns = text.slice(0, text.indexOf(end)).split(',');
      appendFileSync(path.join(data, file), `${columns.map((c) => values[c] ?? '').join(',')}${end}`);
    };
    const name = `Huge ${'x'.repeat(1_000_000)}`;
    append('accounts.csv', {
      account_id: 'ACC-HUGE',
      account_name: name,
      owner_email: 'huge.owner@example.com',
      owner_name: 'Huge Owner',
      industry: 'Software',
      country: 'US',
      employee_count: '100',
      created_on: '2020-01-01',
    });
    append('revenue_lines.csv', {
      account_id: 'ACC-HUGE',
      invoice_id: 'INV-HUGE-1',
      booked_on: '2026-09-15',
      amount: '900000.00',
      currency: 'USD',
      product: 'Platform',
    });
    const result = cli(['run', '--data', data, '--out', out, '--as-of', AS_OF, '--period', '2026-10']);
    expect(result.status, result.stderr).toBe(0);
    const outbox = path.join(out, 'outbox');
    for (const file of readdirSync(outbox).filter((f) => f.endsWith('.eml'))) {
      expect(statSync(path.join(outbox, file)).size, file).toBeLessThan(10_000_000);
    }
    // The owner's mail names the account, cut to the display length; the attached CSV keeps the whole name.
    const html = readFileSync(path.join(outbox, 'monthly-2026-10-owner-huge-owner-example-com.html'), 'utf8');
    expect(html).toContain(`Huge ${'x'.repeat(400)}`);
    expect(html).not.toContain('x'.repeat(600));
    const csv = readdirSync(path.join(outbox, 'monthly-2026-10-owner-huge-owner-example-com'));
    expect(
      csv.some((f) =>
        readFileSync(path.join(outbox, 'monthly-2026-10-owner-huge-owner-example-com', f), 'utf8').includes(
          name,
        ),
      ),
    ).toBe(true);
  });
});
