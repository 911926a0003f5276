// The local CLI. Only the argument parser loads up front; each command imports what it needs when it runs,
// so `revseg --help` and a mistyped flag answer at once.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { InputFile } from '../lambdas/adapters/local/local-runtime.ts';
import type { RunConfig } from '../lambdas/core/config.ts';
import { RevsegError } from '../lambdas/core/errors.ts';
import type { Cadence } from '../lambdas/core/period.ts';
import type { RunSummary } from '../lambdas/jobs/run-period.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import packageJson from '../package.json' with { type: 'json' };
import { checkPeriodCadence, isoDay, periodId, positiveInt } from './cli-args.ts';
import { EXIT_MAIL_UNDELIVERED } from './exit-codes.ts';
import type { QueryFormat } from './query-output.ts';

async function loadConfig(file: string | undefined): Promise<RunConfig> {
  const { parseRunConfig } = await import('../lambdas/core/config.ts');
  if (!file) return parseRunConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RevsegError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  return parseRunConfig(raw, file);
}

async function clockFrom(asOf: string | undefined): Promise<Clock> {
  const { fixedClock, systemClock } = await import('../lambdas/ports/clock.ts');
  return asOf ? fixedClock(`${asOf}T12:00:00Z`) : systemClock;
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

async function resolveInputs(options: RunOptions): Promise<Record<string, InputFile>> {
  const { discoverInputs, inputFile } = await import('../lambdas/adapters/local/local-runtime.ts');
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

/** A run stopped by lines in other currencies without rates, when rates were not given: say how to. */
function fxHint(error: unknown, options: RunOptions, inputs: Record<string, InputFile> | undefined): string {
  if (!(error instanceof Error) || !error.message.includes('missing_fx_rate') || inputs?.fx_rates) return '';
  const beside = options.revenueLines
    ? ['fx_rates.csv', 'fx_rates.parquet', 'fx_rates']
        .map((f) => path.join(path.dirname(options.revenueLines ?? ''), f))
        .find((f) => existsSync(f))
    : undefined;
  return `\nhint: the lines are in several currencies and no exchange rates were given: add --fx-rates ${beside ?? '<file>'} (columns currency, month, rate_to_reporting)`;
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

async function runCommand(options: RunOptions): Promise<RunSummary> {
  checkPeriodCadence(options.period, options.cadence);
  const config = await loadConfig(options.config);
  const [{ openLocalRuntime }, { runPeriod }, { printRunSummary }, { terminalLogger }] = await Promise.all([
    import('../lambdas/adapters/local/local-runtime.ts'),
    import('../lambdas/jobs/run-period.ts'),
    import('./summary-table.ts'),
    import('./terminal-logger.ts'),
  ]);
  const inputs = await resolveInputs(options);
  const runtime = await openLocalRuntime({
    inputs,
    outDir: options.out,
    logger: terminalLogger({ steps: true }),
    clock: await clockFrom(options.asOf),
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
  } catch (error) {
    const hint = fxHint(error, options, inputs);
    if (hint && error instanceof RevsegError)
      throw new RevsegError(`${error.message}${hint}`, { cause: error });
    throw error;
  } finally {
    await runtime.close();
  }
}

const QUERY_FORMATS: readonly QueryFormat[] = ['table', 'csv', 'json'];

/** Every parse error is one line plus where to look, never a screenful of help that scrolls it away. */
const usageHint = (command: string) => `hint: 'revseg ${command}--help' lists the options`;

const program = new Command()
  .name('revseg')
  .description('Segment customers by revenue, write Parquet snapshots and email segment reports, locally.')
  .version(packageJson.version, '-V, --version', 'print the version')
  .configureOutput({
    outputError: (message, write) =>
      write(message.replace(/^error: /, 'revseg: ').replace(/\n\(Did you mean/, ' (Did you mean')),
  })
  .showHelpAfterError(usageHint(''));

program
  .command('generate')
  .description('write a realistic, seeded sample book of business (accounts + revenue lines)')
  .showHelpAfterError(usageHint('generate '))
  .option('--out <dir>', 'output folder', 'out/data')
  .option('--lines <n>', 'approximate number of revenue lines', positiveInt, 50_000)
  .option('--years <n>', 'years of history', positiveInt, 3)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .addOption(new Option('--format <format>', 'file format').choices(['csv', 'parquet']).default('csv'))
  .option('--as-of <date>', 'the day the book ends (YYYY-MM-DD); default today', isoDay)
  .option('--no-problems', 'do not plant data problems for the quarantine')
  .option('--no-engagement', 'leave out activities, segment_overrides and campaign_responses')
  .option('--no-sales', 'leave out opportunities and costs')
  .option('--single-currency', 'invoice every account in USD and write no fx_rates')
  .action(async (options) => {
    const { writeSampleBook } = await import('../lambdas/adapters/local/sample-book-writer.ts');
    const asOf = (await clockFrom(options.asOf)).now().toISOString().slice(0, 10);
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
    .option('--as-of <date>', 'pretend today is this date (YYYY-MM-DD)', isoDay)
    .option('--memory-limit <size>', "DuckDB memory limit, e.g. '1GB'");

withRunOptions(
  program
    .command('run')
    .description('run one closed period: validate, segment, snapshot, mail')
    .showHelpAfterError(usageHint('run '))
    .option(
      '--period <id>',
      'period: 2026-10 (monthly) or 2026-Q3 (with --cadence quarterly); default the last closed one',
      periodId,
    )
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
  .showHelpAfterError(usageHint('demo '))
  .option('--out <dir>', 'output folder, replaced on every demo (only one the demo created)', 'out/demo')
  .option('--lines <n>', 'approximate number of revenue lines', positiveInt, 60_000)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .option('--as-of <date>', 'pretend today is this date (YYYY-MM-DD)', isoDay)
  .option('--verbose', 'print every step of every run with its time')
  .action(async (options: { out: string; lines: number; seed: number; asOf?: string; verbose?: boolean }) => {
    const { runDemo } = await import('./demo.ts');
    await runDemo({ ...options, clock: await clockFrom(options.asOf) });
  });

program
  .command('query')
  .description('answer SQL over the snapshot tables by name (account_segments, segment_kpis, ...)')
  .showHelpAfterError(usageHint('query '))
  .argument('<sql>', 'the SQL to run')
  .option('--out <dir>', 'output folder the runs wrote to', 'out')
  .addOption(
    new Option('--format <format>', 'table for reading, csv or json for other tools')
      .choices(QUERY_FORMATS)
      .default('table'),
  )
  .action(async (sql: string, options: { out: string; format: QueryFormat }) => {
    const [{ querySnapshots }, { formatQueryResult }] = await Promise.all([
      import('../lambdas/adapters/local/snapshot-query.ts'),
      import('./query-output.ts'),
    ]);
    const result = await querySnapshots(path.join(options.out, 'store'), sql);
    process.stdout.write(formatQueryResult(result, options.format));
  });

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`revseg: ${message}\n`);
  if (process.env.REVSEG_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else if (!(error instanceof RevsegError)) {
    process.stderr.write('hint: this is a bug or an environment problem; REVSEG_DEBUG=1 shows where\n');
  }
  process.exitCode = error instanceof RevsegError ? 1 : 2;
}
