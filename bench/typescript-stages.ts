// `tsx bench/typescript-stages.ts [accounts] [--digest]`: times the TypeScript stages of a monthly run on a
// synthetic book (133k accounts, 20 owners by default), with no DuckDB: segment and KPIs, predictions,
// cluster and plan, snapshot tables, Parquet encoding per table, mail building, MIME and the outbox.
// With --digest it also prints a SHA-256 of each stage's output, to check that an optimisation left the
// results unchanged. Prints numbers; asserts nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import gammaRandom from '@stdlib/random-base-gamma';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { OutboxMailer } from '../lambdas/adapters/local/outbox-mailer.ts';
import { analyzePortfolio } from '../lambdas/core/analyze-portfolio.ts';
import { parseRunConfig } from '../lambdas/core/config.ts';
import type { CohortRevenueRow } from '../lambdas/core/models/cohorts.ts';
import { parseGrowthPotentialConfig, scoreGrowthPotential } from '../lambdas/core/models/growth-potential.ts';
import { simulateAccounts } from '../lambdas/core/models/simulate.ts';
import { parsePeriod } from '../lambdas/core/period.ts';
import { computePredictions, type PurchaseSummary } from '../lambdas/core/predictions.ts';
import type { QuarantineSummary } from '../lambdas/core/quarantine.ts';
import { planPeriod, runPlaybook } from '../lambdas/core/quarterly-review.ts';
import { buildLeadershipMail, buildOwnerMails, renderMime } from '../lambdas/core/report/index.ts';
import { renderHtml } from '../lambdas/core/report/render-html.ts';
import { renderText } from '../lambdas/core/report/render-text.ts';
import { encodeParquet } from '../lambdas/core/snapshot/parquet.ts';
import { buildSnapshotTables } from '../lambdas/core/snapshot/tables.ts';
import { type AccountFeatures, MONTHLY_WINDOW } from '../lambdas/core/types.ts';
import { fixedClock } from '../lambdas/ports/clock.ts';

const args = process.argv.slice(2);
const digest = args.includes('--digest');
const accountCount = Number(args.find((a) => /^\d+$/.test(a)) ?? 133_000);
const OWNERS = 20;
const INDUSTRIES = ['Software', 'Retail', 'Manufacturing', 'Healthcare', 'Logistics', 'Education', null];
const period = parsePeriod('2026-10', 'monthly', 1);
const generatedAt = new Date('2026-11-02T06:00:00Z');
const config = parseRunConfig({});

const timings: { stage: string; ms: number; hash?: string }[] = [];
function hashOf(value: unknown): string {
  const hash = createHash('sha256');
  const feed = (v: unknown): void => {
    if (v instanceof Uint8Array) hash.update(v);
    else if (typeof v === 'string') hash.update(v);
    else
      hash.update(
        JSON.stringify(v, (_k, x) => (x instanceof Map ? [...x.entries()] : x instanceof Set ? [...x] : x)),
      );
  };
  if (Array.isArray(value)) for (const v of value) feed(v);
  else feed(value);
  return hash.digest('hex').slice(0, 16);
}
async function timed<T>(stage: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  timings.push({ stage, ms, ...(digest ? { hash: hashOf(value) } : {}) });
  return value;
}

