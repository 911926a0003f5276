import { randomUUID } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { RevsegError } from '../../core/errors.ts';
import { FX_RATE_COLUMNS } from '../../core/fx/fx-rates.ts';
import type { QuarantineReason } from '../../core/quarantine.ts';
import {
  ACCOUNT_COLUMNS,
  accountCsv,
  csvHeader,
  REVENUE_LINE_COLUMNS,
  revenueLineCsv,
} from '../../core/sample/csv.ts';
import { fxRateCsv } from '../../core/sample/fx.ts';
import type { SampleBookOptions } from '../../core/sample/options.ts';
import type { RevenueLineStats } from '../../core/sample/revenue-lines.ts';
import { planSampleBook } from '../../core/sample/sample-book.ts';
import {
  type EngagementInputTable,
  type SalesInputTable,
  writeEngagementInputs,
  writeSalesInputs,
} from './optional-inputs-writer.ts';

export type SampleBookFormat = 'csv' | 'parquet';

/** Where and how to write a sample book; the book itself is described by `SampleBookOptions`. */
export interface SampleBookWriteOptions extends SampleBookOptions {
  /**
   * Folder to write into; created if missing. The tables of a previous book there are replaced, in either
   * format, so that the folder never holds two books (readers would pick one of them).
   */
  readonly outDir: string;
  /**
   * 'csv': RFC 4180 with a header. 'parquet': Snappy-compressed, typed as `parquetTypes` says (booked_on
   * and amount are text while problems are planted). Each table is one file in either format.
   * @default 'csv'
   */
  readonly format?: SampleBookFormat;
  /** Revenue lines generated and written per batch; memory grows with it, not with the book. @default 50_000 */
  readonly batchLines?: number;
  /** Called after each written batch with the number of revenue lines written so far. */
  readonly onProgress?: (linesWritten: number) => void;
  /**
   * Also write the optional inputs of issue 8 (activities, segment_overrides, campaign_responses) as CSV;
   * when false, those tables of a previous book are removed. @default false
   */
  readonly engagementInputs?: boolean;
  /**
   * Also write the optional inputs of issue 6 (opportunities, costs) as CSV; when false, those tables of a
   * previous book are removed. @default false
   */
  readonly salesInputs?: boolean;
}

export interface SampleBookResult {
  /** Absolute paths of the two tables, each a single file. */
  readonly files: { readonly accounts: string; readonly revenue_lines: string };
  readonly format: SampleBookFormat;
  /** Distinct accounts; the accounts file has `planted.duplicate_account` more rows. */
  readonly accounts: number;
  /** Rows in revenue_lines, planted bad rows included. */
  readonly lines: number;
  /** Bad rows planted per quarantine reason; the quarantine of this book must find exactly these. */
  readonly planted: Record<QuarantineReason, number>;
  readonly asOf: string;
  /** Earliest and latest booked_on of the valid revenue lines. */
  readonly firstDate: string;
  readonly lastDate: string;
  /** Wall-clock time of the whole write. */
  readonly seconds: number;
  /** The optional engagement inputs written, by table (empty unless `engagementInputs`). */
  readonly engagementFiles: Partial<Record<EngagementInputTable, string>>;
  /** The optional sales inputs written, by table (empty unless `salesInputs`). */
  readonly salesFiles: Partial<Record<SalesInputTable, string>>;
  /** The fx_rates table of a multi-currency book (absent for a single-currency one). */
  readonly fxRatesFile?: string;
  /** `CHF 2025-06` for each planted missing rate: the rows fx_rates leaves out. */
  readonly fxRateHoles: readonly string[];
}

/** Longest record accepted: at 4 UTF-8 bytes a character it still fits the headroom kept in the buffer. */
const MAX_RECORD_CHARS = 16_384;
const HEADROOM_BYTES = 4 * MAX_RECORD_CHARS;

/**
 * CSV records collected in one reused byte buffer and written in large chunks. Encoding each record into
 * the buffer is much cheaper than building and encoding one big string per batch.
 */
