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
import { OutboxMailer } from '../lambdas/adapters/local/outbox-mailer.ts';
import { analyzePortfolio } from '../lambdas/core/analyze-portfolio.ts';
import { parseRunConfig } from '../lambdas/core/config.ts';
import { parseGrowthPotentialConfig, scoreGrowthPotential } from '../lambdas/core/models/growth-potential.ts';
import { parsePeriod } from '../lambdas/core/period.ts';
import { computePredictions } from '../lambdas/core/predictions.ts';
import type { QuarantineSummary } from '../lambdas/core/quarantine.ts';
import { planPeriod, runPlaybook } from '../lambdas/core/quarterly-review.ts';
import { buildLeadershipMail, buildOwnerMails, renderMime } from '../lambdas/core/report/index.ts';
import { renderHtml } from '../lambdas/core/report/render-html.ts';
import { renderText } from '../lambdas/core/report/render-text.ts';
import { encodeParquet } from '../lambdas/core/snapshot/parquet.ts';
import { buildSnapshotTables } from '../lambdas/core/snapshot/tables.ts';
import { fixedClock } from '../lambdas/ports/clock.ts';
import { syntheticCohorts, syntheticFeatures, syntheticPurchases } from './synthetic-book.ts';

const args = process.argv.slice(2);
const digest = args.includes('--digest');
const accountCount = Number(args.find((a) => /^\d+$/.test(a)) ?? 133_000);
const OWNERS = 20;
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

const quarantine: QuarantineSummary = {
  revenueLinesChecked: accountCount * 75,
  revenueLinesQuarantined: 0,
  accountsChecked: accountCount,
  accountsQuarantined: 0,
  counts: [],
} as unknown as QuarantineSummary;

const features = syntheticFeatures(accountCount, 11, OWNERS);
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
