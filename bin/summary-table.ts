import type { RunConfig } from '../lambdas/core/config.ts';
import type { RunSummary } from '../lambdas/jobs/run-period.ts';

/** Prints a short, aligned summary of one run to stdout: segments, headline KPIs and where outputs are. */
export function printRunSummary(
  summary: RunSummary,
  config: RunConfig,
  where: { storeDir: string; outboxDir: string },
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
  const sent = summary.mails.filter((m) => m.status === 'sent').length;
  const other = summary.mails.filter((m) => m.status !== 'sent');
  const out = [
    '',
    `${period.cadence} ${period.id} (${period.start}..${period.end})`,
    line(header),
    ...rows.map(line),
    `total ${money.format(p.revenueT12m)} T12M, ${p.activeAccounts.toLocaleString(config.locale)} active accounts, NRR ${pct(p.retention.nrr)}, GRR ${pct(p.retention.grr)}, top 10% share ${pct(p.concentration.top10Share)}`,
    `quarantined ${quarantine.revenueLinesQuarantined.toLocaleString(config.locale)} of ${quarantine.revenueLinesChecked.toLocaleString(config.locale)} revenue lines and ${quarantine.accountsQuarantined} accounts (see the leadership mail)`,
    `snapshot  ${where.storeDir}/snapshots (manifest ${summary.manifestKey})`,
    `mail      ${sent} sent to ${where.outboxDir}${other.length ? `; ${other.map((m) => `${m.mailId}: ${m.status}`).join(', ')}` : ''}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
