import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pageCheckProblems, screenshotOutbox, VIEWPORTS } from '../lambdas/adapters/local/browser-check.ts';
import { discoverInputs, openLocalRuntime } from '../lambdas/adapters/local/local-runtime.ts';
import { writeSampleBook } from '../lambdas/adapters/local/sample-book-writer.ts';
import { parseRunConfig } from '../lambdas/core/config.ts';
import { RevsegError } from '../lambdas/core/errors.ts';
import { type Cadence, lastClosedPeriod, type Period, previousPeriod } from '../lambdas/core/period.ts';
import { runPeriod } from '../lambdas/jobs/run-period.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import { EXIT_MAIL_UNDELIVERED } from './exit-codes.ts';
import { printRunSummary } from './summary-table.ts';
import { terminalLogger } from './terminal-logger.ts';

/** Written into every folder the demo creates; only such a folder (or an empty one) is ever replaced. */
export const DEMO_MARKER = '.revseg-demo';

export interface DemoOptions {
  readonly out: string;
  readonly lines: number;
  readonly seed: number;
  readonly clock: Clock;
  /** Print every step of every run with its time (else the plan, progress and summaries only). */
  readonly verbose?: boolean;
}

/**
 * Makes `out` an empty folder marked as the demo's. A folder that holds anything and lacks the marker is
 * refused: `--out .` or `--out out` must never wipe a checkout or real snapshots and their mail ledger.
 */
export function claimDemoFolder(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) {
      throw new RevsegError(`--out ${out} is a file: give the demo a folder of its own, e.g. --out out/demo`);
    }
    if (readdirSync(out).length > 0) {
      if (!existsSync(path.join(out, DEMO_MARKER))) {
        throw new RevsegError(
          `--out ${out} holds files the demo did not write (no ${DEMO_MARKER} marker) and the demo replaces its folder: pick a new or empty folder, e.g. --out out/demo`,
        );
      }
      rmSync(out, { recursive: true, force: true });
    }
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, DEMO_MARKER),
    'Written by `revseg demo`: the next demo run with this --out deletes and rewrites this folder.\n',
  );
}

/** The periods the demo runs per cadence: earlier ones snapshotted without mail, then the mailed one. */
export function demoPlan(now: Date, fiscalYearStartMonth: number) {
  const plan = (cadence: Cadence, history: number) => {
    const mailed = lastClosedPeriod(now, cadence, fiscalYearStartMonth);
    const earlier: Period[] = [];
    let cursor = mailed;
    while (earlier.length < history) {
      cursor = previousPeriod(cursor, fiscalYearStartMonth);
      earlier.unshift(cursor);
    }
    return { cadence, history: earlier, mailed };
  };
  // One earlier month gives the migration matrix a previous snapshot to compare with; three earlier
  // quarters give the quarterly review its four quarters.
  return [plan('monthly', 1), plan('quarterly', 3)];
}

const ids = (periods: readonly Period[]) => periods.map((p) => p.id).join(', ');

export async function runDemo(options: DemoOptions): Promise<void> {
  const { out, clock } = options;
  const logger = terminalLogger({ steps: options.verbose });
  const now = clock.now();
  const asOf = now.toISOString().slice(0, 10);
  // The sample book's owners and the default recipients are all at example.com.
  const config = parseRunConfig({ mail: { allowedDomains: ['example.com'] } });
  const plan = demoPlan(now, config.fiscalYearStartMonth);
  claimDemoFolder(out);
  const dataDir = path.join(out, 'data');
  process.stdout.write(
    [
      `revseg demo, as of ${asOf}, in ${out}:`,
      `  sample book  about ${options.lines.toLocaleString('en-US')} revenue lines, 3 years, planted data problems -> ${dataDir}`,
      `  history      ${plan.map((p) => `${p.cadence} ${ids(p.history)}`).join('; ')} (snapshots only, no mail)`,
      `  mailed       ${plan.map((p) => `${p.cadence} ${p.mailed.id}`).join(', ')} (snapshot + leadership and owner mails)`,
      '',
    ].join('\n'),
  );

  await logger.step(
    'sample book',
    () =>
      writeSampleBook({
        outDir: dataDir,
        lines: options.lines,
        years: 3,
        seed: options.seed,
        format: 'csv',
        asOf,
        plantProblems: true,
        engagementInputs: true,
        salesInputs: true,
      }),
    (book) =>
      `${book.accounts.toLocaleString('en-US')} accounts, ${book.lines.toLocaleString('en-US')} lines`,
  );
  const runtime = await openLocalRuntime({ inputs: discoverInputs(dataDir), outDir: out, logger, clock });
  const leadership: string[] = [];
  try {
    for (const { cadence, history, mailed } of plan) {
      for (const period of history) {
        await logger.step(`history ${cadence} ${period.id} (snapshot, no mail)`, () =>
          runPeriod(runtime.deps, config, { periodId: period.id, cadence, skipMail: true }),
        );
      }
      const summary = await logger.step(
        `${cadence} ${mailed.id} (snapshot and mail)`,
        () => runPeriod(runtime.deps, config, { periodId: mailed.id, cadence }),
        (s) => `${s.mails.filter((m) => m.status === 'sent').length} mails`,
      );
      printRunSummary(summary, config, { storeDir: runtime.storeDir, outboxDir: runtime.outboxDir });
      if (summary.mails.some((m) => m.status === 'failed' || m.status === 'in-doubt')) {
        process.exitCode = EXIT_MAIL_UNDELIVERED;
      }
      for (const mail of summary.mails) {
        if (mail.mailId.endsWith('-leadership')) {
          leadership.push(path.join(runtime.outboxDir, `${mail.mailId}.html`));
        }
      }
    }
  } finally {
    await runtime.close();
  }

  const screenshotDir = path.join(out, 'screenshots');
  const shots = await logger.step(
    `screenshots at ${VIEWPORTS.map((v) => `${v.width}px`).join(' and ')}`,
    () => screenshotOutbox(runtime.outboxDir, screenshotDir),
    (s) => (s.checked ? `${s.checks.length} pages` : 'skipped'),
  );
  const lines = ['', 'Leadership reports (open in a browser):', ...leadership.map((f) => `  ${f}`)];
  lines.push(`Owner mails, CSV attachments and .eml files: ${runtime.outboxDir}`);
  if (shots.checked) {
    for (const problem of pageCheckProblems(shots.checks)) logger.warn(`mail in a browser: ${problem}`);
    lines.push(`Screenshots: ${screenshotDir}`);
  } else {
    lines.push(`Screenshots skipped: ${shots.reason}`);
  }
  lines.push(
    `Query the snapshots: npx revseg query --out ${out} "select period, segment, accounts, revenue_t12m from segment_kpis where cadence = 'monthly' order by period, rank"`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