class BufferedFile {
  private readonly buffer: Buffer;
  private used = 0;

  private constructor(
    private readonly handle: FileHandle,
    size: number,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  static async create(path: string, size = 8 << 20): Promise<BufferedFile> {
    return new BufferedFile(await open(path, 'w'), Math.max(size, 2 * HEADROOM_BYTES));
  }

  /** Adds one record; returns true when the buffer is nearly full and `flush()` must be awaited. */
  add(record: string): boolean {
    if (record.length > MAX_RECORD_CHARS) {
      throw new RevsegError(`a CSV record of ${record.length} characters is longer than ${MAX_RECORD_CHARS}`);
    }
    this.used += this.buffer.write(record, this.used);
    return this.used > this.buffer.length - HEADROOM_BYTES;
  }

  async flush(): Promise<void> {
    let offset = 0;
    while (offset < this.used) {
      const { bytesWritten } = await this.handle.write(this.buffer, offset, this.used - offset);
      offset += bytesWritten;
    }
    this.used = 0;
  }

  /** Flushes what is left and closes the file. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}

/** A SQL string literal; DuckDB's COPY cannot take its paths as bound parameters. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function columnsClause(types: Readonly<Record<string, string>>): string {
  return `{${Object.entries(types)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(', ')}}`;
}

/**
 * Column types of the Parquet files. `booked_on` and `amount` are DATE and DECIMAL(18,2) in a clean book,
 * but VARCHAR when problems are planted: the planted '2025-13-45' and '12,5O' cannot be stored in typed
 * columns, and a reader must see them to quarantine them. Readers should TRY_CAST either way.
 */
function parquetTypes(planted: boolean) {
  return {
    revenue_lines: {
      account_id: 'VARCHAR',
      invoice_id: 'VARCHAR',
      booked_on: planted ? 'VARCHAR' : 'DATE',
      amount: planted ? 'VARCHAR' : 'DECIMAL(18,2)',
      currency: 'VARCHAR',
      product: 'VARCHAR',
    },
    fx_rates: { currency: 'VARCHAR', month: 'VARCHAR', rate_to_reporting: 'DOUBLE' },
    accounts: {
      account_id: 'VARCHAR',
      account_name: 'VARCHAR',
      owner_email: 'VARCHAR',
      owner_name: 'VARCHAR',
      industry: 'VARCHAR',
      country: 'VARCHAR',
      employee_count: 'INTEGER',
      created_on: 'DATE',
      last_reviewed_on: 'DATE',
    },
  } satisfies Record<string, Record<string, string>>;
}

/** Converts one of our CSV files to Parquet with the given column types, keeping row order. */
async function csvToParquet(
  instance: DuckDBInstance,
  csvPath: string,
  parquetPath: string,
  types: Readonly<Record<string, string>>,
): Promise<void> {
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, delim = ',', quote = '"', escape = '"', ` +
        `auto_detect = false, allow_quoted_nulls = false, columns = ${columnsClause(types)})) ` +
        `TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION snappy)`,
    );
  } catch (error) {
    throw new RevsegError(`converting ${csvPath} to Parquet failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    connection.closeSync();
  }
}

/**
 * Generates a sample book of business (see `planSampleBook`) and writes `<outDir>/accounts.<ext>` and
 * `<outDir>/revenue_lines.<ext>`:
 * 1. plans the book (accounts and planted problems) from the options;
 * 2. writes the accounts table as RFC 4180 CSV;
 * 3. streams the revenue lines batch by batch into an RFC 4180 CSV, so memory stays bounded at any size;
 * 4. for Parquet, converts both CSV files with DuckDB (streaming, row order kept) and removes them;
 * 5. moves each finished file to its final name, so an interrupted run leaves no half-written table.
 */
