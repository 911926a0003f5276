import type { RunConfig } from '../lambdas/core/config.ts';
import type { RunSummary } from '../lambdas/jobs/run-period.ts';

/** How many refused recipients are listed by name; the rest are counted. */
const REFUSED_LISTED = 5;

/** Quotes a command-line argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * The mail part of a run summary: one concise count line, then one line per failed or in-doubt recipient (with,
 * for the in-doubt ones, the exact command that sends it again) and the first few refused ones.
 * @param resendCommand the command that reruns this period, without `--resend-to`.
 */
export function mailSummaryLines(
  mails: RunSummary['mails'],
  outboxDir: string,
  resendCommand: readonly string[],
): string[] {
  const count = (status: string) =>
    mails.filter((m) => m.status === status).reduce((n, m) => n + m.to.length, 0);
  const parts = [
    ['sent', 'sent'],
    ['already-sent', 'already sent'],
    ['failed', 'failed'],
    ['in-doubt', 'in doubt'],
    ['refused', 'refused'],
    ['skipped', 'skipped'],
  ]
    .map(([status, label]) => [count(status ?? ''), label] as const)
    .filter(([n], i) => n > 0 || i === 0)
    .map(([n, label]) => `${n} ${label}`);
  const lines = [`mail      ${parts.join(', ')} (outbox ${outboxDir})`];
  for (const m of mails.filter((o) => o.status === 'failed')) {
    lines.push(
      `  failed:   ${m.to.join(', ')} (${m.mailId}): ${m.detail ?? 'no reason given'}; the next run retries it`,
    );
  }
  for (const m of mails.filter((o) => o.status === 'in-doubt')) {
    for (const address of m.to) {
      lines.push(`  in doubt: ${address} (${m.mailId}): ${m.detail ?? ''}`);
      lines.push(
        `            if it did not arrive: ${[...resendCommand, '--resend-to', address].map(shellQuote).join(' ')}`,
      );
    }
  }
  const refused = mails.filter((o) => o.status === 'refused');
  for (const m of refused.slice(0, REFUSED_LISTED)) {
    lines.push(`  refused:  ${m.to.join(', ')} (${m.mailId}): ${m.detail ?? ''}`);
  }
  if (refused.length > REFUSED_LISTED) {
    const reasons = new Set(refused.map((m) => (m.detail ?? '').split(';')[0]));
    lines.push(
      `  refused:  ${refused.length - REFUSED_LISTED} more recipients (${reasons.size === 1 ? 'same reason' : `${reasons.size} distinct reasons`})`,
    );
  }
  return lines;
}

/** Prints a short, aligned summary of one run to stdout: segments, headline KPIs and where outputs are. */
export function printRunSummary(
  summary: RunSummary,
  config: RunConfig,
  where: { storeDir: string; outboxDir: string; resendCommand?: readonly string[] },
): void {
  const money = new Intl.NumberFormat(config.locale, {
    style: 'currency',
    currency: config.currency,
    maximumFractionDigits: 0,
  });
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const { analysis, period, quarantine } = summary;
  const rows = analysis.segments.map((s) => [
    s.segment,
    s.accounts.toLocaleString(config.locale),
    money.format(s.revenueT12m),
    pct(s.revenueShare),
    s.arpa === null ? '—' : money.format(s.arpa),
    pct(s.retention.nrr),
    pct(s.retention.grr),
  ]);
  const header = ['segment', 'accounts', 'T12M revenue', 'share', 'ARPA', 'NRR', 'GRR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const p = analysis.portfolio;
  const out = [
    '',
    `${period.cadence} ${period.id} (${period.start}..${period.end})`,
    line(header),
    ...rows.map(line),
    `total ${money.format(p.revenueT12m)} T12M, ${p.activeAccounts.toLocaleString(config.locale)} active accounts, NRR ${pct(p.retention.nrr)}, GRR ${pct(p.retention.grr)}, top 10% share ${pct(p.concentration.top10Share)}`,
    `quarantined ${quarantine.revenueLinesQuarantined.toLocaleString(config.locale)} of ${quarantine.revenueLinesChecked.toLocaleString(config.locale)} revenue lines and ${quarantine.accountsQuarantined} accounts (see the leadership mail)`,
    `snapshot  ${where.storeDir}/snapshots (manifest ${summary.manifestKey})`,
    ...mailSummaryLines(
      summary.mails,
      where.outboxDir,
      where.resendCommand ?? ['revseg', 'run', '--cadence', period.cadence, '--period', period.id],
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
