#!/usr/bin/env -S npx tsx
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pageCheckProblems, screenshotOutbox, VIEWPORTS } from '../lambdas/adapters/local/browser-check.ts';
import {
  discoverInputs,
  type InputFile,
  inputFile,
  openLocalRuntime,
} from '../lambdas/adapters/local/local-runtime.ts';
import { writeSampleBook } from '../lambdas/adapters/local/sample-book-writer.ts';
import { querySnapshots } from '../lambdas/adapters/local/snapshot-query.ts';
import { parseRunConfig, type RunConfig } from '../lambdas/core/config.ts';
import { RevsegError } from '../lambdas/core/errors.ts';
import { type Cadence, lastClosedPeriod, previousPeriod } from '../lambdas/core/period.ts';
import { type RunSummary, runPeriod } from '../lambdas/jobs/run-period.ts';
import { type Clock, fixedClock, systemClock } from '../lambdas/ports/clock.ts';
import type { Logger } from '../lambdas/ports/logger.ts';
import { printRunSummary } from './summary-table.ts';

const started = performance.now();
const stamp = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const logger: Logger = {
  info: (message, attributes) => {
    if (attributes && 'ms' in attributes) {
      const rows =
        typeof attributes.rows === 'number' ? `, ${attributes.rows.toLocaleString('en-US')} rows` : '';
      process.stderr.write(`${stamp()}   ${message} in ${attributes.ms} ms${rows}\n`);
    } else if (!message.endsWith('…')) {
      process.stderr.write(`${stamp()} ${message}\n`);
    }
  },
  warn: (message) => process.stderr.write(`${stamp()} warning: ${message}\n`),
  error: (message, attributes) =>
    process.stderr.write(
      `${stamp()} error: ${message}${attributes ? ` ${JSON.stringify(attributes)}` : ''}\n`,
    ),
};

