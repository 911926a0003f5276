import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import type { QueryEngine } from '../../lambdas/ports/query-engine.ts';

/** One input table of a golden test: a file (or folder of part files) and its format. */
export interface GoldenInput {
  readonly path: string;
  readonly format: 'csv' | 'parquet';
}

/** An engine over a set of input files, closed when the test is done. */
export type GoldenEngine = QueryEngine & { close(): Promise<void> };

/**
 * Opens an engine over input files by table name. The SQL golden tests take one of these, so the same cases
 * and the same expected values run on DuckDB (the local engine) and on Trino (the engine under Athena).
 */
export type OpenEngine = (inputs: Readonly<Record<string, GoldenInput>>) => Promise<GoldenEngine>;

export const openDuckDb: OpenEngine = (inputs) => DuckDbQueryEngine.create({ inputs });
