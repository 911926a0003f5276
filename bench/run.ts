// `npm run bench`: generates (and caches) sample books, runs the monthly job on each and compares it with
// the floor of a bare DuckDB GROUP BY over the same files. Prints numbers; asserts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSampleBook } from '../lambdas/adapters/local/sample-book-writer.ts';
import { DEFAULT_JOB_MEMORY_MB } from '../lib/config.ts';
import { heapLimitMb } from '../lib/constructs/revseg-function.ts';
import { benchmarkBgNbd, NO_DROPOUT } from './bgnbd.ts';
import { measure, peerPython, runPandasPeer } from './pandas-peer.ts';

const AS_OF = '2026-11-02';
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000,10000000').split(',').filter(Boolean).map(Number);
const root = path.resolve('bench/data');
// The bench runs compiled (`npm run bench` builds dist/ first), like the CLI, so no compiler is timed.
const compiled = path.resolve('dist/bench');
const JOB_HEAP_MB = heapLimitMb(DEFAULT_JOB_MEMORY_MB);

interface ChildResult {
  totalMs: number;
  maxRssMb: number;
  peakHeapMb?: number;
  cpuMs?: number;
  accounts?: number;
  lines?: number;
  stages?: { stage: string; ms: number; rows?: number }[];
}

function child(script: string, args: string[], env: Record<string, string> = {}): ChildResult {
  const out = execFileSync(process.execPath, [path.join(compiled, script.replace(/\.ts$/, '.js')), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

for (const size of sizes) {
  const dataDir = path.join(root, `lines-${size}`);
  const marker = path.join(dataDir, '.complete');
  if (!existsSync(marker)) {
    const book = await writeSampleBook({
      outDir: dataDir,
      lines: size,
      years: 3,
      seed: 7,
      format: 'parquet',
      asOf: AS_OF,
      plantProblems: true,
    });
    writeFileSync(marker, JSON.stringify(book));
    process.stdout.write(
      `generated ${fmt(book.lines)} lines, ${fmt(book.accounts)} accounts in ${book.seconds.toFixed(1)} s\n`,
    );
  }
  const floor = child('floor.ts', [dataDir]);
  const dedupe = child('floor.ts', [dataDir, 'dedupe']);
  const job = child('run-job.ts', [dataDir, path.join(root, `out-${size}`), AS_OF]);
  const lines = job.lines ?? size;
  process.stdout.write(`\n== ${fmt(lines)} revenue lines, ${fmt(job.accounts ?? 0)} accounts (Parquet)\n`);
  process.stdout.write(`${'stage'.padEnd(28)}${'ms'.padStart(9)}${'rows/s'.padStart(14)}\n`);
  for (const s of job.stages ?? []) {
    const rate = s.rows && s.ms > 0 ? fmt((s.rows / s.ms) * 1000) : '';
    process.stdout.write(`${s.stage.padEnd(28)}${fmt(s.ms).padStart(9)}${rate.padStart(14)}\n`);
  }
  process.stdout.write(
    `${'monthly job end to end'.padEnd(28)}${fmt(job.totalMs).padStart(9)}${fmt((lines / job.totalMs) * 1000).padStart(14)}   peak RSS ${fmt(job.maxRssMb)} MB\n`,
  );
  process.stdout.write(
    `${'floor: DuckDB GROUP BY'.padEnd(28)}${fmt(floor.totalMs).padStart(9)}${fmt((lines / floor.totalMs) * 1000).padStart(14)}   peak RSS ${fmt(floor.maxRssMb)} MB\n`,
  );
  process.stdout.write(
    `${'floor: dedupe (all columns)'.padEnd(28)}${fmt(dedupe.totalMs).padStart(9)}${fmt((lines / dedupe.totalMs) * 1000).padStart(14)}   peak RSS ${fmt(dedupe.maxRssMb)} MB\n`,
  );
  process.stdout.write(
    `ratio job / floor: ${(job.totalMs / floor.totalMs).toFixed(2)}x (aim: within 3x, under 1,536 MB); ` +
      `job / dedupe pass: ${(job.totalMs / dedupe.totalMs).toFixed(2)}x\n`,
  );
}

// The AWS job Lambda's share of a run: a million accounts' feature rows read from the Athena result CSV in
// S3 (mocked by a local file stream) through the AWS result reader, then the job's in-memory steps.
const awsAccounts = Number(process.env.BENCH_AWS_ACCOUNTS ?? 1_000_000);
const awsCsv = path.join(root, `aws-features-${awsAccounts}.csv`);
if (!existsSync(awsCsv)) {
  execFileSync(process.execPath, [
    path.join(compiled, 'aws-million.js'),
    'write',
    awsCsv,
    String(awsAccounts),
  ]);
}
// The heap limit the job function gets at its default memory (lib/constructs/revseg-function.ts).
const aws = child('aws-million.ts', ['run', awsCsv], { NODE_OPTIONS: `--max-old-space-size=${JOB_HEAP_MB}` });
process.stdout.write(
  `\n== AWS job on ${fmt(aws.accounts ?? 0)} accounts' feature rows from the S3 result CSV (heap limit ${fmt(JOB_HEAP_MB)} MB)\n`,
);
for (const s of aws.stages ?? []) {
  process.stdout.write(`${s.stage.padEnd(36)}${fmt(s.ms).padStart(9)} ms\n`);
}
process.stdout.write(
  `${'total'.padEnd(36)}${fmt(aws.totalMs).padStart(9)} ms (CPU ${fmt(aws.cpuMs ?? 0)} ms)   peak RSS ${fmt(aws.maxRssMb)} MB, peak heap ${fmt(aws.peakHeapMb ?? 0)} MB (aim: under 10 minutes and 6 GB)\n`,
);

const fitAccounts = Number(process.env.BENCH_FIT_ACCOUNTS ?? 200_000);
for (const fit of [benchmarkBgNbd(fitAccounts), benchmarkBgNbd(fitAccounts, NO_DROPOUT)]) {
  process.stdout.write(
    `\n== BG/NBD fit on ${fmt(fit.accounts)} simulated accounts (${fit.unit})\n` +
      `fit ${fmt(fit.fitMs)} ms, ${fit.iterations} iterations, ${fit.converged ? 'converged' : fit.limit ? `on the ${fit.limit} boundary, its limit used` : 'did NOT converge'} (simulation ${fmt(fit.simulateMs)} ms)\n` +
      `truth  r=${fit.truth.r} alpha=${fit.truth.alpha} a=${fit.truth.a} b=${fit.truth.b}\n` +
      `fitted r=${fit.fitted.r.toFixed(3)} alpha=${fit.fitted.alpha.toFixed(2)} a=${fit.fitted.a.toFixed(3)} b=${fit.fitted.b.toFixed(3)}\n`,
  );
}

// The peer: a hand-written pandas script (load, T12M, brackets, segment and portfolio KPIs) beside the whole
// `revseg run` (which also validates, converts, predicts, clusters, writes the snapshot and the mails), on the
// same single-currency CSV book, each measured as a whole process by GNU time.
const peerSizes = (process.env.BENCH_PEER_SIZES ?? '400000,10000000').split(',').filter(Boolean).map(Number);
if (peerSizes.length > 0) {
  const python = peerPython(root);
  const cli = { command: process.execPath, args: [path.resolve('bin/revseg.js')] };
  for (const size of peerSizes) {
    const dataDir = path.join(root, `peer-csv-${size}`);
    const marker = path.join(dataDir, '.complete');
    if (!existsSync(marker)) {
      const book = await writeSampleBook({
        outDir: dataDir,
        lines: size,
        years: 3,
        seed: 7,
        format: 'csv',
        asOf: AS_OF,
        plantProblems: false,
        multiCurrency: false,
      });
      writeFileSync(marker, JSON.stringify(book));
    }
    const outDir = path.join(root, `peer-out-${size}`);
    const revseg = measure(cli.command, [
      ...cli.args,
      'run',
      '--data',
      dataDir,
      '--period',
      '2026-10',
      '--as-of',
      AS_OF,
      '--out',
      outDir,
      '--resend',
    ]);
    const pandas = runPandasPeer(python, dataDir, '2026-10-31');
    const numbers = JSON.parse(pandas.stdout.trim().split('\n').at(-1) ?? '{}') as { lines?: number };
    process.stdout.write(
      `\n== peer: ${fmt(numbers.lines ?? size)} lines, CSV, single currency (whole processes, GNU time)\n` +
        `${'revseg run (everything)'.padEnd(34)}${fmt(revseg.wallMs).padStart(9)} ms   peak RSS ${fmt(revseg.maxRssMb)} MB\n` +
        `${'pandas script (segments only)'.padEnd(34)}${fmt(pandas.wallMs).padStart(9)} ms   peak RSS ${fmt(pandas.maxRssMb)} MB\n` +
        `ratio revseg / pandas: ${(revseg.wallMs / pandas.wallMs).toFixed(2)}x time, ${(revseg.maxRssMb / pandas.maxRssMb).toFixed(2)}x memory (aim: under 1x time)\n`,
    );
  }
}