/** A seeded synthetic book: lognormal spend, growth, churned and new accounts, 24 months of revenue. */
function syntheticFeatures(n: number, seed: number): AccountFeatures[] {
  const rng = xoroshiro128plus(seed);
  const u = (): number => uniformFloat64(rng);
  const normal = (): number => Math.sqrt(-2 * Math.log1p(-u())) * Math.cos(2 * Math.PI * u());
  const out: AccountFeatures[] = [];
  for (let i = 0; i < n; i++) {
    const owner = i % OWNERS;
    const annual = Math.exp(8.3 + 1.65 * normal());
    const growth = 0.3 * normal();
    const startMonth = u() < 0.15 ? Math.floor(u() * MONTHLY_WINDOW) : 0;
    const churnMonth = u() < 0.1 ? Math.floor(u() * MONTHLY_WINDOW) : MONTHLY_WINDOW;
    const monthlyRevenue = Array.from({ length: MONTHLY_WINDOW }, (_, m) =>
      m < startMonth || m >= churnMonth || u() < 0.3
        ? 0
        : Math.round((annual / 12) * Math.exp((growth * (m - MONTHLY_WINDOW)) / 12) * (0.5 + u()) * 100) /
          100,
    );
    const sum = (from: number, to: number): number =>
      Math.round(monthlyRevenue.slice(from, to).reduce((s, v) => s + v, 0) * 100) / 100;
    const active = monthlyRevenue.map((v, m) => (v !== 0 ? m : -1)).filter((m) => m >= 0);
    const first = active[0];
    const last = active.at(-1);
    const dayOfMonth = (m: number): string =>
      new Date(Date.UTC(2024, 10 + m, 1 + Math.floor(u() * 28))).toISOString().slice(0, 10);
    const industry = INDUSTRIES[Math.floor(u() * INDUSTRIES.length)] ?? null;
    out.push({
      accountId: `ACC-${String(i + 1).padStart(7, '0')}`,
      accountName: `Account ${i + 1} & Sons <Ltd>`,
      ownerEmail: `owner-${owner}@example.com`,
      ownerName: `Owner ${owner}`,
      industry,
      country: ['US', 'DE', 'FR', 'GB'][i % 4] ?? null,
      employeeCount: u() < 0.8 ? Math.round(Math.exp(4 + 1.5 * normal())) : null,
      createdOn: '2020-01-01',
      revenueT12m: sum(12, 24),
      revenuePriorT12m: sum(0, 12),
      invoicesT12m: active.filter((m) => m >= 12).length,
      invoicesPriorT12m: active.filter((m) => m < 12).length,
      firstInvoiceOn: first === undefined ? null : dayOfMonth(first),
      lastInvoiceOn: last === undefined ? null : dayOfMonth(last),
      recencyDays: last === undefined ? null : (MONTHLY_WINDOW - 1 - last) * 30 + 15,
      tenureDays: first === undefined ? null : (MONTHLY_WINDOW - first) * 30,
      monthlyRevenue,
    });
  }
  return out;
}