function positiveInt(value: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function loadConfig(file: string | undefined): RunConfig {
  if (!file) return parseRunConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RevsegError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  return parseRunConfig(raw, file);
}

function clockFrom(asOf: string | undefined): Clock {
  if (!asOf) return systemClock;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new RevsegError(`--as-of '${asOf}' is not a date: use YYYY-MM-DD`);
  return fixedClock(`${asOf}T12:00:00Z`);
}

interface RunOptions {
  period?: string;
  cadence: Cadence;
  data: string;
  revenueLines?: string;
  accounts?: string;
  fxRates?: string;
  out: string;
  config?: string;
  asOf?: string;
  resend?: boolean;
  resendTo?: string[];
  memoryLimit?: string;
}

function resolveInputs(options: RunOptions): Record<string, InputFile> {
  if (options.revenueLines || options.accounts) {
    if (!options.revenueLines || !options.accounts) {
      throw new RevsegError('give both --revenue-lines and --accounts, or neither and --data <folder>');
    }
    return {
      revenue_lines: inputFile(options.revenueLines),
      accounts: inputFile(options.accounts),
      ...(options.fxRates ? { fx_rates: inputFile(options.fxRates) } : {}),
    };
  }
  const found = discoverInputs(options.data);
  return options.fxRates ? { ...found, fx_rates: inputFile(options.fxRates) } : found;
}

/** The `revseg run` command line that reruns this period with the same inputs, outputs and config. */
function rerunCommand(options: RunOptions, summary: RunSummary): string[] {
  const args = ['revseg', 'run', '--cadence', summary.period.cadence, '--period', summary.period.id];
  if (options.revenueLines && options.accounts) {
    args.push('--revenue-lines', options.revenueLines, '--accounts', options.accounts);
  } else {
    args.push('--data', options.data);
  }
  if (options.fxRates) args.push('--fx-rates', options.fxRates);
  args.push('--out', options.out);
  if (options.config) args.push('--config', options.config);
  if (options.asOf) args.push('--as-of', options.asOf);
  return args;
}

/** Exit status of a run that finished but could not deliver every mail (failed or in doubt). */
const EXIT_MAIL_UNDELIVERED = 3;

async function runCommand(options: RunOptions): Promise<RunSummary> {
  const config = loadConfig(options.config);
  const runtime = await openLocalRuntime({
    inputs: resolveInputs(options),
    outDir: options.out,
    logger,
    clock: clockFrom(options.asOf),
    memoryLimit: options.memoryLimit,
  });
  try {
    const summary = await runPeriod(runtime.deps, config, {
      periodId: options.period,
      cadence: options.cadence,
      resend: options.resend,
      resendTo: options.resendTo,
    });
    printRunSummary(summary, config, {
      storeDir: runtime.storeDir,
      outboxDir: runtime.outboxDir,
      resendCommand: rerunCommand(options, summary),
    });
    if (summary.mails.some((m) => m.status === 'failed' || m.status === 'in-doubt')) {
      process.exitCode = EXIT_MAIL_UNDELIVERED;
    }
    return summary;
  } finally {
    await runtime.close();
  }
}

/** Screenshots of a few demo mails at phone and desktop widths, when Chromium is installed. */
async function demoScreenshots(out: string): Promise<void> {
  const screenshotDir = path.join(out, 'screenshots');
  const begun = performance.now();
  const shots = await screenshotOutbox(path.join(out, 'outbox'), screenshotDir);
  if (!shots.checked) {
    process.stdout.write(`\nscreenshots skipped: ${shots.reason}\n`);
    return;
  }
  process.stdout.write(
    `\nscreenshots ${shots.checks.length} (${shots.files.length} mails at ${VIEWPORTS.map((v) => `${v.width}px`).join(' and ')}, ${((performance.now() - begun) / 1000).toFixed(1)} s) in ${screenshotDir}\n`,
  );
  for (const problem of pageCheckProblems(shots.checks)) logger.warn(`mail in a browser: ${problem}`);
}

const program = new Command()
  .name('revseg')
  .description('Segment customers by revenue, write Parquet snapshots and email segment reports, locally.')
  .showHelpAfterError();

program
  .command('generate')
  .description('write a realistic, seeded sample book of business (accounts + revenue lines)')
  .option('--out <dir>', 'output folder', 'out/data')
  .option('--lines <n>', 'approximate number of revenue lines', positiveInt, 50_000)
  .option('--years <n>', 'years of history', positiveInt, 3)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .addOption(new Option('--format <format>', 'file format').choices(['csv', 'parquet']).default('csv'))
  .option('--as-of <date>', 'the day the book ends (YYYY-MM-DD); default today')
  .option('--no-problems', 'do not plant data problems for the quarantine')
  .option('--no-engagement', 'leave out activities, segment_overrides and campaign_responses')
  .option('--no-sales', 'leave out opportunities and costs')
  .option('--single-currency', 'invoice every account in USD and write no fx_rates')
  .action(async (options) => {
    const asOf = clockFrom(options.asOf).now().toISOString().slice(0, 10);
    const result = await writeSampleBook({
      outDir: options.out,
      lines: options.lines,
      years: options.years,
      seed: options.seed,
      format: options.format,
      asOf,
      plantProblems: options.problems,
      engagementInputs: options.engagement,
      salesInputs: options.sales,
      multiCurrency: options.singleCurrency !== true,
    });
    process.stdout.write(
      `wrote ${result.accounts.toLocaleString('en-US')} accounts and ${result.lines.toLocaleString('en-US')} revenue lines (${result.firstDate}..${result.lastDate}) to ${options.out} in ${result.seconds.toFixed(1)} s\n`,
    );
    if (result.fxRatesFile) {
      process.stdout.write(
        `lines in EUR and GBP convert to USD with ${result.fxRatesFile}; rates left out on purpose: ${result.fxRateHoles.join(', ') || 'none'}\n`,
      );
    }
  });

const withRunOptions = (command: Command) =>
  command
    .option(
      '--data <dir>',
      'folder with revenue_lines and accounts (.csv, .parquet or part-file folders)',
      'out/data',
    )
    .option('--revenue-lines <path>', 'revenue_lines file or folder (instead of --data)')
    .option('--accounts <path>', 'accounts file (instead of --data)')
    .option('--fx-rates <path>', 'fx_rates file or folder (currency, month, rate_to_reporting)')
    .option('--out <dir>', 'output folder (store/ and outbox/)', 'out')
    .option('--config <file>', 'run config JSON (brackets, recipients, currency...)')
    .option('--as-of <date>', 'pretend today is this date (YYYY-MM-DD)')
    .option('--memory-limit <size>', "DuckDB memory limit, e.g. '1GB'");

withRunOptions(
  program
    .command('run')
    .description('run one closed period: validate, segment, snapshot, mail')
    .option('--period <id>', 'period: 2026-10 (monthly) or 2026-Q3 (quarterly); default the last closed one')
    .addOption(
      new Option('--cadence <cadence>', 'monthly or quarterly')
        .choices(['monthly', 'quarterly'])
        .default('monthly'),
    )
    .option('--resend', 'send mails again even if already sent for this period')
    .option(
      '--resend-to <address...>',
      'send again only the mails to these addresses (e.g. one reported in doubt), even if already sent',
    ),
).action(async (options: RunOptions) => {
  await runCommand(options);
});

program
  .command('demo')
  .description('generate a sample book, run the last closed month and quarter, and show where everything is')
  .option('--out <dir>', 'output folder (replaced)', 'out/demo')
  .option('--lines <n>', 'approximate number of revenue lines', positiveInt, 60_000)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .option('--as-of <date>', 'pretend today is this date (YYYY-MM-DD)')
  .action(async (options: { out: string; lines: number; seed: number; asOf?: string }) => {
    const clock = clockFrom(options.asOf);
    const now = clock.now();
    const asOf = now.toISOString().slice(0, 10);
    rmSync(options.out, { recursive: true, force: true });
    const dataDir = path.join(options.out, 'data');
    logger.info(
      `generating a sample book of about ${options.lines.toLocaleString('en-US')} lines into ${dataDir}`,
    );
    const book = await writeSampleBook({
      outDir: dataDir,
      lines: options.lines,
      years: 3,
      seed: options.seed,
      format: 'csv',
      asOf,
      plantProblems: true,
      engagementInputs: true,
      salesInputs: true,
    });
    logger.info(`generated ${book.accounts} accounts, ${book.lines} lines`, {
      ms: Math.round(book.seconds * 1000),
    });
    const config = parseRunConfig({});
    const runtime = await openLocalRuntime({
      inputs: discoverInputs(dataDir),
      outDir: options.out,
      logger,
      clock,
    });
    try {
      // Earlier periods are snapshotted first, without mail, so the migration matrix compares snapshots
      // and the quarterly review has its four quarters.
      for (const [cadence, history] of [
        ['monthly', 1],
        ['quarterly', 3],
      ] as const) {
        const fy = config.fiscalYearStartMonth;
        const last = lastClosedPeriod(now, cadence, fy);
        const periods = [last];
        while (periods.length <= history) periods.unshift(previousPeriod(periods[0] ?? last, fy));
        for (const period of periods.slice(0, -1)) {
          await runPeriod(runtime.deps, config, { periodId: period.id, cadence, skipMail: true });
        }
        const summary = await runPeriod(runtime.deps, config, { periodId: last.id, cadence });
        printRunSummary(summary, config, { storeDir: runtime.storeDir, outboxDir: runtime.outboxDir });
        if (summary.mails.some((m) => m.status === 'failed' || m.status === 'in-doubt')) {
          process.exitCode = EXIT_MAIL_UNDELIVERED;
        }
      }
    } finally {
      await runtime.close();
    }
    await demoScreenshots(options.out);
    process.stdout.write(
      `\nQuery the snapshots:  npm run revseg -- query --out ${options.out} "select period, segment, accounts, revenue_t12m from segment_kpis order by period, rank"\n`,
    );
  });

program
  .command('query')
  .description('answer SQL over the snapshot tables by name (account_segments, segment_kpis, ...)')
  .argument('<sql>', 'the SQL to run')
  .option('--out <dir>', 'output folder the runs wrote to', 'out')
  .action(async (sql: string, options: { out: string }) => {
    const result = await querySnapshots(path.join(options.out, 'store'), sql);
    console.table(result.rows);
  });

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`revseg: ${message}\n`);
  if (process.env.REVSEG_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = error instanceof RevsegError ? 1 : 2;
}
