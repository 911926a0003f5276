import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type InputFile, openLocalRuntime } from '../../lambdas/adapters/local/local-runtime.ts';
import { parseRunConfig, type RunConfig } from '../../lambdas/core/config.ts';
import { decodeParquet } from '../../lambdas/core/snapshot/parquet.ts';
import { runPeriod } from '../../lambdas/jobs/run-period.ts';
import type { Clock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import { SNAPSHOT_TABLE_NAMES } from '../../lib/glue-tables.ts';

/** The day the parity books end and the runs are as of. */
export const PARITY_AS_OF = '2026-11-02';
/** Where the deployment's store bucket stands in the Trino tests. */
export const STORE = 's3://store-bucket/';
/** The run config of both engines' runs. */
export const PARITY_CONFIG = parseRunConfig({
  mail: { leadership: ['cro@example.com'], allowedDomains: ['example.com'] },
});

/** The runs the Trino suite compares: one monthly and one quarterly period. */
export const RUNS = [
  { periodId: '2026-10', cadence: 'monthly' },
  { periodId: '2026-Q3', cadence: 'quarterly' },
] as const;

export type Row = Record<string, unknown>;

/** Every snapshot table's rows under a store folder, by `table cadence period`. */
export async function readSnapshot(storeDir: string): Promise<Map<string, Row[]>> {
  const tables = new Map<string, Row[]>();
  const root = path.join(storeDir, 'snapshots');
  for (const table of SNAPSHOT_TABLE_NAMES) {
    for (const run of RUNS) {
      const dir = path.join(root, table, `cadence=${run.cadence}`, `period=${run.periodId}`);
      let files: string[] = [];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.parquet'));
      } catch {}
      const rows: Row[] = [];
      for (const file of files) {
        const bytes = new Uint8Array(readFileSync(path.join(dir, file)));
        rows.push(...(await decodeParquet(bytes, path.join(dir, file))));
      }
      tables.set(`${table} ${run.cadence} ${run.periodId}`, rows);
    }
  }
  return tables;
}

// Written at run time, so they differ between any two runs by design.
const RUN_STAMPS = new Set(['run_at', 'run_id', 'computed_at', 'generated_at']);

/**
 * Differences between two cells: strings, booleans, whole numbers (counts, cents) and dates exactly; other
 * numbers within 1e-9 relative (a sum over doubles may be added in another order by another engine).
 */
function cellDiffers(a: unknown, b: unknown): boolean {
  if (a === b) return false;
  if (typeof a === 'string' && typeof b === 'string') return withoutSource(a) !== withoutSource(b);
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return true;
    return Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) !== String(b);
  return JSON.stringify(a) !== JSON.stringify(b);
}

// A message names where its input came from: a file locally, the Glue (here Trino) table on AWS.
function withoutSource(text: string): string {
  return text.replace(/\((?:\/[^()]*\.(?:csv|parquet)|trino:[a-z0-9_.]+)\)/g, '(<input>)');
}

function rowKey(row: Row): string {
  return JSON.stringify(
    Object.entries(row)
      .filter(([k, v]) => !RUN_STAMPS.has(k) && (typeof v !== 'number' || Number.isInteger(v)))
      .map(([k, v]): [string, unknown] => [k, typeof v === 'string' ? withoutSource(v) : v])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** One snapshot table partition in a comparison: rows on each side and rows that differ. */
export interface ParityRow {
  readonly table: string;
  readonly duckdb: number;
  readonly trino: number;
  readonly differences: number;
}

/**
 * Compares two snapshots table by table, rows matched after sorting by their exact cells; the first differences
 * of each table are described cell by cell.
 */
export function compareSnapshots(
  duckSnapshot: ReadonlyMap<string, Row[]>,
  trinoSnapshot: ReadonlyMap<string, Row[]>,
): { report: ParityRow[]; differences: string[] } {
  const report: ParityRow[] = [];
  const differences: string[] = [];
  for (const [key, duckRows] of duckSnapshot) {
    const trinoRows = trinoSnapshot.get(key) ?? [];
    const sortRows = (rows: Row[]) => [...rows].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
    const [left, right] = [sortRows(duckRows), sortRows(trinoRows)];
    let differing = Math.abs(left.length - right.length);
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      const a = left[i] as Row;
      const b = right[i] as Row;
      const columns = new Set([...Object.keys(a), ...Object.keys(b)]);
      const cells = [...columns].filter((c) => !RUN_STAMPS.has(c) && cellDiffers(a[c], b[c]));
      if (cells.length === 0) continue;
      differing++;
      if (differing <= 5) {
        differences.push(
          `${key} row ${i}: ${cells.map((c) => `${c}: duckdb ${JSON.stringify(a[c])} trino ${JSON.stringify(b[c])}`).join('; ')}`,
        );
      }
    }
    report.push({ table: key, duckdb: duckRows.length, trino: trinoRows.length, differences: differing });
  }
  return { report, differences };
}

/** The comparison as lines for the test output (and the closing note). */
export function parityTable(title: string, report: readonly ParityRow[]): string {
  return [
    `${title} (table cadence period: rows compared, differences)`,
    ...report.map((r) => `  ${r.table}: ${r.duckdb} rows (trino ${r.trino}), ${r.differences} differing`),
  ].join('\n');
}

/** The runs on the local engine (DuckDB), without charts, and the snapshot they write: the side Trino must match. */
export async function duckDbSnapshot(
  inputs: Readonly<Record<string, InputFile>>,
  outDir: string,
  config: RunConfig,
  clock: Clock,
): Promise<Map<string, Row[]>> {
  const local = await openLocalRuntime({ inputs, outDir, logger: silentLogger, clock });
  try {
    for (const run of RUNS) await runPeriod({ ...local.deps, charts: undefined }, config, run);
  } finally {
    await local.close();
  }
  return readSnapshot(path.join(outDir, 'store'));
}