export async function writeSampleBook(options: SampleBookWriteOptions): Promise<SampleBookResult> {
  const started = performance.now();
  const format = options.format ?? 'csv';
  const book = planSampleBook(options);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const files = {
    accounts: join(outDir, `accounts.${format}`),
    revenue_lines: join(outDir, `revenue_lines.${format}`),
  };
  const temp = (name: string) => join(outDir, `.${name}.${randomUUID()}.tmp`);
  const accountsCsv = temp('accounts.csv');
  const linesCsv = temp('revenue_lines.csv');
  const fxCsv = temp('fx_rates.csv');
  const made: string[] = [accountsCsv, linesCsv, fxCsv];
  let stats: RevenueLineStats;
  let fxRatesFile: string | undefined;
  try {
    const accounts = await BufferedFile.create(accountsCsv, 1 << 20);
    try {
      accounts.add(csvHeader(ACCOUNT_COLUMNS));
      for (const row of book.accountRows) if (accounts.add(accountCsv(row))) await accounts.flush();
    } finally {
      await accounts.close();
    }

    const stream = book.revenueLines();
    const lines = await BufferedFile.create(linesCsv);
    try {
      lines.add(csvHeader(REVENUE_LINE_COLUMNS));
      let written = 0;
      for (const batch of stream.batches(options.batchLines ?? 50_000)) {
        for (const line of batch) if (lines.add(revenueLineCsv(line))) await lines.flush();
        written += batch.length;
        options.onProgress?.(written);
      }
    } finally {
      await lines.close();
    }
    stats = stream.stats;
    const fxRates = book.fxRates(stats.fxRateHoles);
    if (fxRates.length > 0) {
      const fx = await BufferedFile.create(fxCsv, 1 << 20);
      try {
        fx.add(csvHeader(FX_RATE_COLUMNS));
        for (const row of fxRates) if (fx.add(fxRateCsv(row))) await fx.flush();
      } finally {
        await fx.close();
      }
      fxRatesFile = join(outDir, `fx_rates.${format}`);
    }

    if (format === 'parquet') {
      const types = parquetTypes(book.options.plantProblems);
      const accountsParquet = temp('accounts.parquet');
      const linesParquet = temp('revenue_lines.parquet');
      made.push(accountsParquet, linesParquet);
      const instance = await DuckDBInstance.create(':memory:');
      const fxParquet = temp('fx_rates.parquet');
      made.push(fxParquet);
      try {
        await csvToParquet(instance, accountsCsv, accountsParquet, types.accounts);
        await csvToParquet(instance, linesCsv, linesParquet, types.revenue_lines);
        if (fxRatesFile) await csvToParquet(instance, fxCsv, fxParquet, types.fx_rates);
      } finally {
        instance.closeSync();
      }
      await rename(accountsParquet, files.accounts);
      await rename(linesParquet, files.revenue_lines);
      if (fxRatesFile) await rename(fxParquet, fxRatesFile);
    } else {
      await rename(accountsCsv, files.accounts);
      await rename(linesCsv, files.revenue_lines);
      if (fxRatesFile) await rename(fxCsv, fxRatesFile);
    }
    const other = format === 'csv' ? 'parquet' : 'csv';
    await rm(join(outDir, `accounts.${other}`), { force: true });
    await rm(join(outDir, `revenue_lines.${other}`), { force: true });
    await rm(join(outDir, `fx_rates.${other}`), { force: true });
    if (!fxRatesFile) await rm(join(outDir, `fx_rates.${format}`), { force: true });
  } finally {
    await Promise.all(made.map((path) => rm(path, { force: true })));
  }
  const engagementFiles = await writeEngagementInputs(book, outDir, options.engagementInputs === true);
  const salesFiles = await writeSalesInputs(book, outDir, options.salesInputs === true);

  return {
    files,
    format,
    accounts: book.accounts,
    lines: stats.lines,
    planted: stats.planted,
    asOf: book.options.asOf,
    firstDate: stats.firstDate,
    lastDate: stats.lastDate,
    seconds: (performance.now() - started) / 1000,
    engagementFiles,
    salesFiles,
    fxRatesFile,
    fxRateHoles: stats.fxRateHoles,
  };
}
