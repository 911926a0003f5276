// The peer of `npm run bench`: a pandas script doing only what a data team would write by hand (load the CSV
// book, T12M per account, brackets, segment and portfolio KPIs), beside the whole `revseg run` on the same
// files. pandas lives in a throw-away virtual environment under bench/data, installed from PyPI by the bench
// itself: it is never a dependency of the product.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PEER_PACKAGES = ['pandas==2.2.3', 'pyarrow==18.1.0'];

/** Wall time and peak resident memory of one whole process, as GNU time measures them. */
export interface ProcessCost {
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly stdout: string;
}

/** Creates (once) the virtual environment with pandas and returns its python. */
export function peerPython(root: string): string {
  const venv = path.join(root, '.venv-pandas-peer');
  const python = path.join(venv, 'bin', 'python');
  const marker = path.join(venv, '.installed');
  if (!existsSync(marker)) {
    rmSync(venv, { recursive: true, force: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PEER_PACKAGES],
      {
        stdio: 'inherit',
      },
    );
    execFileSync('touch', [marker]);
  }
  return python;
}

/** Runs a command to the end under GNU time (`/usr/bin/time`), so both sides are measured the same way. */
export function measure(command: string, args: readonly string[], cwd = process.cwd()): ProcessCost {
  const dir = mkdtempSync(path.join(tmpdir(), 'revseg-bench-time-'));
  const report = path.join(dir, 'time.txt');
  try {
    const result = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', report, command, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
    }
    const [seconds = '0', kb = '0'] =
      readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ') ?? [];
    return { wallMs: Number(seconds) * 1000, maxRssMb: Number(kb) / 1024, stdout: result.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pandas script over a CSV book for the period ending `periodEnd`. */
export function runPandasPeer(python: string, dataDir: string, periodEnd: string): ProcessCost {
  return measure(python, [path.resolve('bench', 'pandas_peer.py'), dataDir, periodEnd]);
}
