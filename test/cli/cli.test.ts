import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDemoFolder, DEMO_MARKER } from '../../bin/demo.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin', 'revseg.js');
const packageJson = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

/** Runs the installed entry point, compiled, as `npx revseg` would. */
function revseg(...args: string[]) {
  const result = spawnSync(BIN, args, { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the revseg command as installed', () => {
  it('is the package bin and runs as it is, with no mode change on first use', () => {
    expect(packageJson.bin.revseg).toBe('bin/revseg.js');
    expect(statSync(BIN).mode & 0o111).toBe(0o111);
    const first = readFileSync(BIN, 'utf8').split('\n')[0];
    expect(first).toBe('#!/usr/bin/env node');
  });

  it('answers `npx revseg --version` in the repository, leaving the checkout as it was', () => {
    const before = spawnSync('git', ['status', '--porcelain', 'bin'], { cwd: REPO, encoding: 'utf8' }).stdout;
    const result = spawnSync('npx', ['--offline', 'revseg', '--version'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stdout, result.stderr).toBe(`${packageJson.version}\n`);
    const after = spawnSync('git', ['status', '--porcelain', 'bin'], { cwd: REPO, encoding: 'utf8' }).stdout;
    expect(after).toBe(before);
  });

  it('prints its version and its help and exits 0', () => {
    const version = revseg('--version');
    expect(version).toMatchObject({ status: 0, stdout: `${packageJson.version}\n` });
    const help = revseg('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: revseg/);
    for (const command of ['generate', 'run', 'demo', 'query']) expect(help.stdout).toContain(command);
  });

  it('answers a mistyped flag in one line plus a hint, without a screen of help', () => {
    const result = revseg('run', '--perod', '2026-10');
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      "revseg: unknown option '--perod' (Did you mean --period?)",
      "hint: 'revseg run --help' lists the options",
    ]);
    expect(result.stdout).toBe('');
  });

  it('refuses a day that does not exist instead of moving to the next month', () => {
    const result = revseg('run', '--as-of', '2026-02-30');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("'2026-02-30' is not a date: February 2026 has 28 days");
    expect(result.stderr).not.toMatch(/Usage:/);
  });

  it('says to add --cadence quarterly for a quarter given to a monthly run', () => {
    const result = revseg('run', '--period', '2026-Q3', '--as-of', '2026-11-02');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'revseg: --period 2026-Q3 is a quarter but the cadence is monthly: add --cadence quarterly (or give a month, e.g. 2026-09)',
    );
  });
});

describe('revseg run on files given one by one', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revseg-cli-'));
    await writeSampleBook({
      outDir: path.join(dir, 'data'),
      lines: 3_000,
      years: 2,
      seed: 5,
      format: 'csv',
      asOf: '2026-11-02',
      plantProblems: false,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('points at the exchange rates beside the lines when lines in other currencies stop the run', () => {
    const data = path.join(dir, 'data');
    const result = revseg(
      'run',
      '--revenue-lines',
      path.join(data, 'revenue_lines.csv'),
      '--accounts',
      path.join(data, 'accounts.csv'),
      '--out',
      path.join(dir, 'out'),
      '--as-of',
      '2026-11-02',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/missing_fx_rate/);
    expect(result.stderr).toContain(`hint: `);
    expect(result.stderr).toContain(`add --fx-rates ${path.join(data, 'fx_rates.csv')}`);
    expect(existsSync(path.join(dir, 'out', 'outbox'))).toBe(false);
  });
});

describe('the demo folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'revseg-demo-folder-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a folder with files the demo did not write, and leaves them alone', () => {
    const mine = path.join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(path.join(mine, 'keep.txt'), 'precious');
    expect(() => claimDemoFolder(mine)).toThrow(/holds files the demo did not write/);
    expect(readFileSync(path.join(mine, 'keep.txt'), 'utf8')).toBe('precious');
    const result = revseg('demo', '--out', mine);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no \.revseg-demo marker/);
    expect(readFileSync(path.join(mine, 'keep.txt'), 'utf8')).toBe('precious');
  });

  it('takes a new or empty folder, marks it, and replaces only a folder it marked', () => {
    const fresh = path.join(dir, 'fresh');
    claimDemoFolder(fresh);
    expect(existsSync(path.join(fresh, DEMO_MARKER))).toBe(true);
    writeFileSync(path.join(fresh, 'old-output.txt'), 'from the last demo');
    claimDemoFolder(fresh);
    expect(existsSync(path.join(fresh, 'old-output.txt'))).toBe(false);
    expect(existsSync(path.join(fresh, DEMO_MARKER))).toBe(true);
  });

  it('refuses a file', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => claimDemoFolder(file)).toThrow(/is a file/);
  });
});