/** BG/NBD + Gamma-Gamma purchase histories in whole days, as sql/rfm_summary.sql returns them. */
function syntheticPurchases(ids: readonly string[], seed: number): PurchaseSummary[] {
  const simulated = simulateAccounts({
    accounts: ids.length,
    bgNbd: { r: 0.25, alpha: 28, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    minAge: 30,
    maxAge: 1095,
    seed,
  });
  return simulated.map((s, i) => {
    const age = Math.round(s.age);
    return {
      accountId: ids[i] ?? s.accountId,
      frequency: s.frequency,
      recencyDays: s.frequency === 0 ? 0 : Math.min(age, Math.round(s.recency)),
      ageDays: age,
      avgRepeatValue: s.frequency === 0 ? 0 : Math.round(s.averageValue * 100) / 100,
    };
  });
}

/** Cohort rows as sql/cohort_revenue.sql gives them: per first quarter and quarter, summed over accounts. */
function syntheticCohorts(ids: readonly string[], seed: number): CohortRevenueRow[] {
  const rng = xoroshiro128plus(seed);
  const gamma = gammaRandom.factory({ prng: () => uniformFloat64(rng) });
  const quarters = ['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01'];
  const cells = new Map<string, { first: number; quarter: number; active: number; revenue: number }>();
  const sizes = new Map<number, number>();
  ids.forEach((_, i) => {
    const first = i % quarters.length;
    sizes.set(first, (sizes.get(first) ?? 0) + 1);
    for (let q = first; q < quarters.length; q += 1 + (i % 2)) {
      const cell = cells.get(`${first} ${q}`) ?? { first, quarter: q, active: 0, revenue: 0 };
      cell.active += 1;
      cell.revenue += Math.round(gamma(2, 1 / 2000) * 100) / 100;
      cells.set(`${first} ${q}`, cell);
    }
  });
  return [...cells.values()].map((c) => ({
    firstQuarter: quarters[c.first] as string,
    quarter: quarters[c.quarter] as string,
    cohortAccounts: sizes.get(c.first) ?? 0,
    activeAccounts: c.active,
    revenue: c.revenue,
  }));
}

const quarantine: QuarantineSummary = {
  revenueLinesChecked: accountCount * 75,
  revenueLinesQuarantined: 0,
  accountsChecked: accountCount,
  accountsQuarantined: 0,
  counts: [],
} as unknown as QuarantineSummary;

const features = syntheticFeatures(accountCount, 11);
const ids = features.map((f) => f.accountId);
const purchases = syntheticPurchases(ids, 2005);
const cohortRows = syntheticCohorts(ids, 3);

const analysis = await timed('segment and compute KPIs', () =>
  analyzePortfolio(features, period, config.segments),
);
const growthConfig = parseGrowthPotentialConfig({});
await timed('  scoreGrowthPotential x all', () =>
  analysis.accounts.map((a) => scoreGrowthPotential(a, growthConfig, config.locale)),
);
const predictions = await timed('predict (computePredictions)', () =>
  computePredictions({ period, accounts: analysis.accounts, purchases, cohortRows, config }),
);
const planned = await timed('cluster and plan', () => planPeriod(analysis, config, runPlaybook(config)));
const tables = await timed('  build snapshot tables', () =>
  buildSnapshotTables({
    analysis,
    quarantine,
    quarantinedRows: [],
    config,
    generatedAt,
    clusters: planned.clusters,
    predictions,
  }),
);
for (const table of tables.tables) {
  await timed(`  encode ${table.name} (${table.rows.length} rows)`, () => encodeParquet(table));
}
const context = {
  config,
  analysis,
  quarantine,
  generatedAt,
  snapshotLocation: '/tmp/snapshots/',
  clusters: planned.clusters,
  resourcePlan: planned.resourcePlan,
  predictions,
};
const leadership = await timed('  build leadership mail', () => buildLeadershipMail(context));
const owners = await timed('  build owner mails', () => buildOwnerMails(context));
const mails = [leadership, ...owners];
// The document is not part of OutgoingMail, so HTML and text rendering are timed on a document of the same
// shape: one table holding every account's row of the largest owner's CSV.
const largest = owners.reduce((p, q) => (q.html.length > p.html.length ? q : p), leadership);
const csv = String(largest.attachments.find((a) => a.filename.endsWith('.csv'))?.content ?? '');
const csvRows = csv
  .trim()
  .split('\r\n')
  .map((line) => line.split(','));
const doc = {
  title: 'Owner report',
  preheader: 'Accounts',
  footer: ['footer'],
  blocks: Array.from({ length: 20 }, () => ({
    kind: 'table' as const,
    columns: (csvRows[0] ?? []).map((header, i) => ({
      header,
      align: i % 2 ? ('right' as const) : ('left' as const),
    })),
    rows: csvRows.slice(1),
  })),
};
await timed(`  renderHtml (20 tables x ${csvRows.length - 1} rows)`, () => renderHtml(doc));
await timed(`  renderText (20 tables x ${csvRows.length - 1} rows)`, () => renderText(doc));
await timed(`  renderMime x ${mails.length}`, async () => {
  const out: Buffer[] = [];
  for (const mail of mails) out.push(await renderMime(mail, { date: generatedAt }));
  return out;
});
const outbox = mkdtempSync(path.join(tmpdir(), 'revseg-bench-'));
try {
  const mailer = new OutboxMailer(outbox, { clock: fixedClock(generatedAt.toISOString()) });
  await timed(`  outbox send x ${mails.length}`, async () => {
    const out: string[] = [];
    for (const mail of mails) out.push((await mailer.send(mail)).messageId);
    return out;
  });
} finally {
  rmSync(outbox, { recursive: true, force: true });
}

process.stdout.write(
  `TypeScript stages on ${accountCount.toLocaleString('en-US')} synthetic accounts, ${OWNERS} owners; ` +
    `largest mail ${(largest.html.length / 1024).toFixed(0)} KB HTML\n`,
);
for (const t of timings) {
  process.stdout.write(
    `${t.stage.padEnd(52)}${t.ms.toFixed(0).padStart(8)} ms${t.hash ? `  ${t.hash}` : ''}\n`,
  );
}
