import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputContractError } from '../../core/errors.ts';
import type { JobDeps } from '../../jobs/run-period.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import { DuckDbQueryEngine } from './duckdb-query-engine.ts';
import { FileSqlSource } from './file-sql-source.ts';
import { FolderObjectStore } from './folder-object-store.ts';
import { OutboxMailer } from './outbox-mailer.ts';

export type InputFormat = 'csv' | 'parquet';

export interface InputFile {
  readonly path: string;
  readonly format: InputFormat;
}

/** Input tables the local engine registers when a file for them is found. */
export const INPUT_TABLES = ['revenue_lines', 'accounts'] as const;

export interface LocalRuntimeOptions {
  /** Input files by table name. */
  readonly inputs: Readonly<Record<string, InputFile>>;
  /** Output root: `<out>/store` holds snapshots and the mail ledger, `<out>/outbox` the mails. */
  readonly outDir: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** DuckDB memory limit, e.g. '1GB'. */
  readonly memoryLimit?: string;
}

export interface LocalRuntime {
  readonly deps: JobDeps;
  readonly storeDir: string;
  readonly outboxDir: string;
  close(): Promise<void>;
}

/** Builds the local adapters (DuckDB, folder store, outbox) for one or more runs. */
export async function openLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const storeDir = path.join(options.outDir, 'store');
  const outboxDir = path.join(options.outDir, 'outbox');
  const engine = await DuckDbQueryEngine.create({ inputs: options.inputs, memoryLimit: options.memoryLimit });
  const clock = options.clock ?? systemClock;
  return {
    deps: {
      engine,
      store: new FolderObjectStore(storeDir),
      mailer: new OutboxMailer(outboxDir, { clock }),
      clock,
      logger: options.logger,
      sql: new FileSqlSource(),
    },
    storeDir,
    outboxDir,
    close: () => engine.close(),
  };
}

function formatOf(file: string): InputFormat | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.parquet$/i.test(file)) return 'parquet';
  return undefined;
}

/**
 * Finds `<table>.csv`, `<table>.parquet` or a `<table>/` folder of such files in a data folder.
 * A required table that is missing stops the run with the path that was searched.
 */
export function discoverInputs(
  dataDir: string,
  tables: readonly string[] = INPUT_TABLES,
): Record<string, InputFile> {
  if (!existsSync(dataDir)) {
    throw new InputContractError(
      `data folder ${dataDir} does not exist: run 'revseg generate --out ${dataDir}' or pass --data`,
    );
  }
  const found: Record<string, InputFile> = {};
  for (const table of tables) {
    for (const format of ['parquet', 'csv'] as const) {
      const file = path.join(dataDir, `${table}.${format}`);
      if (existsSync(file)) found[table] = { path: file, format };
    }
    const folder = path.join(dataDir, table);
    if (!found[table] && existsSync(folder) && statSync(folder).isDirectory()) {
      const format = readdirSync(folder)
        .map(formatOf)
        .find((f) => f !== undefined);
      if (format) found[table] = { path: folder, format };
    }
    if (!found[table]) {
      throw new InputContractError(
        `input table ${table} not found in ${dataDir}: expected ${table}.csv, ${table}.parquet or a ${table}/ folder of part files`,
      );
    }
  }
  return found;
}

/** An input given on the command line: a file or folder whose format comes from its extension or contents. */
export function inputFile(filePath: string): InputFile {
  if (!existsSync(filePath)) throw new InputContractError(`input ${filePath} does not exist`);
  const format = statSync(filePath).isDirectory()
    ? readdirSync(filePath)
        .map(formatOf)
        .find((f) => f !== undefined)
    : formatOf(filePath);
  if (!format)
    throw new InputContractError(`input ${filePath} is neither .csv nor .parquet (nor a folder of them)`);
  return { path: filePath, format };
}
